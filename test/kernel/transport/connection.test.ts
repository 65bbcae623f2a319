import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KernelTransportError, startTransport } from '../../../kernel/transport/index.js';
import {
  ConnectionFileError, ProtocolError, newConnectionInfo, parseConnectionInfo, readConnectionFile, type ConnectionInfo,
} from '../../../protocol/index.js';
import { KernelClient } from '../../helpers/kernel-client.js';
import { ECHO_KERNEL } from './echo.js';

const GOOD = {
  transport: 'tcp', ip: '127.0.0.1', key: 'k', signature_scheme: 'hmac-sha256',
  shell_port: 50001, iopub_port: 50002, stdin_port: 50003, control_port: 50004, hb_port: 50005,
};

async function listening(): Promise<Server> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function freeConnection(key = randomUUID()): Promise<ConnectionInfo> {
  return newConnectionInfo({ key });
}

describe('kernel transport: connection file', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scs-transport-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads every field of a good file', async () => {
    const file = join(dir, 'good.json');
    await writeFile(file, JSON.stringify(GOOD));
    assert.deepEqual(readConnectionFile(file), GOOD);
  });

  it('defaults transport and scheme, and accepts an empty key', () => {
    const { transport: _t, signature_scheme: _s, ...rest } = GOOD;
    const info = parseConnectionInfo({ ...rest, key: '' }, 'x.json');
    assert.equal(info.transport, 'tcp');
    assert.equal(info.signature_scheme, 'hmac-sha256');
    assert.equal(info.key, '');
  });

  it('names the file when it is missing or not JSON', async () => {
    const missing = join(dir, 'missing.json');
    assert.throws(() => readConnectionFile(missing), (err: Error) => err instanceof ConnectionFileError && err.message.includes(missing));
    const broken = join(dir, 'broken.json');
    await writeFile(broken, '{"ip": ');
    assert.throws(() => readConnectionFile(broken), (err: Error) => err instanceof ConnectionFileError && /broken\.json is not JSON/.test(err.message));
  });

  it('names the field that is wrong', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...GOOD, shell_port: 'x' }, /conn\.json: shell_port must be an integer port 1\.\.65535, got "x"/],
      [{ ...GOOD, hb_port: 70000 }, /hb_port must be an integer port/],
      [{ ...GOOD, signature_scheme: 'hmac-md5' }, /signature_scheme "hmac-md5" is not supported/],
      [{ ...GOOD, transport: 'udp' }, /transport must be "tcp" or "ipc", got "udp"/],
      [{ ...GOOD, ip: '' }, /ip must be a non-empty string/],
      [{ ...GOOD, key: 5 }, /key must be a string, got 5/],
    ];
    for (const [raw, message] of cases) {
      assert.throws(() => parseConnectionInfo(raw, 'conn.json'), (err: Error) => err instanceof ConnectionFileError && message.test(err.message));
    }
    assert.throws(() => parseConnectionInfo([], 'conn.json'), /expected a JSON object/);
  });

  it('a kernel given a bad connection file exits with code 1 and says why', async () => {
    const file = join(dir, 'bad-port.json');
    await writeFile(file, JSON.stringify({ ...GOOD, control_port: -1 }));
    const child = spawn(process.execPath, [ECHO_KERNEL, file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 1);
    assert.match(stderr, /ConnectionFileError: kernel connection file .*bad-port\.json: control_port must be an integer port/);
  });

  it('rejects with KernelTransportError naming the socket when a port is taken', async () => {
    const taken = await listening();
    const info = { ...(await freeConnection()), iopub_port: (taken.address() as AddressInfo).port };
    const file = join(dir, 'taken.json');
    await writeFile(file, JSON.stringify(info));
    try {
      await assert.rejects(startTransport({ connectionFile: file }), (err: Error) =>
        err instanceof KernelTransportError && err instanceof ProtocolError && err.message.includes(`cannot bind the iopub socket to tcp://127.0.0.1:${info.iopub_port}`));
    } finally {
      taken.close();
    }
  });

  it('publishes one status starting, without parent, 0.5 s after binding when no request comes', async () => {
    const info = await freeConnection();
    const file = join(dir, 'starting.json');
    await writeFile(file, JSON.stringify(info));
    const transport = await startTransport({ connectionFile: file });
    const client = new KernelClient(info);
    const unparented: string[] = [];
    client.onIopub((m) => { if (!m.parent_header || !('msg_id' in m.parent_header)) unparented.push(`${m.header.msg_type}:${m.content.execution_state}`); });
    try {
      await client.connected;  // well within the 0.5 s: the subscription is through when it is sent
      const deadline = Date.now() + 10_000;
      while (unparented.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      transport.onRequest((request) => transport.reply(request, 'kernel_info_reply', { status: 'ok' }));
      await client.send('shell', 'kernel_info_request', {}).reply;
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(unparented, ['status:starting']);  // once, not again before the request
    } finally {
      client.close();
      await transport.close();
    }
  });

  it('runs in-process: queues requests until onRequest, answers them, and closes', async () => {
    const info = await freeConnection();
    const file = join(dir, 'inproc.json');
    await writeFile(file, JSON.stringify(info));
    const transport = await startTransport({ connectionFile: file });
    const client = new KernelClient(info);
    try {
      await client.connected;
      // Publish until the subscription is through, so no iopub message of the request can be missed.
      let subscribed = false;
      client.onIopub(() => (subscribed = true));
      while (!subscribed) {
        transport.publish(null, 'status', { execution_state: 'starting' });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      // Sent before any handler exists: the transport must hold it, not drop it.
      const early = client.request('shell', 'kernel_info_request', {});
      await new Promise((resolve) => setTimeout(resolve, 200));
      transport.onRequest((request) => {
        transport.publish(request, 'status', { execution_state: 'busy' });
        transport.reply(request, 'kernel_info_reply', { status: 'ok', implementation: 'in-process' });
        transport.publish(request, 'status', { execution_state: 'idle' });
      });
      assert.equal((await early).reply.content.implementation, 'in-process');
      const again = await client.request('shell', 'kernel_info_request', {});
      assert.equal(again.reply.content.implementation, 'in-process');
    } finally {
      client.close();
      await transport.close();
    }
  });
});
