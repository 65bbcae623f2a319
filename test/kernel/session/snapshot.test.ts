/**
 * The kernel's warm start (kernel/snapshot/, kernel/launch.sh): a kernel
 * started from the startup snapshot type-checks its first cell like a cold
 * one, a missing, foreign or stale snapshot falls back to the cold start, and
 * a .d.ts whose text changed after the snapshot was built is parsed again.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_KERNEL_MAIN, startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { LAUNCHER, blobPath, buildSnapshot, nodeIdentity, warmTypeScript } from '../../../kernel/snapshot/snapshot.js';
import { WARM_START_KEY } from '../../../kernel/snapshot/build-entry.js';
import { preloadSource } from '../../../kernel/session/preload.js';
import { resultText, run } from './cells.js';
import { alive, childrenOf } from '../../helpers/processes.js';
import { eventually } from '../transport/echo.js';

function launch(snapshotDir: string, cwd?: string, env: NodeJS.ProcessEnv = {}): Promise<StartedKernel> {
  return startKernel({ argv: ['/bin/sh', LAUNCHER, process.execPath, DEFAULT_KERNEL_MAIN, snapshotDir, '{connection_file}'], env: { SCS_KERNEL_LOG_START: '1', SCS_KERNEL_SNAPSHOT: '', ...env }, cwd });
}

/** The io relay launch.sh starts next to a kernel started from the snapshot, if it runs. */
function relayOf(kernel: StartedKernel): { pid: number; cmdline: string } | undefined {
  return childrenOf(kernel.process.pid!).find((c) => c.cmdline.includes(join('kernel', 'relay.js')));
}

/** The kernel logs how it started once it serves; the first answered cell comes after that. */
function startLine(kernel: StartedKernel): string {
  return /\[scs-kernel\] ((?:warm|cold) start[^\n]*)/.exec(kernel.stderr())?.[1] ?? `no start line in: ${kernel.stderr()}`;
}

