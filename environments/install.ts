/**
 * The environment's dependencies: `npm ci` from the checkout's lock file into
 * the env folder, then a `node_modules` link in the checkout pointing there,
 * so both Node and the TypeScript compiler (tslab's too, for `tb`'s types)
 * resolve the checkout's imports from the env. The checkout is compiled in
 * place (its own `npm run build`, into checkout/dist): editing the checkout
 * and rebuilding changes what the kernel runs, with nothing reinstalled.
 */
import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packageRoot } from '../kernel/kernelspec.js';
import { type CommandOptions, mustRun } from './command.js';

export interface InstallOptions {
  /** Never touch the network: every package must be in the npm cache (npm ci --offline). Default: --prefer-offline. */
  offline?: boolean;
  /** npm cache folder (default npm's own, ~/.npm). */
  npmCache?: string;
}

/** The path to npm's CLI next to the Node running us, so the env is made with a matching npm. */
function npmCli(): string[] {
  const beside = join(process.execPath, '..', '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
  return existsSync(beside) ? [process.execPath, beside] : ['npm'];
}

/**
 * Installs the checkout's locked dependencies into `envDir` (an existing, empty folder).
 * The env gets the checkout's package.json without its scripts: npm ci runs the root
 * package's `prepare`, which would try to compile a package that is not there.
 */
export async function installDependencies(checkout: string, envDir: string, opts: InstallOptions & CommandOptions = {}): Promise<void> {
  const pkg = JSON.parse(readFileSync(join(checkout, 'package.json'), 'utf8')) as Record<string, unknown>;
  delete pkg.scripts;
  delete pkg.bin;
  writeFileSync(join(envDir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  // npm pack leaves package-lock.json out (it keeps npm-shrinkwrap.json). Then the lock of the toolbox
  // doing the install serves when it is the same release with the same dependencies; only without any
  // lock does npm install resolve ranges from the cache's metadata (which may name versions it lacks).
  const lock = ['package-lock.json', 'npm-shrinkwrap.json'].map((f) => join(checkout, f)).find((f) => existsSync(f))
    ?? sameReleaseLock(pkg);
  if (lock) copyFileSync(lock, join(envDir, 'package-lock.json'));
  const [cmd, ...pre] = npmCli();
  const args = [...pre, lock ? 'ci' : 'install', opts.offline ? '--offline' : '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'];
  if (opts.npmCache) args.push('--cache', opts.npmCache);
  await mustRun(`installing the dependencies into ${envDir}${opts.offline ? ' (offline, from the npm cache)' : ''}`, cmd!, args, { cwd: envDir, signal: opts.signal });
  // relative, so the pair survives moving the proposal's scratch folder as a whole
  symlinkSync(relative(checkout, join(envDir, 'node_modules')), join(checkout, 'node_modules'), 'dir');
  // .gitignore's `node_modules/` matches folders only, not this link: keep `git status` clean, locally
  mkdirSync(join(checkout, '.git', 'info'), { recursive: true });
  appendFileSync(join(checkout, '.git', 'info', 'exclude'), '/node_modules\n');
}

/** This toolbox's package-lock.json when `pkg` is the same release with the same dependencies. */
function sameReleaseLock(pkg: Record<string, unknown>): string | undefined {
  let root: string;
  try {
    root = packageRoot();
  } catch {
    return undefined;
  }
  const lock = join(root, 'package-lock.json');
  if (!existsSync(lock)) return undefined;
  const own = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const same = (key: string) => JSON.stringify(own[key] ?? {}) === JSON.stringify(pkg[key] ?? {});
  return own.name === pkg.name && own.version === pkg.version && same('dependencies') && same('devDependencies') ? lock : undefined;
}

/** Compiles the checkout into checkout/dist with the env's TypeScript (what `npm run build` in the checkout does). */
export async function buildCheckout(checkout: string, opts: CommandOptions = {}): Promise<void> {
  await mustRun(`compiling ${checkout}`, process.execPath, [join(checkout, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(checkout, 'tsconfig.json')], { cwd: checkout, signal: opts.signal });
}
