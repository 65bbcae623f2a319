/**
 * Kernelspecs for this kernel: where Jupyter looks for them, and writing,
 * listing and removing ours. A kernelspec is a folder `kernels/<name>/` under
 * a Jupyter data directory holding kernel.json (+ logos); Jupyter finds it by
 * scanning its data path (see `jupyter --paths`); where that path is, and
 * where --user, --prefix and --sys-prefix install, is the protocol package's
 * (protocol/paths.ts), shared with the runner's kernel lookup.
 *
 * Our specs start `node <this package>/kernel/main.js {connection_file}` (through
 * kernel/launch.sh, which adds the startup snapshot when there is one) with
 * the Node that ran the install and the toolbox of that installation, so a
 * proposal environment's spec keeps using that environment's toolbox version.
 * They are recognised by `metadata.scs_toolbox`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { VALID_KERNEL_NAME, dataDirFor, jupyterPath, kernelSpecDirs, type Env, type SpecLocation } from '../protocol/index.js';
import { ToolBoxPathError, ToolBoxValueError, packageRoot, toolboxVersion } from '../toolbox/index.js';
import { LAUNCHER, blobPath, ensureSnapshot, snapshotDir } from './snapshot/snapshot.js';

export { dataDirFor, jupyterPath, userDataDir, type SpecLocation } from '../protocol/index.js';

export interface InstallOptions {
  /** Folder name, Jupyter's kernel_name (default 'scs-toolbox'); lower-cased as Jupyter does. */
  name?: string;
  displayName?: string;
  /** Default: the user's data dir. */
  location?: SpecLocation;
  /** Extra environment variables for the kernel process, merged over GLIBC_TUNABLES. */
  env?: Record<string, string>;
  /** Replaces the command line; for tests and benchmarks that point a spec at another kernel. */
  argv?: string[];
  /**
   * Build the kernel's startup snapshot for this node now (a few seconds), unless a fresh one
   * exists; `scs kernel install` does. Otherwise the first kernel started builds it in the background.
   */
  snapshot?: boolean;
}

export interface KernelSpecJson {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: 'signal' | 'message';
  env?: Record<string, string>;
  metadata?: { scs_toolbox?: { version: string; path: string }; [key: string]: unknown };
}

export interface InstalledSpec {
  name: string;
  /** The kernelspec folder. */
  dir: string;
  spec: KernelSpecJson;
  /** With `snapshot`: the blob built or found fresh, or why there is none. */
  snapshot?: string;
}

export const DEFAULT_KERNEL_NAME = 'scs-toolbox';
/** Node's allocator asks for huge pages only when glibc is told at start (see docs/benchmarks.md). */
export const KERNEL_ENV = { GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' } as const;
const LOGOS = ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg'];

export { packageRoot, toolboxVersion };

/** The compiled kernel entry next to this file (dist/kernel/main.js in the package). */
export function kernelMainPath(): string {
  return join(__dirname, 'main.js');
}

export function validateKernelName(name: string): string {
  if (!VALID_KERNEL_NAME.test(name)) {
    throw new ToolBoxValueError(`invalid kernel name '${name}': use only letters, digits, '.', '_' and '-' (Jupyter's rule), e.g. 'toolbox_2719'`);
  }
  return name.toLowerCase();
}

export function kernelSpecJson(opts: Pick<InstallOptions, 'displayName' | 'env' | 'argv'> = {}): KernelSpecJson {
  const version = toolboxVersion();
  return {
    // launch.sh starts node from the startup snapshot when one exists for this node (docs/kernel.md).
    argv: opts.argv ?? ['/bin/sh', LAUNCHER, process.execPath, kernelMainPath(), snapshotDir(), '{connection_file}'],
    display_name: opts.displayName ?? `TypeScript (SCS ToolBox ${version})`,
    language: 'typescript',
    interrupt_mode: 'signal',
    env: { ...KERNEL_ENV, ...opts.env },
    metadata: { scs_toolbox: { version, path: packageRoot() } },
  };
}

function readSpec(dir: string): KernelSpecJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as KernelSpecJson;
  } catch {
    return null;
  }
}

function isOurs(spec: KernelSpecJson | null): boolean {
  return !!spec?.metadata?.scs_toolbox;
}

/**
 * Writes `<data dir>/kernels/<name>/` (kernel.json + logos). The folder is
 * built under a temporary name and renamed into place, so Jupyter never sees
 * a half-written spec. An existing spec of ours is replaced; one that is not
 * ours (python3, tslab) is left alone with an error.
 */
