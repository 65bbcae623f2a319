import assert from 'node:assert/strict';
import type { StartedKernel } from '../../helpers/kernel-client.js';
import type { JupyterMessage } from '../../../kernel/transport/index.js';
import { eventually, SOCKET_HOLDERS, startEchoKernel, streams } from './echo.js';

for (const holder of SOCKET_HOLDERS) describe(`kernel transport: signatures (sockets held by the ${holder})`, () => {
  let kernel: StartedKernel;
  const seen: JupyterMessage[] = [];
  before(async () => {
    kernel = await startEchoKernel({}, holder);
    kernel.client.onIopub((m) => seen.push(m));
  });
  after(async () => {
    await kernel?.stop();
  });

  const msgIdOf = (frames: unknown[]) => JSON.parse(String(frames[2])).msg_id as string;
  const answered = (msgId: string) => seen.some((m) => (m.parent_header as { msg_id?: string }).msg_id === msgId);

  /** After a good request has been answered, anything sent before it on shell was dealt with. */
  async function stillWorks(): Promise<void> {
    const result = await kernel.client.request('shell', 'execute_request', { code: 'print 1', allow_stdin: false });
    assert.deepEqual(streams(result), ['line 0\n']);
  }

  it('rejects and logs a message with a bad signature, and keeps running', async () => {
    const frames = kernel.client.frames('execute_request', { code: 'print 1', allow_stdin: false });
    frames[1] = 'f'.repeat(64);
    await kernel.client.sendRaw('shell', frames);
    await eventually(() => /rejected execute_request message on shell: bad signature/.test(kernel.stderr()), 'the rejection log line');
    await stillWorks();
    assert.equal(answered(msgIdOf(frames)), false, 'the forged request must not be executed');
  });

  it('rejects a message whose content was changed after signing', async () => {
    const frames = kernel.client.frames('execute_request', { code: 'print 1', allow_stdin: false });
    frames[5] = JSON.stringify({ code: 'print 9', allow_stdin: false });
    await kernel.client.sendRaw('shell', frames);
    await stillWorks();
    assert.equal(answered(msgIdOf(frames)), false);
    assert.equal(kernel.stderr().match(/rejected execute_request message on shell: bad signature/g)?.length, 2);
  });

  it('rejects an unsigned message on control when a key is set', async () => {
    const frames = kernel.client.frames('shutdown_request', { restart: false });
    frames[1] = '';
    await kernel.client.sendRaw('control', frames);
    await eventually(() => /rejected shutdown_request message on control: missing signature/.test(kernel.stderr()), 'the rejection log line');
    const info = await kernel.client.request('control', 'kernel_info_request', {});
    assert.equal(info.reply.content.status, 'ok', 'the kernel did not shut down');
  });

  it('rejects a replayed message (same signature twice)', async () => {
    const frames = kernel.client.frames('execute_request', { code: 'print 1', allow_stdin: false });
    await kernel.client.sendRaw('shell', frames);
    await kernel.client.sendRaw('shell', frames);
    await eventually(() => /rejected execute_request message on shell: signature seen before/.test(kernel.stderr()), 'the replay log line');
    await stillWorks();
    const replies = seen.filter((m) => (m.parent_header as { msg_id?: string }).msg_id === msgIdOf(frames) && m.header.msg_type === 'execute_input');
    assert.equal(replies.length, 1, 'executed once');
  });

  it('rejects frames without a delimiter or with malformed JSON', async () => {
    await kernel.client.sendRaw('shell', ['no delimiter here']);
    await eventually(() => /rejected unreadable message on shell: no <IDS\|MSG> delimiter frame/.test(kernel.stderr()), 'the delimiter log line');
    await kernel.client.sendRaw('shell', ['<IDS|MSG>', '']);
    await eventually(() => /rejected unreadable message on shell: 1 frames after the delimiter, need at least 5/.test(kernel.stderr()), 'the short message log line');
    await stillWorks();
  });
});
