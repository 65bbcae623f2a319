/**
 * The rules of the parent watch (kernel/transport/parent-poller.ts): when it
 * is on, what counts as a dead parent, and which connection folder an
 * orphaned kernel may remove. End-to-end (a SIGKILLed `scs run`) is in
 * test/faults/orphan-kernel.test.ts.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentGone, parentWatchFromEnv, removeOwnedConnection } from '../../../kernel/transport/parent-poller.js';

describe('kernel transport: parent watch', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scs-runner-'));
    file = join(dir, 'kernel-x.json');
    writeFileSync(file, '{}');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('watches only with a JPY_PARENT_PID above 1, as ipykernel', () => {
    assert.equal(parentWatchFromEnv({}, file, 10), undefined);
    assert.equal(parentWatchFromEnv({ JPY_PARENT_PID: '1' }, file, 10), undefined);
    assert.equal(parentWatchFromEnv({ JPY_PARENT_PID: 'abc' }, file, 10), undefined);
    assert.deepEqual(parentWatchFromEnv({ JPY_PARENT_PID: '42', SCS_KERNEL_CONNECTION_DIR: dir }, file, 10),
      { parentPid: 42, startPpid: 10, connectionFile: file, ownedDir: dir });
  });

  it('calls the parent gone when the ppid changed or the pid no longer exists', () => {
    const live = { parentPid: process.pid, startPpid: 7, connectionFile: file, ownedDir: undefined };
    assert.equal(parentGone(live, 7), false);
    assert.equal(parentGone(live, 1), true);
    const exited = spawnSync(process.execPath, ['-e', '0']).pid!;
    assert.equal(parentGone({ ...live, parentPid: exited }, 7), true);
  });

  it('removes only the marked folder of the connection file, and only when nothing else is in it', () => {
    const watch = { parentPid: 2, startPpid: 1, connectionFile: file, ownedDir: undefined as string | undefined };
    assert.equal(removeOwnedConnection(watch), `connection file ${file} left (its folder is not marked as the kernel's own)`);
    assert.ok(existsSync(file));
    watch.ownedDir = tmpdir();
    assert.match(removeOwnedConnection(watch), /not marked/);
    watch.ownedDir = dir;
    writeFileSync(join(dir, 'other.txt'), '');
    assert.equal(removeOwnedConnection(watch), `connection folder ${dir} left: it holds other files (other.txt)`);
    assert.ok(existsSync(file));
    rmSync(join(dir, 'other.txt'));
    assert.equal(removeOwnedConnection(watch), `removed the connection folder ${dir}`);
    assert.equal(existsSync(dir), false);
  });
});
