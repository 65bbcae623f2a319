/**
 * The kernel's warm start: a V8 startup snapshot holding tslab's TypeScript
 * fork already evaluated and the files of a kernel's first program already
 * parsed and bound (build-entry.ts), so a kernel does not spend a second
 * parsing lib.es2022, @types and the toolbox's .d.ts at every start.
 *
 * A blob works only with the node binary that built it, so it is named after
 * that binary (device, inode, size, mtime: what `stat` gives launch.sh
 * cheaply) and lives under the user's cache dir, per installation:
 * `$XDG_CACHE_HOME/scs-toolbox/kernel-snapshot/<installation>/node-<id>.blob`
 * (~/.cache when XDG_CACHE_HOME is unset). launch.sh uses it only when it
 * exists for the node it starts; the kernel adopts the snapshot's TypeScript
 * only when the fork on disk is still the one the blob was built from
 * (warmTypeScript). Anything else starts the kernel as without a snapshot.
 *
 * Built by `scs kernel install` and, when missing or out of date, in the
 * background by a kernel that started without it (refreshSnapshotLater).
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { homedir, setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolboxVersion } from '../session/kernel-info.js';
import { preloadSource, TOOLBOX_ENTRY } from '../session/preload.js';
import { loadTslab } from '../session/tslab.js';
import { WARM_START_KEY, stampOf, type PreloadConversion, type SnapshotBuildConfig, type WarmStart } from './build-entry.js';

export type { WarmStart };

/** The installed package (the folder of its package.json), found without loading the toolbox (not needed at start). */
function packageRoot(): string {
  return join(__dirname, '..', '..', '..');
}

/** launch.sh exports the snapshot folder of the kernelspec here. */
export const SNAPSHOT_DIR_ENV = 'SCS_KERNEL_SNAPSHOT_DIR';
export const BUILD_ENTRY = join(__dirname, 'build-entry.js');
const VERIFY_ENTRY = join(__dirname, 'verify-entry.js');
/** The launcher kernel.json runs (a package file, not compiled). */
export const LAUNCHER = join(packageRoot(), 'kernel', 'launch.sh');
/** A lock older than this is a builder that died. */
const LOCK_STALE_MS = 10 * 60_000;
/** A kernel that started cold waits this long before building, so the build does not slow its first cells. */
const REFRESH_DELAY_MS = 5000;

const tslabRequire = createRequire(require.resolve('tslab/dist/executor.js'));

/** The snapshot folder for this installation (the toolbox package at `root`). */
export function snapshotDir(env: NodeJS.ProcessEnv = process.env, root = packageRoot()): string {
  const cache = env.XDG_CACHE_HOME || join(env.HOME || homedir(), '.cache');
  const installation = createHash('sha256').update(root).digest('hex').slice(0, 16);
  return join(cache, 'scs-toolbox', 'kernel-snapshot', installation);
}

/** What launch.sh computes with `stat -L -c '%d-%i-%s-%Y'`. */
export function nodeIdentity(nodePath = process.execPath): string {
  const st = statSync(nodePath, { bigint: true });
  return `${st.dev}-${st.ino}-${st.size}-${st.mtimeNs / 1_000_000_000n}`;
}

export function blobPath(dir: string, nodePath = process.execPath): string {
  return join(dir, `node-${nodeIdentity(nodePath)}.blob`);
}

function typescriptPath(): string {
  return tslabRequire.resolve('@tslab/typescript-for-tslab');
}

/** The @types folder holding tslab's @types/node (hoisted or nested). */
function nodeTypeRoot(): string | undefined {
  try {
    return join(tslabRequire.resolve('@types/node/package.json'), '..', '..');
  } catch {
    return undefined;
  }
}

/** Everything a blob is built from; a blob whose recorded inputs differ is rebuilt (see isSnapshotFresh). */
function inputsStamp(nodePath: string): Record<string, string> {
  const entry = `${TOOLBOX_ENTRY}.d.ts`;
  return {
    node: nodeIdentity(nodePath), typescript: `${typescriptPath()}@${stampOf(typescriptPath())}`, builder: stampOf(BUILD_ENTRY),
    toolbox: `${toolboxVersion()}@${existsSync(entry) ? stampOf(entry) : 'missing'}`, typeRoots: String(nodeTypeRoot()),
  };
}

/**
 * True when the blob for `nodePath` exists and was built from the inputs there are now, or when
 * this node was found unable to run from one (`.unsupported`, same inputs): nothing to build.
 */
