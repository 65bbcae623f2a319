/**
 * Kernelspec discovery as jupyter_client's KernelSpecManager does it:
 * `kernels/<name>/kernel.json` under every directory of the Jupyter data path
 * (paths.ts), the first directory holding a name winning; names compare
 * case-insensitively (jupyter_client lowercases them). Also the launch-time
 * rules of a spec: argv placeholders and the environment it adds.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { KernelSpecError, NoSuchKernelError } from './errors.js';
import { jupyterPath, type Env } from './paths.js';

export interface KernelSpec {
  /** the name as found on disk, lowercased (jupyter_client's key) */
  name: string;
  /** the kernel's folder (logos, kernel.js; {resource_dir} in argv) */
  resourceDir: string;
  argv: string[];
  displayName: string;
  language: string;
  interruptMode: 'signal' | 'message';
  /** extra environment, values still holding ${VAR} references (expanded at launch) */
  env: Record<string, string>;
  metadata: Record<string, unknown>;
}

/** Where to look: the environment and the directory relative JUPYTER_PATH entries are taken against. */
export interface LookupOptions {
  env?: Env;
  cwd?: string;
  /** told about each spec that is skipped because its kernel.json is broken */
  warn?: (message: string) => void;
}

/** jupyter_client's rule for kernel names. */
export const VALID_KERNEL_NAME = /^[a-z0-9._-]+$/i;

/** Every installed kernel name → its folder, the first occurrence on the data path winning. */
export function kernelSpecDirs(options: LookupOptions = {}): Map<string, string> {
  const found = new Map<string, string>();
  for (const dataDir of jupyterPath(options.env, options.cwd)) {
    const kernels = join(dataDir, 'kernels');
    let entries: string[];
    try {
      entries = readdirSync(kernels);
    } catch {
      continue; // missing or unreadable folders are normal on the path
    }
    for (const entry of entries.sort()) {
      const dir = join(kernels, entry);
      const key = entry.toLowerCase();
      if (!found.has(key) && isKernelDir(dir)) found.set(key, dir);
    }
  }
  return found;
}

function isKernelDir(dir: string): boolean {
  try {
    return statSync(dir).isDirectory() && existsSync(join(dir, 'kernel.json'));
  } catch {
    return false;
  }
}

/** All installed kernelspecs, sorted by name; a spec whose kernel.json is broken is skipped (and `warn` told). */
export function listKernelSpecs(options: LookupOptions = {}): KernelSpec[] {
  const specs: KernelSpec[] = [];
  for (const [name, dir] of kernelSpecDirs(options)) {
    try {
      specs.push(readKernelSpec(name, dir));
    } catch (err) {
      options.warn?.(`skipping kernelspec ${dir}: ${(err as Error).message}`);
    }
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/** The kernelspec called `name`; NoSuchKernelError (listing the installed names) when there is none. */
export function findKernelSpec(name: string, options: LookupOptions = {}): KernelSpec {
  const dirs = kernelSpecDirs(options);
  const dir = dirs.get(name.toLowerCase());
  if (!dir) throw new NoSuchKernelError(name, [...dirs.keys()].sort());
  return readKernelSpec(name.toLowerCase(), dir);
}

/** Reads and checks `dir`/kernel.json; KernelSpecError names the file and the field at fault. */
export function readKernelSpec(name: string, dir: string): KernelSpec {
  const file = join(dir, 'kernel.json');
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new KernelSpecError(`kernelspec ${file} is not valid JSON: ${(err as Error).message}`, file, { cause: err });
  }
  const bad = (what: string) => new KernelSpecError(`kernelspec ${file}: ${what}`, file);
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw bad('not a JSON object');
  const spec = raw as Record<string, unknown>;
  const argv = spec.argv;
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((a: unknown) => typeof a === 'string')) {
    throw bad('"argv" must be a non-empty list of strings');
  }
  const mode = spec.interrupt_mode ?? 'signal';
  if (mode !== 'signal' && mode !== 'message') throw bad(`"interrupt_mode" must be "signal" or "message", not ${JSON.stringify(mode)}`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries((spec.env ?? {}) as Record<string, unknown>)) env[k] = String(v);
  const metadata = spec.metadata;
  return {
    name,
    resourceDir: dir,
    argv: argv as string[],
    displayName: typeof spec.display_name === 'string' ? spec.display_name : name,
    language: typeof spec.language === 'string' ? spec.language : '',
    interruptMode: mode,
    env,
    metadata: metadata && typeof metadata === 'object' ? metadata as Record<string, unknown> : {},
  };
}

/**
 * Python's string.Template.safe_substitute, which jupyter_client applies to kernelspec env
 * values: `$NAME` and `${NAME}` take the value from `vars`, `$$` is a dollar, unknown names stay
 * as written.
 */
export function expandVars(value: string, vars: Env): string {
  return value.replace(/\$(?:(\$)|([_a-zA-Z][_a-zA-Z0-9]*)|\{([_a-zA-Z][_a-zA-Z0-9]*)\})/g, (whole, dollar, bare, braced) => {
    if (dollar) return '$';
    const v = vars[bare ?? braced];
    return v === undefined ? whole : v;
  });
}

/** The kernel's full environment: the base environment, then the kernelspec's env with ${VAR} expanded against it. */
export function kernelEnvironment(spec: KernelSpec, base: Env): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
  for (const [k, v] of Object.entries(spec.env)) env[k] = expandVars(v, base);
  return env;
}

/** argv with jupyter_client's placeholders filled in. */
export function kernelArgv(spec: KernelSpec, connectionFile: string): string[] {
  return spec.argv.map((arg) =>
    arg.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', spec.resourceDir));
}
