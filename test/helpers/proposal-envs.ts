/**
 * Two proposal environments with two different toolbox versions, made with the real
 * `scs env create` and installed into the local hub the way an operator would:
 *
 * - the toolbox is a temporary clone of this repository with one extra commit that raises
 *   package.json's version (tags v<version> and v<version>+1), so the two checkouts differ in
 *   exactly what a user could see (`tb.toolboxVersion()`, `git describe`);
 * - p002719 at the old tag, activated per user (`scs env activate` with the hub user's HOME, so
 *   the spec lands in that home's ~/.local/share/jupyter/kernels);
 * - p900123 at the new tag, installed system-wide for every user of the hub by the checkout's
 *   own `scs kernel install --prefix <hub sys-prefix>`.
 *
 * Both are created concurrently (each is a clone, an `npm ci` and a full compile). npm runs with
 * `scs env create`'s default --prefer-offline: the cache serves what an install of this
 * repository's lock put there, the registry only what is missing (--offline would make a cache
 * without the latest lock's additions fail with ENOTCACHED).
 * The result is shared by every test file of the mocha process (one creation per run) and
 * removed, with the kernelspecs it installed, when the process exits.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'mocha';
import type { Browser } from 'playwright-core';
import { run } from './run.js';
import { type Hub, REPO, type Screenshots, ensureHub, launchBrowser, requireHub, sysPrefix, userHome } from './hub.js';

const SCS = join(REPO, 'dist', 'scripts', 'scs.js');

export interface ProposalEnv {
  proposal: string;
  kernelName: string;
  displayName: string;
  /** package.json version of the checkout */
  version: string;
  /** `git describe --tags` of the checkout */
  describe: string;
  checkout: string;
  /** 'user': in the hub user's home; 'system': in the hub's sys-prefix */
  installed: 'user' | 'system';
  /** the kernelspec folder written for the hub */
  specDir: string;
}

export interface ProposalEnvs {
  root: string;
  user: string;
  envs: [ProposalEnv, ProposalEnv];
  /** seconds the concurrent creation took */
  createSeconds: number;
}

