/**
 * Jupyter's data directories, found as jupyter_core finds them on Linux, so
 * that what we install, list and launch is what `jupyter kernelspec list`
 * shows. In search order (jupyter_core.paths.jupyter_path):
 * 1. every JUPYTER_PATH entry;
 * 2. the user's: the data dir (JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter,
 *    else ~/.local/share/jupyter), then Python's user base (PYTHONUSERBASE,
 *    else ~/.local) + share/jupyter, when Python's user site is enabled;
 * 3. the environment's: sys.prefix + share/jupyter, unless it is a system dir
 *    (JUPYTER_PREFER_ENV_PATH puts 3 before 2);
 * 4. the system dirs /usr/local/share/jupyter and /usr/share/jupyter.
 *
 * We are not Python, so "sys.prefix" is the Python environment the user has
 * active: VIRTUAL_ENV, else CONDA_PREFIX, else Debian's /usr. Python keeps a
 * relative entry relative, which means relative to the current directory
 * when it looks; we make it absolute against `cwd` to the same effect.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

export type Env = Record<string, string | undefined>;

export const SYSTEM_JUPYTER_PATH: readonly string[] = ['/usr/local/share/jupyter', '/usr/share/jupyter'];
/** sys.prefix of Debian's /usr/bin/python3, whose Jupyter we share. */
export const SYSTEM_PYTHON_PREFIX = '/usr';

/** Where to install a kernelspec: the user's data dir, a prefix (DIR/share/jupyter), or the active environment's prefix. */
export type SpecLocation = { user: true } | { prefix: string } | { sysPrefix: true };

/** jupyter_core's get_home_dir: ~ with links resolved. */
function homeDir(env: Env): string {
  const home = env.HOME || homedir();
  try {
    return realpathSync(home);
  } catch {
    return home;
  }
}

/** JUPYTER_DATA_DIR, else $XDG_DATA_HOME/jupyter, else ~/.local/share/jupyter. */
export function userDataDir(env: Env = process.env, cwd = process.cwd()): string {
  if (env.JUPYTER_DATA_DIR) return resolve(cwd, env.JUPYTER_DATA_DIR);
  return resolve(cwd, env.XDG_DATA_HOME || join(homeDir(env), '.local', 'share'), 'jupyter');
}

/** sys.prefix of the Python environment the user has active (see the module comment). */
export function pythonPrefix(env: Env = process.env): string {
  return env.VIRTUAL_ENV || env.CONDA_PREFIX || SYSTEM_PYTHON_PREFIX;
}

/** site.ENABLE_USER_SITE: off with PYTHONNOUSERSITE, and in a virtual environment made without --system-site-packages. */
function userSiteEnabled(env: Env): boolean {
  if (env.PYTHONNOUSERSITE) return false;
  if (!env.VIRTUAL_ENV) return true;
  try {
    const cfg = readFileSync(join(env.VIRTUAL_ENV, 'pyvenv.cfg'), 'utf8');
    return /^\s*include-system-site-packages\s*=\s*true\s*$/im.test(cfg);
  } catch {
    return true; // not a venv made by Python's venv module: Python then keeps the user site
  }
}

/** jupyter_core's envset: set unless empty-ish or one of no, n, false, off, 0, 0.0. */
function envSet(value: string | undefined): boolean {
  return !['no', 'n', 'false', 'off', '0', '0.0'].includes((value ?? 'no').toLowerCase());
}

/** The Jupyter data directories in search order, absolute, each once. */
export function jupyterPath(env: Env = process.env, cwd = process.cwd()): string[] {
  const dirs: string[] = [];
  // Python splits "a::b" into an empty entry too, which then means the current directory.
  if (env.JUPYTER_PATH) dirs.push(...env.JUPYTER_PATH.split(delimiter));
  const user = [userDataDir(env, cwd)];
  if (userSiteEnabled(env)) user.push(join(env.PYTHONUSERBASE || join(env.HOME || homedir(), '.local'), 'share', 'jupyter'));
  const prefixed = [join(pythonPrefix(env), 'share', 'jupyter')].filter((d) => !SYSTEM_JUPYTER_PATH.includes(resolve(cwd, d)));
  if (envSet(env.JUPYTER_PREFER_ENV_PATH)) dirs.push(...prefixed, ...user);
  else dirs.push(...user, ...prefixed);
  dirs.push(...SYSTEM_JUPYTER_PATH);
  return [...new Set(dirs.map((d) => resolve(cwd, d)))];
}

/** The data directory a kernelspec is installed into, as `jupyter kernelspec install --user|--prefix|--sys-prefix` picks it. */
export function dataDirFor(location: SpecLocation, env: Env = process.env, cwd = process.cwd()): string {
  if ('user' in location) return userDataDir(env, cwd);
  if ('prefix' in location) return join(resolve(cwd, location.prefix), 'share', 'jupyter');
  return join(resolve(cwd, pythonPrefix(env)), 'share', 'jupyter');
}
