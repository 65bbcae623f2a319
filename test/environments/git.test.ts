/** Versions of the toolbox repository: what --version accepts, and the checkout it gives. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { ToolBoxValueError } from '../../toolbox/errors.js';
import { resolveVersion } from '../../environments/index.js';
import { cloneAt, describeCheckout } from '../../environments/git.js';
import { runCommand } from '../../environments/command.js';

describe('environments: toolbox versions', () => {
  const repo = packageRoot();
  const git = (...args: string[]) => runCommand('git', ['-C', repo, ...args]).stdout.trim();

  it('resolves HEAD, a short commit and HEAD~1 to full commits', () => {
    const head = git('rev-parse', 'HEAD');
    assert.equal(resolveVersion(repo), head);
    assert.equal(resolveVersion(repo, head.slice(0, 10)), head);
    assert.equal(resolveVersion(repo, 'HEAD~1'), git('rev-parse', 'HEAD~1'));
  });

  it('rejects a name that is no tag, branch or commit, listing the tags', () => {
    assert.throws(() => resolveVersion(repo, 'v0.0.0-nope'), (e: Error) => e instanceof ToolBoxValueError
      && e.message.startsWith(`version 'v0.0.0-nope' is not a tag, branch or commit in the repository ${repo} (tags: `));
  });

  it('clones detached at an older commit: a normal checkout of that version', async function () {
    this.timeout(60_000);
    const dir = mkdtempSync(join(tmpdir(), 'scs-clone-'));
    try {
      const older = resolveVersion(repo, 'HEAD~1');
      await cloneAt(repo, join(dir, 'co'), older);
      assert.equal(runCommand('git', ['-C', join(dir, 'co'), 'rev-parse', 'HEAD']).stdout.trim(), older);
      assert.equal(describeCheckout(join(dir, 'co')), runCommand('git', ['-C', repo, 'describe', '--tags', '--always', older]).stdout.trim());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