async function must(what: string, cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<string> {
  const r = await run(cmd, args, env, cwd);
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr.trim().slice(-2000)}`);
  return r.stdout;
}

/** A clone of this repository tagged v<old> at HEAD, plus one commit raising the version, tagged v<new>. */
async function twoVersionRepository(root: string, env: NodeJS.ProcessEnv): Promise<{ src: string; old: string; next: string }> {
  const src = join(root, 'toolbox-src');
  await must('git clone', 'git', ['clone', '--quiet', REPO, src], env);
  const git = (...args: string[]) => must(`git ${args[0]}`, 'git', ['-C', src, '-c', 'user.name=scs-test', '-c', 'user.email=scs-test@localhost', ...args], env);
  const pkgFile = join(src, 'package.json');
  const old = (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version;
  const [major, minor, patch] = old.split('.').map((n) => Number.parseInt(n, 10));
  const next = `${major}.${minor}.${(patch ?? 0) + 1}`;
  await git('tag', `v${old}`);
  // the lock names the root package's version twice: keep it in step, as `npm version` would
  for (const file of ['package.json', 'package-lock.json']) {
    const text = readFileSync(join(src, file), 'utf8');
    const json = JSON.parse(text) as { version: string; packages?: Record<string, { version?: string }> };
    json.version = next;
    if (json.packages?.['']) json.packages[''].version = next;
    writeFileSync(join(src, file), `${JSON.stringify(json, null, 2)}\n`);
  }
  await git('commit', '--quiet', '-am', `release ${next}`);
  await git('tag', `v${next}`);
  return { src, old, next };
}

async function create(proposal: number, src: string, version: string, env: NodeJS.ProcessEnv): Promise<void> {
  await must(`scs env create --proposal ${proposal}`, process.execPath,
    [SCS, 'env', 'create', '--proposal', String(proposal), '--repository', src, '--version', version], env);
}

async function makeEnvs(hub: Hub, user: string): Promise<ProposalEnvs> {
  const t0 = Date.now();
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'scs-hub-envs-')));
  const home = userHome(hub, user);
  const userSpec = join(home, '.local', 'share', 'jupyter', 'kernels', 'toolbox_p002719');
  const systemSpec = join(sysPrefix(hub), 'share', 'jupyter', 'kernels', 'toolbox_p900123');
  // also after a failed creation: nothing of it stays in /tmp or in the hub's kernels
  process.once('exit', () => {
    for (const dir of [userSpec, systemSpec, root]) rmSync(dir, { recursive: true, force: true });
  });
  const dataRoot = join(root, 'exp');
  const env: NodeJS.ProcessEnv = { ...process.env, EXFEL_DATA_ROOT: dataRoot };
  delete env.JUPYTER_DATA_DIR;
  const proposals = [2719, 900123].map((p) => {
    const dir = join(dataRoot, 'SCS', '202201', `p${String(p).padStart(6, '0')}`);
    mkdirSync(join(dir, 'raw'), { recursive: true });
    return dir;
  });
  const { src, old, next } = await twoVersionRepository(root, env);
  await Promise.all([create(2719, src, `v${old}`, env), create(900123, src, `v${next}`, env)]);
  const checkout = (i: number, p: string) => join(proposals[i]!, 'scratch', 'checkouts', `toolbox_${p}`);
  // per user: the hub user's HOME, where the single-user server looks (~/.local/share/jupyter)
  mkdirSync(home, { recursive: true });
  await must('scs env activate', process.execPath, [SCS, 'env', 'activate', '--proposal', '2719'], { ...env, HOME: home });
  // system-wide: the checkout's own scs writes the spec into the hub's sys-prefix
  await must('scs kernel install --prefix', process.execPath, [join(checkout(1, 'p900123'), 'dist', 'scripts', 'scs.js'), 'kernel', 'install',
    'toolbox_p900123', '--display-name', 'SCS Toolbox (p900123)', '--prefix', sysPrefix(hub)], env);
  const envs: [ProposalEnv, ProposalEnv] = [
    { proposal: 'p002719', kernelName: 'toolbox_p002719', displayName: 'SCS Toolbox (p002719)', version: old, describe: `v${old}`,
      checkout: checkout(0, 'p002719'), installed: 'user', specDir: userSpec },
    { proposal: 'p900123', kernelName: 'toolbox_p900123', displayName: 'SCS Toolbox (p900123)', version: next, describe: `v${next}`,
      checkout: checkout(1, 'p900123'), installed: 'system', specDir: systemSpec },
  ];
  return { root, user, envs, createSeconds: (Date.now() - t0) / 1000 };
}

const made = new Map<string, Promise<ProposalEnvs>>();

/**
 * The two proposal environments, installed for `user` of `hub` (made on the first call, then
 * shared). Removed at process exit, kernelspecs included.
 */
export function proposalEnvs(hub: Hub, user: string): Promise<ProposalEnvs> {
  const key = `${hub.state}\0${user}`;
  if (!made.has(key)) made.set(key, makeEnvs(hub, user));
  return made.get(key)!;
}

/**
 * Removes what earlier runs left: the notebooks and runs in `user`'s home (not its kernelspecs)
 * and the suite's screenshots, so the numbered files and the tree view show this run only.
 */
export function freshStart(hub: Hub, user: string, shots: Screenshots): void {
  const home = userHome(hub, user);
  if (existsSync(home)) {
    for (const f of readdirSync(home)) if (f.endsWith('.ipynb') || f === 'runs') rmSync(join(home, f), { recursive: true, force: true });
  }
  for (const f of readdirSync(shots.dir)) if (f.endsWith('.png')) rmSync(join(shots.dir, f), { force: true });
}

/**
 * A suite's start on the proposal kernels: the hub (skipping or failing as requireHub does),
 * a fresh home and screenshot folder, the browser launched while the environments are made.
 */
export async function startOnProposalKernels(ctx: Context, user: string, shots: Screenshots): Promise<{ hub: Hub; envs: ProposalEnvs; browser: Browser }> {
  requireHub(ctx);
  const hub = await ensureHub();
  freshStart(hub, user, shots);
  const launching = launchBrowser();
  const envs = await proposalEnvs(hub, user).catch(async (err: unknown) => {
    await (await launching).close();
    throw err;
  });
  return { hub, envs, browser: await launching };
}
