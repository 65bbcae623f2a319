import assert from 'node:assert/strict';
import { PROTOCOL_VERSION } from '../../../protocol/index.js';
import type { StartedKernel } from '../../helpers/kernel-client.js';
import { iopubTypes, SOCKET_HOLDERS, startEchoKernel, streams } from './echo.js';

for (const holder of SOCKET_HOLDERS) describe(`kernel transport: messaging (sockets held by the ${holder})`, () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startEchoKernel({}, holder);
  });
  after(async () => {
    await kernel?.stop();
  });

  it('answers kernel_info on shell through the main thread', async () => {
    const { reply, iopub } = await kernel.client.request('shell', 'kernel_info_request', {});
    assert.equal(reply.header.msg_type, 'kernel_info_reply');
    assert.equal(reply.content.implementation, 'echo-kernel');
    assert.equal(reply.header.version, PROTOCOL_VERSION);
    assert.deepEqual(iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
  });

  it('answers kernel_info on control from the io thread, wrapped in busy/idle', async () => {
    const { reply, iopub } = await kernel.client.request('control', 'kernel_info_request', {});
    assert.equal(reply.header.msg_type, 'kernel_info_reply');
    assert.equal(reply.content.language_info.name, 'echo');
    assert.deepEqual(iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
  });

  it('delivers the iopub messages of an execute in order, parented to the request', async () => {
    const result = await kernel.client.request('shell', 'execute_request', { code: 'print 3', silent: false, allow_stdin: false });
    assert.equal(result.reply.content.status, 'ok');
    assert.deepEqual(iopubTypes(result), ['status:busy', 'execute_input', 'stream', 'stream', 'stream', 'status:idle']);
    assert.deepEqual(streams(result), ['line 0\n', 'line 1\n', 'line 2\n']);
    for (const m of result.iopub) assert.equal(m.header.session, result.reply.header.session);
  });

  it('never loses an idle status over 1000 back-to-back requests with output', async () => {
    const results = await Promise.all(
      Array.from({ length: 1000 }, () => kernel.client.request('shell', 'execute_request', { code: 'print 4', allow_stdin: false })),
    );
    const counts = results.map((r) => r.reply.content.execution_count as number);
    assert.deepEqual(counts, [...counts].sort((a, b) => a - b), 'requests are answered in order');
    for (const result of results) {
      assert.equal(result.reply.content.status, 'ok');
      assert.deepEqual(iopubTypes(result), ['status:busy', 'execute_input', 'stream', 'stream', 'stream', 'stream', 'status:idle']);
    }
    assert.deepEqual(kernel.client.rejected, []);
  });

  it('throws to the caller, naming the message, when content is not JSON-serialisable', async () => {
    const result = await kernel.client.request('shell', 'execute_request', { code: 'bigint', allow_stdin: false });
    assert.equal(result.reply.content.ename, 'KernelTransportError');
    assert.match(result.reply.content.evalue, /cannot send display_data: its content is not JSON-serialisable \(.*BigInt/);
    assert.equal(iopubTypes(result).at(-1), 'status:idle');
  });

  it('signs every message it sends with the connection key', () => {
    assert.deepEqual(kernel.client.rejected, [], 'the client checked each signature and refused none');
  });
});

for (const holder of SOCKET_HOLDERS) describe(`kernel transport: empty key (sockets held by the ${holder})`, () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startEchoKernel({ key: '' }, holder);
  });
  after(async () => {
    await kernel?.stop();
  });

  it('works unsigned: requests are answered and no signature is checked', async () => {
    const result = await kernel.client.request('shell', 'execute_request', { code: 'print 2', allow_stdin: false });
    assert.deepEqual(streams(result), ['line 0\n', 'line 1\n']);
    const control = await kernel.client.request('control', 'kernel_info_request', {});
    assert.equal(control.reply.content.implementation, 'echo-kernel');
    assert.doesNotMatch(kernel.stderr(), /rejected/);
  });
});