describe('kernel startup snapshot', function () {
  this.timeout(300_000);
  let root: string;
  let moduleDir: string;
  /** Why this node cannot start from a snapshot (Node 24.21 aborts in a worker's crypto), if so. */
  let unsupported: string | undefined;
  /** Warm-start tests need a node that can run from a snapshot; on one that cannot, kernels start cold (next tests). */
  const needsSnapshot = (ctx: Mocha.Context): void => {
    if (unsupported) ctx.skip();
  };
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'scs-kernel-snapshot-'));
    // A module of our own next to the toolbox in the warm cache: its .d.ts changes after the build.
    moduleDir = join(root, 'mod');
    writeModule(moduleDir, 'export declare const v: number;\n', 'exports.v = 1;\n');
    try {
      buildSnapshot(join(root, 'snap'), process.execPath, `${preloadSource()}\nimport * as m from ${JSON.stringify(join(moduleDir, 'm'))};`);
    } catch (err) {
      const message = (err as Error).message;
      // the build's own check: a node that cannot run the kernel from a snapshot is marked, and says so
      assert.match(message, /cannot run the kernel from a startup snapshot .*; its kernels start without one$/s);
      assert.ok(existsSync(`${blobPath(join(root, 'snap'))}.unsupported`), message);
      unsupported = message;
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('starts from the snapshot and reports a type error of the first cell', async function () {
    needsSnapshot(this);
    const kernel = await launch(join(root, 'snap'));
    try {
      const bad = await run(kernel.client, 'const n: number = "x";\nn');
      assert.equal(bad.reply.content.status, 'error');
      assert.equal(bad.reply.content.ename, 'TSError');
      assert.match(bad.reply.content.evalue, /Type 'string' is not assignable to type 'number'/);
      // this snapshot was built from another preload cell: the kernel's own is type-checked at start
      assert.match(startLine(kernel), /^warm start: tslab's TypeScript and \d+ parsed files from the startup snapshot; preload type-checked;/);
      const cell = await run(kernel.client, 'const a = new tb.DataArray(Float64Array.of(1, 2, 3), { dims: ["x"], shape: [3] });\na.mean().item() + 1');
      assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
      assert.equal(resultText(cell), '3');
      const thrown = await run(kernel.client, 'const pulses = 3;\nthrow new RangeError(`bad pulse count ${pulses}`);');
      assert.equal(thrown.reply.content.ename, 'RangeError');
      assert.match(thrown.reply.content.traceback.join('\n'), /Cell In\[\d+\], line 2:7/);
      const typo = await run(kernel.client, 'tb.DataAray');
      assert.match(typo.reply.content.evalue, /Property 'DataAray' does not exist/);
      // The sockets are the io relay's, linked to the io thread; a cell does not see the relay's name.
      assert.ok(relayOf(kernel), 'the io relay runs as the kernel\'s child');
      assert.doesNotMatch(kernel.stderr(), /binding the sockets here|io relay .*ended/);
      const env = await run(kernel.client, 'process.env.SCS_KERNEL_IO_RELAY === undefined ? 1 : 2');
      assert.equal(resultText(env), '1');
    } finally {
      await kernel.stop();
    }
  });

  it('keeps the sockets in the io thread with SCS_KERNEL_IO_RELAY=off, and ends the relay with the kernel otherwise', async function () {
    needsSnapshot(this);
    const plain = await launch(join(root, 'snap'), undefined, { SCS_KERNEL_IO_RELAY: 'off' });
    try {
      assert.equal(relayOf(plain), undefined);
      assert.equal(resultText(await run(plain.client, '1+1')), '2');
      assert.match(startLine(plain), /^warm start/);
    } finally {
      await plain.stop();
    }
    const kernel = await launch(join(root, 'snap'));
    const relay = relayOf(kernel);
    assert.ok(relay, 'the io relay runs as the kernel\'s child');
    await kernel.stop();
    await eventually(() => !alive(relay.pid), 'the io relay to end with the kernel', 5000);
  });

  it('adopts the preload cell\'s conversion from a snapshot built from it, and still checks every user cell', async function () {
    needsSnapshot(this);
    buildSnapshot(join(root, 'snap-preload'));
    const kernel = await launch(join(root, 'snap-preload'));
    try {
      const bad = await run(kernel.client, 'const n: number = "x";\nn');
      assert.equal(bad.reply.content.ename, 'TSError');
      assert.match(bad.reply.content.evalue, /Type 'string' is not assignable to type 'number'/);
      assert.match(startLine(kernel), /^warm start: .*; preload checked when the snapshot was built;/);
      const typo = await run(kernel.client, 'tb.DataAray');
      assert.match(typo.reply.content.evalue, /Property 'DataAray' does not exist/);
      const cell = await run(kernel.client, 'const s: string = input.name + typeof tb.DataArray;\ns');
      assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
      assert.equal(resultText(cell), 'inputfunction');
    } finally {
      await kernel.stop();
    }
  });

  it('parses a .d.ts again when its text changed after the snapshot was built', async function () {
    needsSnapshot(this);
    const kernel = await launch(join(root, 'snap'), root);
    try {
      writeModule(moduleDir, 'export declare const v: string;\nexport declare const w: number;\n', 'exports.v = "s"; exports.w = 2;\n');
      const cell = await run(kernel.client, `import * as m from ${JSON.stringify(join(moduleDir, 'm'))};\nconst s: string = m.v;\nm.w + s.length`);
      assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
      assert.equal(resultText(cell), '3');
      assert.match(startLine(kernel), /^warm start/);
    } finally {
      writeModule(moduleDir, 'export declare const v: number;\n', 'exports.v = 1;\n');
      await kernel.stop();
    }
  });

  it('starts cold without a snapshot, or with only another node binary\'s blob', async () => {
    const foreign = join(root, 'foreign');
    // named after another binary (a blob of another node): launch.sh never gives it to this node
    buildDummyBlob(foreign, '/bin/sh');
    for (const dir of [join(root, 'missing'), foreign]) {
      const kernel = await launch(dir);
      try {
        const cell = await run(kernel.client, '1+1');
        assert.equal(resultText(cell), '2');
        assert.match(startLine(kernel), /^cold start \(not started from a snapshot\)/);
        const bad = await run(kernel.client, 'const n: number = "x";');
        assert.equal(bad.reply.content.ename, 'TSError');
      } finally {
        await kernel.stop();
      }
    }
  });

  it('does not adopt the TypeScript of a snapshot built from another file or an older version of it', () => {
    const key = WARM_START_KEY;
    const g = globalThis as Record<string, unknown>;
    const path = require.resolve('tslab/dist/converter.js');
    try {
      g[key] = { typescriptPath: '/elsewhere/typescript.js', typescriptStamp: '1:1', builderStamp: '1:1', typescript: {}, files: new Map([['x', {}]]), hits: 0, misses: 0 };
      const other = warmTypeScript(path);
      assert.equal(other.ok, false);
      assert.match((other as { reason: string }).reason, /the snapshot holds \/elsewhere\/typescript\.js/);
      g[key] = { typescriptPath: path, typescriptStamp: '1:1', builderStamp: '1:1', typescript: {}, files: new Map(), hits: 0, misses: 0 };
      const older = warmTypeScript(path);
      assert.equal(older.ok, false);
      assert.match((older as { reason: string }).reason, /changed since the snapshot was built/);
      assert.equal(require.cache[path]?.exports === (g[key] as { typescript: unknown }).typescript, false);
    } finally {
      delete g[key];
    }
  });

  it('names a blob after the node binary as launch.sh does', () => {
    const st = statSync(process.execPath);
    assert.equal(nodeIdentity(), `${st.dev}-${st.ino}-${st.size}-${Math.floor(st.mtimeMs / 1000)}`);
    assert.match(blobPath('/x'), /^\/x\/node-\d+-\d+-\d+-\d+\.blob$/);
  });
});

function writeModule(dir: string, dts: string, js: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'm.d.ts'), dts);
  writeFileSync(join(dir, 'm.js'), js);
}

function buildDummyBlob(dir: string, otherBinary: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `node-${nodeIdentity(otherBinary)}.blob`), 'not a snapshot');
}
