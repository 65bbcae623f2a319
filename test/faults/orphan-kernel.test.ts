/**
 * Item 2 of issue RELIAB: a kernel must not outlive the runner that started it.
 * `scs run` starts a notebook whose cell runs long, the runner is SIGKILLed
 * (as the OOM killer would), and within 10 s no kernel process may remain and
 * our kernel's connection folder must be gone. Real processes, real signals;
 * the kernel is found as the runner's child in /proc.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { sweepStaleConnectionDirs } from '../../runner/engine/connection-dirs.js';
import { codeNotebook } from '../helpers/jupyter.js';
import { runSuite, scs, startScs } from '../runner/helpers.js';

/** ppid and state of a live process, or undefined once it is gone (a zombie counts as gone: it runs nothing). */
function procStat(pid: number): { ppid: number; state: string } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z' || fields[0] === 'X') return undefined;
    return { state: fields[0]!, ppid: Number(fields[1]) };
  } catch {
    return undefined;
  }
}

function childrenOf(pid: number): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((p) => procStat(p)?.ppid === pid);
}

function cmdline(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
}

async function until(what: string, ms: number, test: () => boolean): Promise<number> {
  const start = Date.now();
  while (!test()) {
    if (Date.now() - start > ms) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - start;
}

interface Orphan { kernelPid: number; connectionFile: string; exitMs: number }

/** Runs the notebook until the marker is printed, SIGKILLs the runner, and waits (10 s at most) for the kernel to end. */
async function killRunnerMidCell(suite: ReturnType<typeof runSuite>, notebook: string, marker: string): Promise<Orphan> {
  const { child, done } = startScs(['run', notebook, suite.out('out.ipynb'), '--log-output', '--no-progress-bar'], suite.opts);
  // The cell creates the marker file: a synchronous loop holds its console output until it ends.
  const markerFile = join(suite.sb.notebooks, marker);
  try {
    await until(`the cell's marker file ${marker}`, 60_000, () => existsSync(markerFile));
  } catch (err) {
    for (const pid of childrenOf(child.pid!)) process.kill(pid, 'SIGKILL');
    child.kill('SIGKILL');
    throw err;
  }
  const kernels = childrenOf(child.pid!);
  assert.equal(kernels.length, 1, `the runner should have one child (the kernel), has ${kernels.join(', ')}`);
  const kernelPid = kernels[0]!;
  const argv = cmdline(kernelPid);
  const connectionFile = argv.find((a) => a.endsWith('.json'))!;
  assert.ok(existsSync(connectionFile), `connection file in the kernel's argv: ${argv.join(' ')}`);
  child.kill('SIGKILL');
  const ran = await done;
  assert.equal(ran.signal, 'SIGKILL');
  try {
    const exitMs = await until(`kernel ${kernelPid} ending after its runner was killed`, 10_000, () => procStat(kernelPid) === undefined);
    return { kernelPid, connectionFile, exitMs };
  } catch (err) {
    try { process.kill(kernelPid, 'SIGKILL'); } catch { /* gone meanwhile */ }
    throw err;
  }
}

describe('faults: orphaned kernels (runner SIGKILLed mid-cell)', function () {
  this.timeout(120_000);
  const suite = runSuite({ ourKernel: true });

  const writeNb = (name: string, sources: string[], kernel: string) => {
    const path = suite.out(name);
    writeFileSync(path, JSON.stringify(codeNotebook(sources, kernel)));
    return path;
  };

  it('our kernel ends within 10 s while a synchronous loop runs, and removes its connection folder', async () => {
    const nb = writeNb('busy.ipynb', ["import * as fs from 'node:fs';\nfs.writeFileSync('busy-started', '');\nwhile (true) { /* spin */ }"], 'scs-test');
    const orphan = await killRunnerMidCell(suite, nb, 'busy-started');
    assert.ok(orphan.exitMs < 10_000);
    assert.match(dirname(orphan.connectionFile), /scs-runner-/);
    await until('connection folder removal', 2_000, () => !existsSync(dirname(orphan.connectionFile)));
  });

  it('our kernel ends within 10 s while an async cell sleeps, and removes its connection folder', async () => {
    const nb = writeNb('sleep.ipynb', ["import * as fs from 'node:fs';\nfs.writeFileSync('sleep-started', '');\nawait new Promise((resolve) => setTimeout(resolve, 600_000));"], 'scs-test');
    const orphan = await killRunnerMidCell(suite, nb, 'sleep-started');
    await until('connection folder removal', 2_000, () => !existsSync(dirname(orphan.connectionFile)));
  });

  // ipykernel's poller only checks whether its parent became pid 1, so this holds where no subreaper adopts orphans
  it('ipykernel (python3) ends within 10 s: the runner sets JPY_PARENT_PID as jupyter_client does', async () => {
    const nb = writeNb('py.ipynb', ["open('py-started', 'w').close()\nimport time\nwhile True: time.sleep(0.1)"], 'python3');
    const orphan = await killRunnerMidCell(suite, nb, 'py-started');
    assert.ok(orphan.exitMs < 10_000);
    // ipykernel leaves the folder; the next runner on this host removes it (its runner's pid is gone)
    const folder = dirname(orphan.connectionFile);
    assert.match(folder, new RegExp(`/scs-runner-\\d+@${hostname()}-[^/]{6}$`));
    const next = await scs(['run', writeNb('quick.ipynb', ['1 + 1'], 'python3'), suite.out('quick-out.ipynb')], suite.opts);
    assert.equal(next.code, 0, next.stderr);
    assert.equal(existsSync(folder), false, `${folder} should have been swept`);
  });

  it('the kernel gets JPY_PARENT_PID = the runner and its marked connection folder', async () => {
    const nb = writeNb('env.ipynb', ["console.log('env', process.env.JPY_PARENT_PID, process.env.SCS_KERNEL_CONNECTION_DIR);"], 'scs-test');
    const { child, done } = startScs(['run', nb, suite.out('env-out.ipynb'), '--log-output', '--no-progress-bar'], suite.opts);
    const ran = await done;
    assert.equal(ran.code, 0, ran.stderr);
    const line = ran.stderr.split('\n').find((l) => l.startsWith('env '));
    const [, pid, dir] = (line ?? '').split(' ');
    assert.equal(pid, String(child.pid));
    assert.match(dir ?? '', /\/scs-runner-[^/]+$/);
    assert.equal(existsSync(join(dir!)), false, 'the runner removes the folder at a normal end');
  });

  it('sweeps only this host\'s connection folders whose runner pid is gone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-sweep-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      const names = [`scs-runner-${dead}@${hostname()}-abcdef`, `scs-runner-${process.pid}@${hostname()}-abcdef`,
        `scs-runner-${dead}@elsewhere.example-abcdef`, 'scs-runner-abcdef'];
      for (const name of names) mkdirSync(join(dir, name));
      assert.deepEqual(sweepStaleConnectionDirs(dir), [names[0]]);
      assert.deepEqual(readdirSync(dir).sort(), names.slice(1).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
