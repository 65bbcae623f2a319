/** findxfel-style proposal lookup and the environment layout names. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ToolBoxPathError, ToolBoxValueError } from '../../toolbox/errors.js';
import { environmentLayout, findProposalPath, proposalFolderName, proposalNumber } from '../../environments/index.js';
import { type ProposalTree, makeProposalTree } from './helpers.js';

describe('environments: proposal lookup and layout', () => {
  let tree: ProposalTree;
  beforeEach(() => { tree = makeProposalTree(); });
  afterEach(() => tree.cleanup());

  it('reads 2719, "002719" and "p002719" as proposal 2719, and rejects the rest', () => {
    assert.equal(proposalNumber(2719), 2719);
    assert.equal(proposalNumber('002719'), 2719);
    assert.equal(proposalNumber('P002719'), 2719);
    assert.equal(proposalFolderName('2719'), 'p002719');
    for (const bad of ['abc', '0', '1234567', '27.19', '']) {
      assert.throws(() => proposalNumber(bad), (e: Error) => e instanceof ToolBoxValueError && e.message.includes(`invalid proposal '${bad}'`));
    }
  });

  it('finds <root>/<instrument>/<cycle>/p<6 digits> under EXFEL_DATA_ROOT, whatever the instrument and cycle', () => {
    const scs = tree.addProposal(2719, '202201', 'SCS');
    const sqs = tree.addProposal(900123, '202402', 'SQS');
    tree.addProposal(2720, '202201', 'SCS');
    assert.equal(findProposalPath(2719, tree.env), scs);
    assert.equal(findProposalPath('p900123', tree.env), sqs);
  });

  it('says which folder it looked for when the proposal is not there, and lists both when ambiguous', () => {
    tree.addProposal(2719);
    assert.throws(() => findProposalPath(4242, tree.env), (e: Error) => e instanceof ToolBoxPathError
      && e.message === `proposal folder not found: no ${tree.dataRoot}/<instrument>/<cycle>/p004242 (set EXFEL_DATA_ROOT if the data is elsewhere)`);
    const second = tree.addProposal(2719, '202301');
    assert.throws(() => findProposalPath(2719, tree.env), (e: Error) => e instanceof ToolBoxPathError
      && e.message.includes('proposal p002719 is ambiguous') && e.message.includes(second));
  });

  it('lays an environment out in the proposal scratch folder, named toolbox_<id>', () => {
    const p = tree.addProposal(2719);
    const l = environmentLayout(p, 2719);
    assert.deepEqual(l, {
      proposalPath: p,
      identifier: 'p002719',
      name: 'toolbox_p002719',
      checkout: join(p, 'scratch', 'checkouts', 'toolbox_p002719'),
      env: join(p, 'scratch', 'envs', 'toolbox_p002719'),
      kernelPrefix: join(p, 'scratch', 'envs', 'toolbox_p002719', 'share', 'jupyter'),
      displayName: 'SCS Toolbox (p002719)',
    });
    assert.equal(environmentLayout(p, 2719, 'beamtime-2').name, 'toolbox_beamtime-2');
    assert.throws(() => environmentLayout(p, 2719, 'a b'), /invalid identifier 'a b'/);
  });
});
