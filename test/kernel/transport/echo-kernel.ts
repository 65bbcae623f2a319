/**
 * A tiny real kernel on startTransport, for the transport tests. Its
 * "language" is one command per execute_request:
 *   print N      N stream messages "line i"
 *   spin         publish "spinning", then block the main thread forever
 *   input P      read a line for prompt P (password P: hidden), print "got: <value>"
 *   stats        print JSON {sigints, interrupts}
 *   bigint       publish a display whose content JSON cannot hold
 * Run as: node echo-kernel.js <connection_file>. With ECHO_START_BLOCK_MS the
 * main thread blocks that long before serving (a kernel compiling its preload);
 * its own kernel_info replies say `served_by: 'main'`.
 */
import { startTransport, type KernelRequest, type KernelTransport } from '../../../kernel/transport/index.js';
import { KERNEL_INFO } from './echo-info.js';


let sigints = 0;
let interrupts = 0;
let executionCount = 0;
process.on('SIGINT', () => sigints++);

function execute(transport: KernelTransport, request: KernelRequest): void {
  const code = String(request.content.code ?? '').trim();
  executionCount++;
  transport.publish(request, 'execute_input', { code, execution_count: executionCount });
  const print = (text: string) => transport.publish(request, 'stream', { name: 'stdout', text: `${text}\n` });
  const [command, ...rest] = code.split(' ');
  const argument = rest.join(' ');
  try {
    switch (command) {
      case 'print':
        for (let i = 0; i < Number(argument); i++) print(`line ${i}`);
        break;
      case 'spin':
        print('spinning');
        for (;;);
      case 'input':
      case 'password':
        print(`got: ${transport.inputSync(request, argument, command === 'password')}`);
        break;
      case 'bigint':
        transport.publish(request, 'display_data', { data: { 'text/plain': 1n }, metadata: {} });
        break;
      case 'stats':
        print(JSON.stringify({ sigints, interrupts }));
        break;
      default:
        throw new Error(`unknown command ${JSON.stringify(command)}`);
    }
    transport.reply(request, 'execute_reply', { status: 'ok', execution_count: executionCount, user_expressions: {} });
  } catch (err) {
    const e = err as Error;
    const error = { ename: e.name, evalue: e.message, traceback: [`${e.name}: ${e.message}`] };
    transport.publish(request, 'error', error);
    transport.reply(request, 'execute_reply', { status: 'error', execution_count: executionCount, ...error });
  }
}

async function main(): Promise<void> {
  const transport = await startTransport({ connectionFile: process.argv[2], kernelInfo: KERNEL_INFO });
  transport.publish(null, 'status', { execution_state: 'starting' });
  transport.onInterrupt(() => interrupts++);
  transport.onShutdown(async (restart) => {
    await new Promise((resolve) => setImmediate(resolve));
    process.stderr.write(`echo-kernel: shutdown handler ran, restart=${restart}\n`);
  });
  const blockUntil = Date.now() + Number(process.env.ECHO_START_BLOCK_MS ?? 0);
  while (Date.now() < blockUntil);
  transport.onRequest((request) => {
    transport.publish(request, 'status', { execution_state: 'busy' });
    switch (request.header.msg_type) {
      case 'kernel_info_request':
        transport.reply(request, 'kernel_info_reply', { ...KERNEL_INFO, served_by: 'main' });
        break;
      case 'execute_request':
        execute(transport, request);
        break;
      default:
        transport.reply(request, request.header.msg_type.replace(/_request$/, '_reply'), { status: 'error', ename: 'NotImplemented', evalue: request.header.msg_type, traceback: [] });
    }
    transport.publish(request, 'status', { execution_state: 'idle' });
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`echo-kernel: ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}\n`);
  process.exit(1);
});