export function isSnapshotFresh(dir = snapshotDir(), nodePath = process.execPath): boolean {
  const blob = blobPath(dir, nodePath);
  const stamp = JSON.stringify(inputsStamp(nodePath));
  const recorded = (file: string) => {
    try {
      return readFileSync(file, 'utf8') === stamp;
    } catch {
      return false;
    }
  };
  return (existsSync(blob) && recorded(`${blob}.json`)) || recorded(`${blob}.unsupported`);
}

/** A process started from the new blob must do what a kernel does first; else the blob is not kept. */
function verifyBlob(nodePath: string, blob: string, stamp: string, tmp: string): void {
  const res = spawnSync(nodePath, ['--snapshot-blob', tmp, VERIFY_ENTRY], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  if (res.status === 0) return;
  writeFileSync(`${blob}.unsupported`, stamp);
  const why = (res.stderr ?? '').trim().split('\n').filter(Boolean).slice(0, 3).join(' ');
  throw new Error(`node ${nodePath} cannot run the kernel from a startup snapshot (${res.error?.message ?? `exit ${res.status ?? res.signal}`}: ${why}); its kernels start without one`);
}

/**
 * The preload cell converted by tslab as a kernel would (no earlier declarations), when it
 * type-checks without errors and the toolbox .d.ts exists; else none (kernels check it at start).
 * The preload's output does not depend on the folder the converter runs in (it names the toolbox
 * by absolute path; its source map names the cell relative to that folder).
 */
function convertPreload(cellSource: string): PreloadConversion | undefined {
  const dts = `${TOOLBOX_ENTRY}.d.ts`;
  if (!existsSync(dts)) return undefined;
  loadTslab();
  const { createConverter } = tslabRequire('./converter.js') as typeof import('tslab/dist/converter.js');
  const converter = createConverter({ isJS: false, isBrowser: false });
  try {
    const result = converter.convert('', cellSource);
    return result.diagnostics.length === 0 && result.output !== undefined ? { source: cellSource, toolboxStamp: stampOf(dts), result } : undefined;
  } finally {
    converter.close();
  }
}

/**
 * The preload cell's conversion from the startup snapshot this process started from, when the
 * snapshot was adopted (warmTypeScript) and `source` and the toolbox .d.ts are those it was
 * built from; the kernel then runs it without type-checking it again (it was, at build time).
 */
export function adoptedPreload(source: string): PreloadConversion | undefined {
  const warm = (globalThis as Record<string, unknown>)[WARM_START_KEY] as WarmStart | undefined;
  const preload = kind === 'warm' ? warm?.preload : undefined;
  if (!preload || preload.source !== source) return undefined;
  try {
    return stampOf(`${TOOLBOX_ENTRY}.d.ts`) === preload.toolboxStamp ? preload : undefined;
  } catch {
    return undefined;
  }
}

export interface BuildSnapshotResult { blob: string; ms: number }

/**
 * Builds the blob for `nodePath` into `dir` (a few seconds, ~50 MB). Written
 * under a temporary name and renamed, so a kernel never starts from half a
 * blob. Throws with the builder's stderr when node cannot build it.
 * `cellSource`: the cell whose imports are parsed into the warm cache (the preload cell).
 */
export function buildSnapshot(dir = snapshotDir(), nodePath = process.execPath, cellSource = preloadSource()): BuildSnapshotResult {
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  const blob = blobPath(dir, nodePath);
  const stamp = JSON.stringify(inputsStamp(nodePath));
  const tmp = `${blob}.tmp-${process.pid}`;
  const rootDir = mkdtempSync(join(tmpdir(), 'scs-kernel-snapshot-'));
  try {
    const config: SnapshotBuildConfig = {
      typescriptPath: typescriptPath(), rootDir, cellSource, typeRoots: [nodeTypeRoot()].filter((r): r is string => !!r), builderStamp: stampOf(BUILD_ENTRY),
      preload: convertPreload(cellSource),
    };
    // The snapshot builder runs its entry with require, __filename and __dirname only: no `exports`,
    // which the compiled module assigns to.
    const entry = join(rootDir, 'build-entry.js');
    writeFileSync(entry, `var exports = {};\n${readFileSync(BUILD_ENTRY, 'utf8')}`);
    const res = spawnSync(nodePath, ['--snapshot-blob', tmp, '--build-snapshot', entry], {
      cwd: rootDir, env: { ...process.env, SCS_KERNEL_SNAPSHOT_CONFIG: JSON.stringify(config) }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (res.status !== 0 || !existsSync(tmp)) {
      throw new Error(`node ${nodePath} could not build the kernel snapshot (${res.error?.message ?? `exit ${res.status ?? res.signal}`}): ${(res.stderr ?? '').trim().split('\n').slice(-5).join('\n')}`);
    }
    verifyBlob(nodePath, blob, stamp, tmp);
    writeFileSync(`${blob}.json`, stamp);
    renameSync(tmp, blob);
    return { blob, ms: performance.now() - t0 };
  } finally {
    rmSync(tmp, { force: true });
    rmSync(rootDir, { recursive: true, force: true });
  }
}

/** Builds unless fresh; one builder at a time per folder (a lock file). Returns null when another holds the lock. */
export function ensureSnapshot(dir = snapshotDir(), nodePath = process.execPath): BuildSnapshotResult | 'fresh' | null {
  if (isSnapshotFresh(dir, nodePath)) return 'fresh';
  mkdirSync(dir, { recursive: true });
  const lock = join(dir, 'build.lock');
  try {
    if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { force: true });
    closeSync(openSync(lock, 'wx'));
  } catch {
    return null;
  }
  try {
    return buildSnapshot(dir, nodePath);
  } finally {
    rmSync(lock, { force: true });
  }
}

let kind: 'warm' | 'stale' | 'cold' = 'cold';

/**
 * The state of this process's start: 'warm' (from a snapshot, TypeScript
 * adopted), 'stale' (from a snapshot built from another fork, not used) or
 * 'cold' (no snapshot). Set by warmTypeScript.
 */
export function startKind(): 'warm' | 'stale' | 'cold' {
  return kind;
}

/**
 * Puts the snapshot's TypeScript fork into the module cache at `path` (where
 * tslab requires it from), when this process started from a snapshot built
 * from that very file; returns the reason when it does not.
 */
export function warmTypeScript(path: string): { ok: true; warm: WarmStart } | { ok: false; reason: string } {
  const warm = (globalThis as Record<string, unknown>)[WARM_START_KEY] as WarmStart | undefined;
  if (!warm) return { ok: false, reason: 'not started from a snapshot' };
  let reason: string | undefined;
  if (warm.typescriptPath !== path) reason = `the snapshot holds ${warm.typescriptPath}, tslab uses ${path}`;
  else if (stampOf(path) !== warm.typescriptStamp) reason = `${path} changed since the snapshot was built`;
  else if (stampOf(BUILD_ENTRY) !== warm.builderStamp) reason = 'the snapshot was built by another build of the kernel';
  if (reason) {
    kind = 'stale';
    warm.files.clear();
    return { ok: false, reason };
  }
  const module = new Module(path);
  module.filename = path;
  module.loaded = true;
  module.exports = warm.typescript;
  require.cache[path] = module;
  kind = 'warm';
  return { ok: true, warm };
}

/**
 * After a start without a usable snapshot (and only under launch.sh, which
 * names the folder): builds one in a detached, low-priority process a few
 * seconds later, for the next start.
 */
export function refreshSnapshotLater(log: (line: string) => void, env: NodeJS.ProcessEnv = process.env): void {
  const dir = env[SNAPSHOT_DIR_ENV];
  if (!dir || env.SCS_KERNEL_SNAPSHOT === 'off') return;
  setTimeout(() => {
    try {
      if (isSnapshotFresh(dir)) return;
      const child = spawn(process.execPath, [__filename, '--build', dir], { detached: true, stdio: 'ignore' });
      child.on('error', (err) => log(`cannot start the snapshot builder: ${err.message}`));
      if (child.pid) {
        try {
          setPriority(child.pid, 10);
        } catch {
          // a lower priority is a courtesy to the running kernel, not a need
        }
      }
      child.unref();
      log(`building the kernel snapshot for the next start in the background (${dir})`);
    } catch (err) {
      log(`cannot build the kernel snapshot: ${(err as Error).message}`);
    }
  }, REFRESH_DELAY_MS).unref();
}

// `node snapshot.js --build DIR`: the background builder refreshSnapshotLater starts.
if (require.main === module && process.argv[2] === '--build' && process.argv[3]) {
  try {
    ensureSnapshot(process.argv[3]);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
