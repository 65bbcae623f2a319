/**
 * scripts/hub-local.sh as an operator meets it: "up" when the hub's port is taken says which port
 * and which process, and starts nothing; up/up/status/down/down are idempotent. Own ports and
 * state folders (next to HUB_LOCAL_PORT's three), so the hub the other tests use is not touched.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hubScript, requireHub } from '../helpers/hub.js';

const BASE = Number(process.env.HUB_LOCAL_PORT ?? 8765);

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}

describe('scripts/hub-local.sh: port in use, idempotent up/down', function () {
  this.timeout(180_000);
  let state: string;

  before(function () {
    requireHub(this);
    state = mkdtempSync(join(tmpdir(), 'scs-hub-local-test-'));
  });

  after(async () => {
    if (!state) return;
    await hubScript('down', { HUB_LOCAL_STATE: state, HUB_LOCAL_PORT: String(BASE + 3) });
    rmSync(state, { recursive: true, force: true });
  });

  it('up with the proxy API port taken: exit 1, the port and the holding pid named, nothing started', async () => {
    const port = BASE + 7;
    const holder = await listen(port + 1);
    try {
      const env = { HUB_LOCAL_STATE: join(state, 'busy'), HUB_LOCAL_PORT: String(port) };
      const up = await hubScript('up', env);
      assert.equal(up.code, 1);
      assert.match(up.stderr, new RegExp(`^hub-local: port ${port + 1} on 127\\.0\\.0\\.1 is already in use by pid ${process.pid} \\(`, 'm'));
      assert.match(up.stderr, /choose free ports with HUB_LOCAL_PORT=N \(the hub uses N, N\+1 and N\+2\)/);
      assert.ok(!existsSync(join(state, 'busy', 'hub.pid')));
      const status = await hubScript('status', env);
      assert.equal(status.code, 3);
      assert.match(status.stdout, /^hub: not running/);
    } finally {
      holder.close();
    }
  });

  it('up, up, status, down, down, status', async () => {
    const port = BASE + 3;
    const env = { HUB_LOCAL_STATE: state, HUB_LOCAL_PORT: String(port) };
    const first = await hubScript('up', env);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, new RegExp(`hub-local: up at http://127\\.0\\.0\\.1:${port} `));
    const pid = readFileSync(join(state, 'hub.pid'), 'utf8').trim();
    const again = await hubScript('up', env);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stderr.trim(), `hub-local: already up at http://127.0.0.1:${port} (pid ${pid})`);
    const status = await hubScript('status', env);
    assert.equal(status.code, 0);
    assert.match(status.stdout, new RegExp(`^hub: running \\(pid ${pid}\\) at http://127\\.0\\.0\\.1:${port};`));
    assert.match(readFileSync(join(state, 'hub.env'), 'utf8'), new RegExp(`^HUB_URL=http://127\\.0\\.0\\.1:${port}$`, 'm'));
    const down = await hubScript('down', env);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(down.stderr.trim(), 'hub-local: down');
    assert.throws(() => process.kill(Number(pid), 0), /ESRCH/);
    const downAgain = await hubScript('down', env);
    assert.equal(downAgain.code, 0, downAgain.stderr);
    const after = await hubScript('status', env);
    assert.equal(after.code, 3);
    assert.match(after.stdout, /^hub: not running/);
  });
});
