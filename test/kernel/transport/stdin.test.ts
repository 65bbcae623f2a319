import assert from 'node:assert/strict';
import type { ReceivedMessage, StartedKernel } from '../../helpers/kernel-client.js';
import * as zmq from 'zeromq';
import { decode, type JupyterMessage } from '../../../protocol/index.js';
import { eventually, SOCKET_HOLDERS, startEchoKernel, streams } from './echo.js';

for (const holder of SOCKET_HOLDERS) describe(`kernel transport: stdin (sockets held by the ${holder})`, () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startEchoKernel({}, holder);
  });
  after(async () => {
    await kernel?.stop();
  });

  it('round-trips an input request while the main thread waits synchronously', async () => {
    const asked: JupyterMessage[] = [];
    kernel.client.onStdin((request) => {
      asked.push(request);
      return 'Ada Lovelace';
    });
    const result = await kernel.client.request('shell', 'execute_request', { code: 'input Your name?', allow_stdin: true });
    assert.equal(result.reply.content.status, 'ok');
    assert.deepEqual(streams(result), ['got: Ada Lovelace\n']);
    assert.equal(asked.length, 1);
    assert.deepEqual(asked[0].content, { prompt: 'Your name?', password: false });
    assert.equal((asked[0].parent_header as { msg_id: string }).msg_id, result.reply.parent_header.msg_id, 'input_request is parented to the execute_request');
  });

  it('passes the password flag and answers asynchronous handlers', async () => {
    const asked: JupyterMessage[] = [];
    kernel.client.onStdin(async (request) => {
      asked.push(request);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return 's3cret';
    });
    const result = await kernel.client.request('shell', 'execute_request', { code: 'password Token:', allow_stdin: true });
    assert.deepEqual(streams(result), ['got: s3cret\n']);
    assert.deepEqual(asked[0].content, { prompt: 'Token:', password: true });
  });

  it('throws KernelInputError when the frontend does not allow stdin', async () => {
    const result = await kernel.client.request('shell', 'execute_request', { code: 'input Name?', allow_stdin: false });
    assert.equal(result.reply.content.status, 'error');
    assert.equal(result.reply.content.ename, 'KernelInputError');
    assert.match(result.reply.content.evalue, /prompt "Name\?".*allow_stdin is false/);
  });

  it('ends a waiting input with KernelInputError when interrupted, then works again', async () => {
    let asked = false;
    kernel.client.onStdin(() => {
      asked = true;
      return new Promise<string>(() => {}); // the user never answers
    });
    const waiting = kernel.client.request('shell', 'execute_request', { code: 'input Never?', allow_stdin: true });
    await eventually(() => asked, 'the input_request');
    await kernel.client.request('control', 'interrupt_request', {});
    const result = await waiting;
    assert.equal(result.reply.content.ename, 'KernelInputError');
    assert.match(result.reply.content.evalue, /no input for prompt "Never\?": the kernel was interrupted/);

    kernel.client.onStdin(() => 'again');
    const next = await kernel.client.request('shell', 'execute_request', { code: 'input Again?', allow_stdin: true });
    assert.deepEqual(streams(next), ['got: again\n']);
  });

  it('fails the input with KernelInputError when the requester has no stdin connection', async () => {
    // A bare shell DEALER: its routing id has no counterpart on the kernel's stdin socket.
    const shell = new zmq.Dealer({ routingId: `no-stdin-${Date.now()}`, linger: 0 });
    shell.connect(`tcp://127.0.0.1:${kernel.client.info.shell_port}`);
    try {
      await shell.send(kernel.client.frames('execute_request', { code: 'input Nobody?', allow_stdin: true }));
      const frames = await shell.receive();
      const reply = decode(kernel.client.info.key, frames).message as ReceivedMessage;
      assert.equal(reply.content.ename, 'KernelInputError');
      assert.match(reply.content.evalue, /no input for prompt "Nobody\?": the frontend has no stdin connection/);
    } finally {
      shell.close();
    }
    const next = await kernel.client.request('shell', 'execute_request', { code: 'print 1', allow_stdin: false });
    assert.deepEqual(streams(next), ['line 0\n']);
  });
});
