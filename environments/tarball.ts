/**
 * The toolbox source from an `npm pack` tarball instead of the git
 * repository, for machines that cannot reach it (a compute node, a laptop
 * offline). The unpacked source is committed into a fresh git repository and
 * tagged v<version>, so the checkout is still a normal, editable checkout:
 * `git diff` shows the proposal's edits and `git describe` (scs env list)
 * says v<version>, or v<version>-dirty after an edit.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../toolbox/errors.js';
import { type CommandOptions, mustRun } from './command.js';

export interface UnpackedTarball {
  commit: string;
  /** v<package.json version>, the tag on that commit. */
  version: string;
}

/** The tarball as an absolute path; ToolBoxPathError when it is not a file. */
export function checkTarball(file: string): string {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile()) {
    throw new ToolBoxPathError(`toolbox tarball not found: ${path} is not a file (make one with 'npm pack' in the toolbox repository)`, path);
  }
  return path;
}

/** Unpacks `tarball` (npm pack's layout: everything under package/) into `dest` (an existing, empty folder) and commits it. */
export async function unpackTarball(tarball: string, dest: string, opts: CommandOptions = {}): Promise<UnpackedTarball> {
  await mustRun(`unpacking ${tarball}`, 'tar', ['-xzf', tarball, '-C', dest, '--strip-components=1', 'package/'], opts);
  let pkg: { name?: string; version?: string };
  try {
    pkg = JSON.parse(readFileSync(join(dest, 'package.json'), 'utf8')) as typeof pkg;
  } catch {
    throw new ToolBoxValueError(`${tarball} is not an npm pack tarball: it has no package/package.json`);
  }
  if (pkg.name !== 'scs-toolbox' || !pkg.version || !existsSync(join(dest, 'tsconfig.json'))) {
    throw new ToolBoxValueError(`${tarball} is not an npm pack tarball of the toolbox's sources (package ${pkg.name ?? '?'}@${pkg.version ?? '?'}${existsSync(join(dest, 'tsconfig.json')) ? '' : ', no tsconfig.json'})`);
  }
  const version = `v${pkg.version}`;
  // a fixed identity: the commit records the tarball, not whoever created the environment
  const git = (what: string, ...args: string[]) => mustRun(what, 'git', ['-C', dest, '-c', 'user.name=scs-toolbox', '-c', 'user.email=scs-toolbox@localhost', ...args], opts);
  await git(`initialising a repository in ${dest}`, 'init', '--quiet');
  await git(`committing the source of ${tarball}`, 'add', '--all');
  await git(`committing the source of ${tarball}`, 'commit', '--quiet', '--no-verify', '-m', `scs-toolbox ${pkg.version} from ${tarball}`);
  await git(`tagging ${version}`, 'tag', version);
  const commit = (await git(`reading the commit in ${dest}`, 'rev-parse', 'HEAD')).trim();
  // npm pack leaves out .gitignore: keep the build output out of `git status`, locally
  appendFileSync(join(dest, '.git', 'info', 'exclude'), '/dist/\n');
  return { commit, version };
}
