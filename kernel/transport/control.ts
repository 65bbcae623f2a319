/**
 * Control requests the io thread answers itself, because the main thread may
 * be stuck in a user's synchronous loop: interrupt (raise SIGINT, end a
 * waiting input), shutdown (let the session clean up for at most 2 s, then
 * reply and end the process; also on shell, where clients older than protocol
 * 5.4 send it) and kernel_info (from the info the session gave
 * at start; also on shell until the session serves requests, so a client
 * sees the kernel alive while the main thread still compiles the preload).
 * Each is wrapped in iopub busy … idle with the request as parent.
 */
import type { Decoded } from '../../protocol/index.js';
import type { IoToMain } from './io-protocol.js';
import type { Outbox } from './outbox.js';
import type { StdinBroker } from './stdin-broker.js';

/** How long the session's shutdown handler may take before the io thread replies anyway. */
export const SHUTDOWN_HANDLER_LIMIT_MS = 2000;

export class ControlHandler {
  private shuttingDown = false;
  private mainDone: (() => void) | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly toMain: (message: IoToMain) => void,
    private readonly stdin: StdinBroker,
    private readonly kernelInfo: Record<string, unknown> | undefined,
    /** after the shutdown reply left: close sockets and end the process */
    private readonly exit: () => void,
  ) {}

  /**
   * Handles the request and returns true, or returns false for the main thread to handle it.
   * `channel` is where it came from: shell only for a shutdown_request of a client older than
   * protocol 5.4, which still gets its reply there.
   */
  handle(decoded: Decoded, channel: 'shell' | 'control' = 'control'): boolean {
    const { identities, message } = decoded;
    const reply = (msgType: string, content: unknown) =>
      this.outbox.send(channel, { identities, parent: message.header, msgType, content });
    switch (message.header.msg_type) {
      case 'kernel_info_request':
        return this.kernelInfoReply('control', decoded);
      case 'interrupt_request':
        this.outbox.status(message.header, 'busy');
        this.stdin.cancel('the kernel was interrupted');
        process.kill(process.pid, 'SIGINT');
        this.toMain({ type: 'interrupt' });
        reply('interrupt_reply', { status: 'ok' });
        this.outbox.status(message.header, 'idle');
        return true;
      case 'shutdown_request': {
        const restart = Boolean(message.content?.restart);
        this.outbox.status(message.header, 'busy');
        if (this.shuttingDown) {
          // A repeated request (impatient client) gets its reply; the first one drives the exit.
          reply('shutdown_reply', { status: 'ok', restart });
          this.outbox.status(message.header, 'idle');
          return true;
        }
        this.shuttingDown = true;
        this.stdin.cancel('the kernel is shutting down');
        void this.sessionFinished().then(() => {
          reply('shutdown_reply', { status: 'ok', restart });
          this.outbox.status(message.header, 'idle');
          this.exit();
        });
        this.toMain({ type: 'shutdown', restart, request: message });
        return true;
      }
      default:
        return false;
    }
  }

  /** Answers kernel_info from the info given at start; false when there is none. */
  kernelInfoReply(channel: 'shell' | 'control', { identities, message }: Decoded): boolean {
    if (!this.kernelInfo) return false;
    this.outbox.status(message.header, 'busy');
    this.outbox.send(channel, { identities, parent: message.header, msgType: 'kernel_info_reply', content: this.kernelInfo });
    this.outbox.status(message.header, 'idle');
    return true;
  }

  /** The session's shutdown handler has finished. */
  shutdownDone(): void {
    this.mainDone?.();
  }

  private sessionFinished(): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        // Most likely a cell is stuck in a loop: SIGINT breaks an interruptible one, so the main
        // thread can still exit normally once the reply has left.
        process.kill(process.pid, 'SIGINT');
        resolve();
      }, SHUTDOWN_HANDLER_LIMIT_MS);
      this.mainDone = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
