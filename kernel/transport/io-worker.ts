/**
 * The io thread: owns every ZeroMQ socket (or, when launch.sh started an io
 * relay, the relay's, through the link), so heartbeat, control and output
 * keep flowing while the main thread runs a user's synchronous loop. It checks
 * incoming signatures, answers heartbeat and the control requests it can
 * answer alone, forwards the rest to the main thread, and sends whatever the
 * main thread asks through the Outbox. Started by transport.ts with
 * IoWorkerData; never imported.
 */
import { randomUUID } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { ControlHandler } from './control.js';
import type { IoToMain, IoWorkerData, MainToIo } from './io-protocol.js';
import { bindKernelSockets, closeKernelSockets, createKernelSockets, echoHeartbeats } from './kernel-sockets.js';
import { Outbox } from './outbox.js';
import { parentWatchFromEnv, removeOwnedConnection, watchParent } from './parent-poller.js';
import { ReplayGuard } from './replay-guard.js';
import { stderrLog } from './stderr-log.js';
import { StdinBroker } from './stdin-broker.js';
import { connectRelay, RelayBindError, type RelayedSockets } from './relay-client.js';
import { decode, WireError, type Decoded } from '../../protocol/index.js';

/** How long the io thread tries to reach a relay that is still starting before binding itself. */
const RELAY_CONNECT_MS = 10_000;
/** After the shutdown reply: time for the main thread to exit by itself before the io thread ends the process. */
const EXIT_GRACE_MS = 1000;
/**
 * The protocol's one 'starting' status goes out before the first request is handled, or after
 * this long when none comes. The classic Notebook waits for it after an automatic restart (then
 * asks kernel_info; without it its page stays "restarting"), and its subscriber, connected to
 * these ports before the restart, reconnects only every 100 ms (ZeroMQ's default): a status sent
 * at bind would be lost.
 */
const STARTING_STATUS_MS = 500;

const data = workerData as IoWorkerData;
const port = parentPort!;
const toMain = (message: IoToMain) => port.postMessage(message);

const log = stderrLog('[scs-kernel io]');

/** The sockets: bound here, or the relay's (see io-relay.ts) when launch.sh started one. */
type IoSockets = Omit<RelayedSockets, 'onLost'>;

let io: IoSockets;
let outbox: Outbox;
let stdin: StdinBroker;
let control: ControlHandler;
const replays = new ReplayGuard();
let closing = false;
/** Until the main thread serves requests (it may be compiling the preload), shell kernel_info is answered here. */
let mainServing = false;
let startingSent = false;

function sendStarting(): void {
  if (startingSent) return;
  startingSent = true;
  outbox.status({}, 'starting');
}

async function serve(channel: 'shell' | 'control' | 'stdin', handle: (decoded: Decoded) => void): Promise<void> {
  try {
    for await (const frames of io.receivers[channel]) {
      let decoded: Decoded;
      try {
        decoded = decode(data.key, frames);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        log(`rejected ${err.msgType ?? 'unreadable'} message on ${channel}: ${err.reason}`);
        continue;
      }
      if (!replays.admit(decoded.signature)) {
        log(`rejected ${decoded.message.header.msg_type} message on ${channel}: signature seen before (replayed message)`);
        continue;
      }
      try {
        sendStarting();
        handle(decoded);
      } catch (err) {
        log(`handling ${decoded.message.header.msg_type} on ${channel} failed: ${(err as Error)?.stack ?? err}`);
      }
    }
  } catch (err) {
    if (!closing) log(`${channel} socket failed: ${(err as Error)?.message ?? err}`);
  }
}

function forward(channel: 'shell' | 'control', { identities, message }: Decoded): void {
  toMain({ type: 'request', request: { ...message, channel, identities } });
}

function onMain(message: MainToIo): void {
  switch (message.type) {
    case 'send': {
      const identities = message.channel === 'iopub' ? [outbox.topic(message.msgType)] : message.identities;
      outbox.sendJson(message.channel, { ...message, identities });
      break;
    }
    case 'input':
      stdin.request(message.id, message.parent, message.prompt, message.password);
      break;
    case 'shutdown-done':
      control.shutdownDone();
      break;
    case 'serving':
      mainServing = true;
      break;
    case 'close':
      void closeSockets().then(() => {
        toMain({ type: 'closed' });
        port.close();
      });
      break;
  }
}