export function installKernelSpec(opts: InstallOptions = {}): InstalledSpec {
  const name = validateKernelName(opts.name ?? DEFAULT_KERNEL_NAME);
  const kernelsDir = join(dataDirFor(opts.location ?? { user: true }), 'kernels');
  const dir = join(kernelsDir, name);
  if (existsSync(dir) && !isOurs(readSpec(dir))) {
    throw new ToolBoxPathError(`${dir} holds a kernelspec that is not an SCS ToolBox one; remove it with 'jupyter kernelspec remove ${name}' or choose another --name`, dir);
  }
  if (!opts.argv && !existsSync(kernelMainPath())) {
    process.emitWarning(`the kernel entry ${kernelMainPath()} does not exist (package not built?); the kernelspec will not start until it does`, 'ToolBoxWarning');
  }
  const spec = kernelSpecJson(opts);
  try {
    mkdirSync(kernelsDir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot create ${kernelsDir}: ${(err as Error).message}`, kernelsDir, { cause: err });
  }
  // temporaries live beside kernels/, not in it: Jupyter would list a dot-folder holding kernel.json as a kernel
  const tag = `${process.pid}-${Date.now().toString(36)}`;
  const tmp = join(dirname(kernelsDir), `.scs-kernel-${name}.tmp-${tag}`);
  try {
    mkdirSync(tmp);
    const logos = join(packageRoot(), 'kernel', 'logos');
    for (const logo of LOGOS) if (existsSync(join(logos, logo))) copyFileSync(join(logos, logo), join(tmp, logo));
    writeFileSync(join(tmp, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
    if (existsSync(dir)) {
      const old = join(dirname(kernelsDir), `.scs-kernel-${name}.old-${tag}`);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw new ToolBoxPathError(`cannot write kernelspec ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
  return { name, dir, spec, snapshot: opts.snapshot && !opts.argv ? prepareSnapshot() : undefined };
}

/** Builds the startup snapshot unless fresh; a failure leaves the kernel starting without it. */
function prepareSnapshot(): string {
  try {
    const built = ensureSnapshot();
    if (built === 'fresh') return `startup snapshot up to date (${blobPath(snapshotDir())})`;
    if (built === null) return 'startup snapshot being built by another process';
    return `startup snapshot built in ${(built.ms / 1000).toFixed(1)} s (${built.blob})`;
  } catch (err) {
    process.emitWarning(`the kernel's startup snapshot could not be built; kernels start without it: ${(err as Error).message}`, 'ToolBoxWarning');
    return 'no startup snapshot (could not be built)';
  }
}

/**
 * Our kernelspecs among those Jupyter finds (a name found twice is the one
 * Jupyter takes, the first on its data path); relative JUPYTER_PATH entries
 * are taken against `cwd`.
 */
export function listKernelSpecs(env: Env = process.env, cwd = process.cwd()): InstalledSpec[] {
  const ours: InstalledSpec[] = [];
  for (const [name, dir] of kernelSpecDirs({ env, cwd })) {
    const spec = readSpec(dir);
    if (spec && isOurs(spec)) ours.push({ name, dir, spec });
  }
  return ours.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Removes our kernelspec `name` from `location`, or, without one, the spec
 * Jupyter would use. Specs that are not ours are never removed.
 */
export function removeKernelSpec(name: string, location?: SpecLocation, env: Env = process.env): string {
  const key = validateKernelName(name);
  let dir: string | undefined;
  if (location) {
    dir = join(dataDirFor(location, env), 'kernels', key);
    if (!existsSync(dir)) throw new ToolBoxPathError(`no kernelspec '${key}' in ${dirname(dir)}`, dir);
    if (!isOurs(readSpec(dir))) throw new ToolBoxPathError(`${dir} is not an SCS ToolBox kernelspec; use 'jupyter kernelspec remove ${key}'`, dir);
  } else {
    dir = listKernelSpecs(env).find((s) => s.name === key)?.dir;
    if (!dir) throw new ToolBoxPathError(`no SCS ToolBox kernelspec '${key}' on the Jupyter data path (${jupyterPath(env).join(', ')})`);
  }
  try {
    rmSync(dir, { recursive: true });
  } catch (err) {
    throw new ToolBoxPathError(`cannot remove ${dir}: ${(err as Error).message}`, dir, { cause: err });
  }
  return dir;
}
