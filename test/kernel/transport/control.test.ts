import assert from 'node:assert/strict';
import type { StartedKernel } from '../../helpers/kernel-client.js';
import { eventually, SOCKET_HOLDERS, startEchoKernel, streams } from './echo.js';

for (const holder of SOCKET_HOLDERS) describe(`kernel transport: control and heartbeat (sockets held by the ${holder})`, () => {
  let kernel: StartedKernel | undefined;
  afterEach(async () => {
    await kernel?.stop();
    kernel = undefined;
  });

  it('interrupt_request raises SIGINT in the process and calls onInterrupt', async () => {
    kernel = await startEchoKernel({}, holder);
    const { reply, iopub } = await kernel.client.request('control', 'interrupt_request', {});
    assert.equal(reply.header.msg_type, 'interrupt_reply');
    assert.equal(reply.content.status, 'ok');
    assert.deepEqual(iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
    const stats = await kernel.client.request('shell', 'execute_request', { code: 'stats', allow_stdin: false });
    assert.deepEqual(JSON.parse(streams(stats)[0]), { sigints: 1, interrupts: 1 });
  });

  it('shutdown_request runs the shutdown handler, replies with the restart flag and exits with code 0', async () => {
    kernel = await startEchoKernel({}, holder);
    const { reply, iopub } = await kernel.client.request('control', 'shutdown_request', { restart: true });
    assert.equal(reply.header.msg_type, 'shutdown_reply');
    assert.deepEqual(reply.content, { status: 'ok', restart: true });
    assert.deepEqual(iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
    assert.deepEqual(await kernel.exited, { code: 0, signal: null });
    assert.match(kernel.stderr(), /echo-kernel: shutdown handler ran, restart=true/);
  });

  it('still honours a shutdown_request on shell (deprecated since protocol 5.4), replying there', async () => {
    kernel = await startEchoKernel({}, holder);
    const { reply, iopub } = await kernel.client.request('shell', 'shutdown_request', { restart: false });
    assert.equal(reply.header.msg_type, 'shutdown_reply');
    assert.deepEqual(reply.content, { status: 'ok', restart: false });
    assert.deepEqual(iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
    assert.deepEqual(await kernel.exited, { code: 0, signal: null });
    assert.match(kernel.stderr(), /echo-kernel: shutdown handler ran, restart=false/);
  });

  it('answers heartbeat and control while the main thread is stuck, and still shuts down', async () => {
    kernel = await startEchoKernel({}, holder);
    const k = kernel;
    let spinning = false;
    k.client.onIopub((m) => (spinning ||= m.content?.text === 'spinning\n'));
    const spin = k.client.request('shell', 'execute_request', { code: 'spin', allow_stdin: false }).catch((err: Error) => err);
    await eventually(() => spinning, 'the kernel to start spinning');

    const ms = await k.client.heartbeat();
    assert.equal(typeof ms, 'number');
    const info = await k.client.request('control', 'kernel_info_request', {});
    assert.equal(info.reply.content.implementation, 'echo-kernel');

    const { reply } = await k.client.request('control', 'shutdown_request', { restart: false });
    assert.deepEqual(reply.content, { status: 'ok', restart: false });
    const exit = await k.exited;
    // The loop ignores SIGINT (no breakOnSigint here), so the io thread ends the process by signal.
    assert.deepEqual(exit, { code: null, signal: 'SIGTERM' });
    assert.doesNotMatch(k.stderr(), /shutdown handler ran/, 'the stuck main thread never ran the handler');
    assert.match(k.stderr(), /main thread did not exit after shutdown/);
    k.client.close();
    assert.match(String(await spin), /client closed before execute_request was answered/);
  });

  it('answers shell kernel_info from the io thread while the main thread is still starting, then hands shell over in order', async () => {
    // The main thread blocks for 4 s before it serves (like a kernel compiling its preload); startKernel
    // returns once a shell kernel_info is answered, which only the io thread can do meanwhile.
    kernel = await startEchoKernel({ env: { ECHO_START_BLOCK_MS: '4000' } }, holder);
    const early = await kernel.client.request('shell', 'kernel_info_request', {});
    assert.equal(early.reply.content.implementation, 'echo-kernel');
    assert.equal(early.reply.content.served_by, undefined, 'answered by the io thread');
    assert.deepEqual(early.iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
    // An execute sent now waits for the main thread, then runs; after that the main thread answers kernel_info.
    const run = await kernel.client.request('shell', 'execute_request', { code: 'print 2', allow_stdin: false });
    assert.deepEqual(streams(run), ['line 0\n', 'line 1\n']);
    const late = await kernel.client.request('shell', 'kernel_info_request', {});
    assert.equal(late.reply.content.served_by, 'main');
  });
});
