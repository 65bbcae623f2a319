/**
 * `scs env list` without --proposal: the environments of every proposal
 * under EXFEL_DATA_ROOT (across instruments and cycles), including the
 * half-removed ones, so they can be found and removed.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ProposalTree, SCS, makeProposalTree, node } from './helpers.js';

describe('environments: scs env list across all proposals', function () {
  this.timeout(60_000);
  let tree: ProposalTree;
  beforeEach(() => {
    tree = makeProposalTree();
  });
  afterEach(() => tree.cleanup());

  it('lists the environments of every proposal, sorted by proposal path, with what is missing', async () => {
    const a = tree.addProposal(2719);
    const b = tree.addProposal(2937, '202202');
    const c = tree.addProposal(3001, '202301', 'SQS');
    tree.addProposal(4000); // no environments
    // folders only: list reads the layout; a missing half is reported, not hidden
    mkdirSync(join(a, 'scratch', 'checkouts', 'toolbox_p002719'), { recursive: true });
    mkdirSync(join(b, 'scratch', 'envs', 'toolbox_beamtime'), { recursive: true });
    mkdirSync(join(c, 'scratch', 'envs', 'toolbox_p003001'), { recursive: true });
    mkdirSync(join(c, 'scratch', 'checkouts', 'not-an-env'), { recursive: true });

    const r = await node(SCS, ['env', 'list', '--json'], tree.env);
    assert.equal(r.code, 0, r.stderr);
    const list = JSON.parse(r.stdout) as { name: string; proposalPath: string; identifier: string; hasCheckout: boolean; hasEnv: boolean }[];
    assert.deepEqual(list.map((e) => [e.proposalPath, e.name, e.identifier, e.hasCheckout, e.hasEnv]), [
      [a, 'toolbox_p002719', 'p002719', true, false],
      [b, 'toolbox_beamtime', 'beamtime', false, true],
      [c, 'toolbox_p003001', 'p003001', false, true],
    ]);

    const text = await node(SCS, ['env', 'list'], tree.env);
    assert.deepEqual(text.stdout.trim().split('\n'), [
      `toolbox_p002719  unknown  ${join(a, 'scratch', 'checkouts', 'toolbox_p002719')}  (env missing)`,
      `toolbox_beamtime  missing  ${join(b, 'scratch', 'checkouts', 'toolbox_beamtime')}  (checkout missing)`,
      `toolbox_p003001  missing  ${join(c, 'scratch', 'checkouts', 'toolbox_p003001')}  (checkout missing)`,
    ]);
    // --proposal still narrows to one
    const one = JSON.parse((await node(SCS, ['env', 'list', '--proposal', '2937', '--json'], tree.env)).stdout) as { name: string }[];
    assert.deepEqual(one.map((e) => e.name), ['toolbox_beamtime']);
  });

  it('says where it looked when there are none', async () => {
    tree.addProposal(2719);
    const r = await node(SCS, ['env', 'list'], tree.env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `no environments under ${tree.dataRoot}`);
    assert.equal((await node(SCS, ['env', 'list', '--json'], tree.env)).stdout.trim(), '[]');
  });
});
