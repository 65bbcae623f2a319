import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKernel } from '../../helpers/kernel-client.js';

const MAIN = join(__dirname, '..', '..', '..', 'kernel', 'main.js');

function runMain(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('kernel main', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scs-kernel-main-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints usage for --help', async () => {
    const { code, stdout } = await runMain(['--help']);
    assert.equal(code, 0);
    assert.match(stdout, /Usage: scs-kernel \[options\] <connection_file>/);
  });

  it('exits non-zero naming a missing connection file', async () => {
    const missing = join(dir, 'nope.json');
    const { code, stderr } = await runMain([missing]);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`cannot start the kernel: .*${missing.replace(/[.\\/]/g, '\\$&')}`));
  });

  it('exits non-zero on an invalid connection file', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"transport": "tcp"');
    const { code, stderr } = await runMain([bad]);
    assert.equal(code, 1);
    assert.match(stderr, /cannot start the kernel: .*bad\.json/);
  });

  it('exits non-zero without a connection file argument', async () => {
    const { code, stderr } = await runMain([]);
    assert.notEqual(code, 0);
    assert.match(stderr, /missing required argument 'connection_file'/);
  });

  it('shuts down on shutdown_request after a cell ran', async () => {
    const kernel = await startKernel();
    try {
      const cell = await kernel.client.request('shell', 'execute_request', { code: '1', silent: false, store_history: true, user_expressions: {}, allow_stdin: false });
      assert.equal(cell.reply.content.status, 'ok');
      const { reply } = await kernel.client.request('control', 'shutdown_request', { restart: false });
      assert.equal(reply.header.msg_type, 'shutdown_reply');
      assert.deepEqual(await kernel.exited, { code: 0, signal: null });
    } finally {
      await kernel.stop();
    }
  });
});
