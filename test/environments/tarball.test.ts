/**
 * A proposal environment made offline from an `npm pack` tarball of the
 * toolbox (scs env create --tarball): the tarball of a clean clone of this
 * repository's HEAD, installed with npm's proxy set to a dead port,
 * so only the npm cache can supply the dependencies. Then used (a notebook
 * on its kernel) and listed; and the tarball's bad input.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../kernel/kernelspec.js';
import { ACTIVATE_BIN, type ProposalTree, SCS, makeProposalTree, node, probeNotebook, run, streamText } from './helpers.js';

describe('environments: created offline from an npm pack tarball', function () {
  this.timeout(300_000);
  let tree: ProposalTree;
  let proposal: string;
  let tarball: string;
  let version: string;
  let env: NodeJS.ProcessEnv;
  let created: { code: number; stdout: string; stderr: string };
  const checkout = () => join(proposal, 'scratch', 'checkouts', 'toolbox_p002719');
  const envDir = () => join(proposal, 'scratch', 'envs', 'toolbox_p002719');

  before(async () => {
    tree = makeProposalTree();
    proposal = tree.addProposal(2719);
    // pack a clean clone of HEAD: the working tree may hold other people's unfinished edits
    const src = join(tree.root, 'src');
    const cloned = await run('git', ['clone', '--quiet', packageRoot(), src], tree.env);
    assert.equal(cloned.code, 0, cloned.stderr);
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tree.root], tree.env, src);
    assert.equal(packed.code, 0, packed.stderr);
    const [info] = JSON.parse(packed.stdout) as { filename: string; version: string }[];
    tarball = join(tree.root, info!.filename);
    version = info!.version;
    // any request that leaves the machine goes to a dead proxy: the dependencies can only come from the npm cache
    env = { ...tree.env, npm_config_proxy: 'http://127.0.0.1:9/', npm_config_https_proxy: 'http://127.0.0.1:9/' };
    created = await node(SCS, ['env', 'create', '--proposal', '2719', '--tarball', tarball, '--offline'], env);
  });
  after(() => tree?.cleanup());

  it('unpacks the tarball into a git checkout tagged v<version>, installs its dependencies and writes the kernelspec', async () => {
    assert.equal(created.code, 0, created.stderr);
    assert.match(created.stdout, new RegExp(`^unpacking ${tarball} into ${checkout()}$`, 'm'));
    assert.match(created.stdout, new RegExp(`^created toolbox_p002719 \\(v${version.replace(/\./g, '\\.')} = [0-9a-f]{12}\\)`, 'm'));
    const git = async (...args: string[]) => (await run('git', ['-C', checkout(), ...args], env)).stdout.trim();
    assert.equal(await git('describe', '--tags', '--dirty'), `v${version}`);
    assert.equal(await git('status', '--porcelain'), '', 'dist/ and the node_modules link are excluded');
    assert.match(await git('log', '--format=%an %s'), new RegExp(`^scs-toolbox scs-toolbox ${version} from ${tarball}$`));
    // npm pack leaves the lock out: the env is installed (npm ci) with this toolbox's lock, the same release
    assert.ok(!existsSync(join(checkout(), 'package-lock.json')));
    const ours = JSON.parse(readFileSync(join(packageRoot(), 'package-lock.json'), 'utf8')).packages as Record<string, { version?: string }>;
    const theirs = JSON.parse(readFileSync(join(envDir(), 'package-lock.json'), 'utf8')).packages as Record<string, { version?: string }>;
    const versions = (lock: Record<string, { version?: string }>) => Object.entries(lock).filter(([k]) => k).map(([k, v]) => `${k}@${v.version}`).sort();
    assert.deepEqual(versions(theirs), versions(ours));
    assert.ok(existsSync(join(checkout(), 'dist', 'kernel', 'main.js')));
    const spec = JSON.parse(readFileSync(join(envDir(), 'share', 'jupyter', 'kernels', 'toolbox_p002719', 'kernel.json'), 'utf8'));
    assert.ok(existsSync(join(checkout(), 'kernel', 'launch.sh')));
    assert.deepEqual([...spec.argv.slice(0, 4), spec.argv[5]], ['/bin/sh', join(checkout(), 'kernel', 'launch.sh'), process.execPath, join(checkout(), 'dist', 'kernel', 'main.js'), '{connection_file}']);
    assert.equal(spec.display_name, 'SCS Toolbox (p002719)');
  });

  it("runs a notebook on the activated kernel: the toolbox from the unpacked checkout, tslab from the env", async () => {
    const a = await node(ACTIVATE_BIN, ['--proposal', '2719'], env);
    assert.equal(a.code, 0, a.stderr);
    const dir = join(tree.root, 'notebooks');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'probe.ipynb'), JSON.stringify(probeNotebook('toolbox_p002719')));
    const r = await node(SCS, ['run', join(dir, 'probe.ipynb'), join(dir, 'out.ipynb'), '-p', 'label', 'packed', '--cwd', dir], env);
    assert.equal(r.code, 0, r.stderr);
    const text = streamText(JSON.parse(readFileSync(join(dir, 'out.ipynb'), 'utf8')));
    assert.match(text, /^label=packed$/m);
    assert.match(text, new RegExp(`^toolbox=${join(checkout(), 'dist', 'toolbox', 'index.js')}$`, 'm'));
    assert.match(text, new RegExp(`^tslab=${join(envDir(), 'node_modules', 'tslab', 'dist', 'executor.js')}$`, 'm'));
  });

  it('is listed by scs env list without --proposal, with its version', async () => {
    const list = JSON.parse((await node(SCS, ['env', 'list', '--json'], env)).stdout) as { name: string; version: string; checkout: string; activated: boolean }[];
    assert.deepEqual(list.map((e) => [e.name, e.version, e.checkout, e.activated]), [['toolbox_p002719', `v${version}`, checkout(), true]]);
  });

  it('bad input: --tarball with --version, a missing tarball, a tarball of another package; nothing left behind', async () => {
    const other = tree.addProposal(2720);
    let r = await node(SCS, ['env', 'create', '--proposal', '2720', '--tarball', tarball, '--version', 'HEAD'], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), 'scs: ToolBoxValueError: --tarball replaces --version and --repository: the tarball is the version');
    r = await node(SCS, ['env', 'create', '--proposal', '2720', '--tarball', join(tree.root, 'nope.tgz')], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `scs: ToolBoxPathError: toolbox tarball not found: ${join(tree.root, 'nope.tgz')} is not a file (make one with 'npm pack' in the toolbox repository)`);
    const pkg = join(tree.root, 'not-toolbox');
    mkdirSync(pkg);
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'not-toolbox', version: '1.2.3' }));
    const packed = await run('npm', ['pack', '--json', '--pack-destination', tree.root], env, pkg);
    assert.equal(packed.code, 0, packed.stderr);
    const wrong = join(tree.root, (JSON.parse(packed.stdout) as { filename: string }[])[0]!.filename);
    r = await node(SCS, ['env', 'create', '--proposal', '2720', '--tarball', wrong], env);
    assert.equal(r.code, 1);
    assert.equal(r.stderr.trim(), `scs: ToolBoxValueError: ${wrong} is not an npm pack tarball of the toolbox's sources (package not-toolbox@1.2.3, no tsconfig.json)`);
    assert.deepEqual(readdirSync(other), ['raw']);
  });
});
