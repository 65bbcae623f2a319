/**
 * The toolbox source at a version: a plain `git clone` of the toolbox
 * repository, detached at the requested tag or commit, so the proposal's
 * copy is a normal checkout that scientists can edit, diff and pull.
 */
import { ToolBoxValueError } from '../toolbox/errors.js';
import { type CommandOptions, mustRun, runCommand } from './command.js';

/** The commit `version` names in `repository` (a tag, branch or commit; default HEAD). */
export function resolveVersion(repository: string, version = 'HEAD'): string {
  const r = runCommand('git', ['-C', repository, 'rev-parse', '--verify', '--quiet', `${version}^{commit}`]);
  if (r.status !== 0) {
    const tags = runCommand('git', ['-C', repository, 'tag', '--list']).stdout.trim().split('\n').filter(Boolean);
    throw new ToolBoxValueError(`version '${version}' is not a tag, branch or commit in the repository ${repository}`
      + ` (tags: ${tags.length ? tags.join(', ') : 'none'})`);
  }
  return r.stdout.trim();
}

/** Clones `repository` into `dest` (which must not exist) and checks out `commit`, detached. */
export async function cloneAt(repository: string, dest: string, commit: string, opts: CommandOptions = {}): Promise<void> {
  await mustRun(`cloning ${repository}`, 'git', ['clone', '--quiet', '--no-checkout', repository, dest], opts);
  await mustRun(`checking out ${commit} in ${dest}`, 'git', ['-C', dest, 'checkout', '--quiet', '--detach', commit], opts);
}

/** `git describe` of a checkout: the tag, or tag-N-gSHA, or the short commit. */
export function describeCheckout(checkout: string): string {
  const r = runCommand('git', ['-C', checkout, 'describe', '--tags', '--always', '--dirty']);
  return r.status === 0 ? r.stdout.trim() : 'unknown';
}
