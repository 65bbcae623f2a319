/**
 * Kernelspec lookup as jupyter_client 7 does it, so `-k NAME` finds exactly the kernels
 * `jupyter kernelspec list` shows: `kernels/<name>/kernel.json` under, in order, every
 * JUPYTER_PATH entry, the user data dir (JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else
 * ~/.local/share/jupyter), Python's user base ($PYTHONUSERBASE or ~/.local, + share/jupyter),
 * then /usr/local/share/jupyter and /usr/share/jupyter (Debian's sys.prefix). The first
 * directory holding a name wins; names compare case-insensitively (jupyter_client lowercases).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { NoSuchKernelError, RunnerError } from '../errors.js';

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

type Env = Record<string, string | undefined>;

/** The Jupyter data directories in lookup order (duplicates removed). */
export function jupyterDataPath(env: Env = process.env): string[] {
  const dirs: string[] = [];
  for (const entry of (env.JUPYTER_PATH ?? '').split(delimiter)) if (entry) dirs.push(entry);
  // Python's user base (pip install --user puts kernelspecs there), as jupyter_core adds it
  const userBase = env.PYTHONUSERBASE || join(env.HOME || homedir(), '.local');
  dirs.push(userDataDir(env), join(userBase, 'share', 'jupyter'), '/usr/local/share/jupyter', '/usr/share/jupyter');
  return [...new Set(dirs.map((d) => d.replace(/\/+$/, '') || '/'))];
}

function userDataDir(env: Env): string {
  if (env.JUPYTER_DATA_DIR) return env.JUPYTER_DATA_DIR;
  const home = env.HOME || homedir();
  return join(env.XDG_DATA_HOME || join(home, '.local', 'share'), 'jupyter');
}

/** Every installed kernel name → its folder, first occurrence on the data path winning. */
function kernelDirs(env: Env): Map<string, string> {
  const found = new Map<string, string>();
  for (const dataDir of jupyterDataPath(env)) {
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

/** All installed kernelspecs, sorted by name; specs whose kernel.json does not parse are skipped with a warning. */
export function listKernelSpecs(env: Env = process.env): KernelSpec[] {
  const specs: KernelSpec[] = [];
  for (const [name, dir] of kernelDirs(env)) {
    try {
      specs.push(readKernelSpec(name, dir));
    } catch (err) {
      process.emitWarning(`skipping kernelspec ${dir}: ${(err as Error).message}`, 'ToolBoxWarning');
    }
  }
  return specs.sort((a, b) => a.name.localeCompare(b.name));
}

/** The kernelspec called `name`; NoSuchKernelError (listing the installed names) when there is none. */
export function findKernelSpec(name: string, env: Env = process.env): KernelSpec {
  const dirs = kernelDirs(env);
  const dir = dirs.get(name.toLowerCase());
  if (!dir) throw new NoSuchKernelError(name, [...dirs.keys()].sort());
  return readKernelSpec(name.toLowerCase(), dir);
}

function readKernelSpec(name: string, dir: string): KernelSpec {
  const file = join(dir, 'kernel.json');
  let raw: any;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new RunnerError(`kernelspec ${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  const bad = (what: string) => new RunnerError(`kernelspec ${file}: ${what}`);
  if (!raw || typeof raw !== 'object') throw bad('not a JSON object');
  if (!Array.isArray(raw.argv) || raw.argv.length === 0 || !raw.argv.every((a: unknown) => typeof a === 'string')) {
    throw bad('"argv" must be a non-empty list of strings');
  }
  const mode = raw.interrupt_mode ?? 'signal';
  if (mode !== 'signal' && mode !== 'message') throw bad(`"interrupt_mode" must be "signal" or "message", not ${JSON.stringify(mode)}`);
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries((raw.env ?? {}) as Record<string, unknown>)) env[k] = String(v);
  return {
    name,
    resourceDir: dir,
    argv: raw.argv as string[],
    displayName: typeof raw.display_name === 'string' ? raw.display_name : name,
    language: typeof raw.language === 'string' ? raw.language : '',
    interruptMode: mode,
    env,
    metadata: raw.metadata && typeof raw.metadata === 'object' ? raw.metadata : {},
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