async function closeSockets(): Promise<void> {
  await outbox.drained();
  closing = true;
  await io.close();
}

async function openSockets(): Promise<IoSockets> {
  if (data.relay) {
    try {
      const relayed = await connectRelay(data.relay, data.key, RELAY_CONNECT_MS, log);
      relayed.onLost(() => {
        log('the io relay (the process holding the sockets) ended: ending the kernel');
        process.kill(process.pid, 'SIGTERM');
      });
      return relayed;
    } catch (err) {
      if (err instanceof RelayBindError) throw err;
      log(`no io relay to link to (${(err as Error).message}): binding the sockets here`);
    }
  }
  const sockets = createKernelSockets();
  await bindKernelSockets(sockets, data.endpoints);
  void echoHeartbeats(sockets.hb, () => closing, log);
  return { session: randomUUID(), startingSent: false, receivers: sockets, senders: sockets, close: async () => closeKernelSockets(sockets) };
}

/** Ends the process after shutdown: politely through the main thread, by signal if it is stuck. */
function exitProcess(): void {
  void closeSockets().then(() => {
    toMain({ type: 'exit' });
    setTimeout(() => {
      log('main thread did not exit after shutdown (busy in user code?): sending SIGTERM');
      process.kill(process.pid, 'SIGTERM');
      setTimeout(() => process.kill(process.pid, 'SIGKILL'), EXIT_GRACE_MS);
    }, EXIT_GRACE_MS);
  });
}

/**
 * The process that started the kernel died (SIGKILL, the OOM killer): nobody can shut the kernel
 * down any more, so it ends itself — from this thread, which a synchronous cell does not block.
 */
function startParentWatch(): void {
  const watch = parentWatchFromEnv(process.env, data.connectionFile, process.ppid);
  if (!watch) return;
  watchParent(watch, () => process.ppid, () => {
    log(`the kernel's parent (pid ${watch.parentPid}) is gone: ending the kernel; ${removeOwnedConnection(watch)}`);
    process.kill(process.pid, 'SIGTERM');
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), EXIT_GRACE_MS);
  });
}

async function start(): Promise<void> {
  startParentWatch();
  try {
    io = await openSockets();
  } catch (err) {
    closing = true;
    toMain({ type: 'failed', error: (err as Error).message });
    port.close();
    return;
  }
  outbox = new Outbox(io.senders, data.key, io.session, log);
  stdin = new StdinBroker(outbox, data.inputFlag, data.inputPort, log);
  control = new ControlHandler(outbox, toMain, stdin, data.kernelInfo, exitProcess);
  startingSent = io.startingSent;
  port.on('message', (message: MainToIo) => {
    try {
      onMain(message);
    } catch (err) {
      log(`cannot handle ${message.type} from the main thread: ${(err as Error)?.stack ?? err}`);
    }
  });
  void serve('shell', (decoded) => {
    const msgType = decoded.message.header.msg_type;
    // Deprecated on shell since protocol 5.4 (control is its channel), still honoured as ipykernel does.
    if (msgType === 'shutdown_request') return void control.handle(decoded, 'shell');
    const early = !mainServing && msgType === 'kernel_info_request';
    if (!(early && control.kernelInfoReply('shell', decoded))) forward('shell', decoded);
  });
  void serve('control', (decoded) => {
    if (!control.handle(decoded)) forward('control', decoded);
  });
  void serve('stdin', (decoded) => {
    if (decoded.message.header.msg_type === 'input_reply') stdin.onReply(decoded.message);
    else log(`ignored ${decoded.message.header.msg_type} on stdin: only input_reply is expected there`);
  });
  setTimeout(sendStarting, STARTING_STATUS_MS).unref();
  toMain({ type: 'ready', session: outbox.session });
}

void start();
