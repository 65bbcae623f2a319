/**
 * The io relay (kernel/transport/io-relay.ts) on its own and next to a
 * kernel: what it does before the io thread links (kernel_info, heartbeat,
 * requests kept in order), the key proof on its link, a socket it cannot
 * bind, and its end with the kernel process. The transport suites run
 * through it as well (SOCKET_HOLDERS in echo.ts).
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode, newConnectionInfo, writeConnectionFile, type ConnectionInfo } from '../../../protocol/index.js';
import { IoLink, linkAddress, type IoToRelay, type RelayToIo } from '../../../kernel/transport/io-link.js';
import { KernelClient } from '../../helpers/kernel-client.js';
import { alive, childrenOf } from '../../helpers/processes.js';
import { ECHO_RELAY, eventually, startEchoKernel } from './echo.js';

interface Relay {
  process: ChildProcess;
  name: string;
  info: ConnectionInfo;
  stderr(): string;
  exited: Promise<number | null>;
}

async function startRelay(dir: string, info?: ConnectionInfo): Promise<Relay> {
  const connection = info ?? (await newConnectionInfo({ key: randomUUID() }));
  const file = join(dir, `kernel-${randomUUID()}.json`);
  writeConnectionFile(file, connection);
  const name = `scs-kernel-io-test-${randomUUID()}`;
  const child = spawn(process.execPath, [ECHO_RELAY, file], { env: { ...process.env, SCS_KERNEL_IO_RELAY: name }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, name, info: connection, stderr: () => stderr, exited };
}

/** Connects to the relay's link (retrying while it starts) and proves `key`. */
async function link(relay: Relay, key = relay.info.key): Promise<{ link: IoLink<RelayToIo, IoToRelay>; messages: RelayToIo[] }> {
  for (let attempt = 0; ; attempt++) {
    const socket = connect(linkAddress(relay.name));
    try {
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    } catch (err) {
      if (attempt > 250) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    socket.on('error', () => undefined);
    const l = new IoLink<RelayToIo, IoToRelay>(socket);
    await l.authenticate(key, 'io');
    const messages: RelayToIo[] = [];
    l.onMessage((m) => messages.push(m));
    return { link: l, messages };
  }
}

describe('kernel io relay', function () {
  this.timeout(60_000);
  let dir: string;
  const started: ChildProcess[] = [];
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'scs-io-relay-'));
  });
  after(() => {
    for (const child of started) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers kernel_info and heartbeat before the io thread links, and hands the other requests over in order', async () => {
    const relay = await startRelay(dir);
    started.push(relay.process);
    const client = new KernelClient(relay.info);
    try {
      await client.connected;
      const info = await client.request('shell', 'kernel_info_request', {});
      assert.equal(info.reply.content.implementation, 'echo-kernel');
      assert.deepEqual(info.iopub.map((m) => m.content.execution_state), ['busy', 'idle']);
      assert.equal(typeof (await client.heartbeat()), 'number');
      // a captured kernel_info sent again is refused, as the io thread refuses replays
      const replayed = client.signedRequest('kernel_info_request', {}).frames;
      void client.sendRaw('shell', replayed);
      void client.sendRaw('shell', replayed);
      await eventually(() => /rejected kernel_info_request message on shell: signature seen before \(replayed message\)/.test(relay.stderr()), 'the replay refused');
      void client.sendRaw('shell', client.signedRequest('execute_request', { code: 'print 1' }).frames);
      void client.sendRaw('control', client.signedRequest('interrupt_request', {}).frames);
      void client.sendRaw('shell', client.signedRequest('execute_request', { code: 'print 2' }).frames);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const { link: l, messages } = await link(relay);
      await eventually(() => messages.length >= 4, 'the hello and the three kept requests');
      const [hello, ...kept] = messages;
      assert.equal(hello!.type, 'hello');
      assert.equal((hello as { startingSent: boolean }).startingSent, true, 'the relay sent the starting status with its first answer');
      const handed = kept.map((m) => {
        assert.equal(m.type, 'frames');
        const { channel, frames } = m as Extract<RelayToIo, { type: 'frames' }>;
        const { message } = decode(relay.info.key, frames);
        return `${channel} ${message.header.msg_type} ${JSON.stringify(message.content.code ?? '')}`;
      });
      assert.deepEqual(handed.filter((h) => h.startsWith('shell')), ['shell execute_request "print 1"', 'shell execute_request "print 2"']);
      assert.deepEqual(handed.filter((h) => h.startsWith('control')), ['control interrupt_request ""']);

      // After the link every message is passed on, kernel_info included (the io thread answers it now).
      void client.sendRaw('shell', client.signedRequest('kernel_info_request', {}).frames);
      await eventually(() => messages.some((m) => m.type === 'frames' && m.channel === 'shell' && decode(relay.info.key, m.frames).message.header.msg_type === 'kernel_info_request'), 'the kernel_info passed on');
      // A send the io thread asks to be told about is confirmed; 'close' closes the sockets and the relay ends.
      l.send({ type: 'send', id: 7, channel: 'iopub', frames: ['kernel.test.status', '<IDS|MSG>', '', '{}', '{}', '{}', '{}'], ack: true });
      await eventually(() => messages.some((m) => m.type === 'sent' && m.id === 7 && m.error === undefined), 'the outcome of send 7');
      l.send({ type: 'close' });
      await eventually(() => messages.some((m) => m.type === 'closed'), 'closed');
      l.socket.destroy();
      assert.equal(await relay.exited, 0, relay.stderr());
    } finally {
      client.close();
    }
  });

  it('refuses a link that does not prove the connection key, and still takes the io thread afterwards', async () => {
    const relay = await startRelay(dir);
    started.push(relay.process);
    await assert.rejects(link(relay, 'not-the-key'), /closed the link during the handshake|unexpected|no proof/);
    await eventually(() => /refused a connection to the io link: /.test(relay.stderr()), 'the refusal in the log');
    const { link: l, messages } = await link(relay);
    await eventually(() => messages.length > 0, 'the hello');
    assert.equal(messages[0]!.type, 'hello');
    l.socket.destroy();
    assert.equal(await relay.exited, 0, 'the relay ends when its io thread goes away');
  });

  it('says in its hello which socket it could not bind, then ends', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    try {
      const info = { ...(await newConnectionInfo({ key: randomUUID() })), shell_port: port };
      const relay = await startRelay(dir, info);
      started.push(relay.process);
      const { messages } = await link(relay);
      await eventually(() => messages.length > 0, 'the hello');
      const hello = messages[0] as Extract<RelayToIo, { type: 'hello' }>;
      assert.match(hello.error ?? '', new RegExp(`^cannot bind the shell socket to tcp://127\\.0\\.0\\.1:${port}: .*in use`, 'i'));
      assert.equal(await relay.exited, 0);
    } finally {
      taken.close();
    }
  });

  it('ignores SIGINT (an interrupt is the kernel\'s) and ends with the kernel process', async () => {
    const kernel = await startEchoKernel({}, 'io relay');
    try {
      await eventually(() => childrenOf(kernel.process.pid!).some((c) => c.cmdline.includes('echo-relay.js')), 'the relay as the kernel\'s child');
      const relayPid = childrenOf(kernel.process.pid!).find((c) => c.cmdline.includes('echo-relay.js'))!.pid;
      process.kill(relayPid, 'SIGINT');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.ok(alive(relayPid), 'the relay survived SIGINT');
      const info = await kernel.client.request('shell', 'kernel_info_request', {});
      assert.equal(info.reply.content.status, 'ok');
      process.kill(kernel.process.pid!, 'SIGKILL');
      await kernel.exited;
      await eventually(() => !alive(relayPid), 'the relay to end after the kernel was killed', 5000);
      // its sockets are closed: the ports can be bound again
      const again = createServer();
      await new Promise<void>((resolve, reject) => again.once('error', reject).listen(kernel.client.info.shell_port, '127.0.0.1', resolve));
      again.close();
    } finally {
      await kernel.stop();
    }
  });
});
