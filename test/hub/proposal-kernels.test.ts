/**
 * Proposal kernels in the hub, seen in the browser: two environments made with `scs env create`
 * from two toolbox versions (p002719 activated per user, p900123 installed system-wide; see
 * test/helpers/proposal-envs.ts) are both in the New menu under their display names, and a
 * notebook on each, both open at once, reports the toolbox of its own checkout.
 */
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { type Hub, Screenshots, login, releaseHub, stopServer } from '../helpers/hub.js';
import { cellText, newNotebookFromMenu, runCell } from '../helpers/notebook-page.js';
import { type ProposalEnvs, startOnProposalKernels } from '../helpers/proposal-envs.js';

const USER = 'scientist';

/** One line a user could type to see which toolbox the kernel runs. */
const VERSION_CELL = [
  "import { execFileSync } from 'node:child_process';",
  "const described = execFileSync('git', ['-C', tb.packageRoot(), 'describe', '--tags'], { encoding: 'utf8' }).trim();",
  'console.log(`toolbox ${tb.toolboxVersion()} (${described}) from ${tb.packageRoot()}`);',
].join('\n');

describe('hub: proposal kernels of two toolbox versions', function () {
  this.timeout(300_000);
  let hub: Hub | undefined;
  let envs: ProposalEnvs;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let tree: Page;
  const shots = new Screenshots('proposal-kernels');

  before(async function () {
    ({ hub, envs, browser } = await startOnProposalKernels(this, USER, shots));
    console.log(`      (two environments created concurrently in ${envs.createSeconds.toFixed(0)} s)`);
    context = await browser!.newContext({ viewport: { width: 1200, height: 800 } });
    tree = await context.newPage();
    await login(tree, hub, USER);
  });

  after(async () => {
    await browser?.close();
    if (hub) await stopServer(hub, USER);
    await releaseHub(hub);
  });

  it('lists both proposal kernels in the New menu under their display names, each from its own checkout', async () => {
    await tree.click('#new-dropdown-button');
    await tree.locator('#new-menu a', { hasText: 'SCS Toolbox (p002719)' }).waitFor({ state: 'visible' });
    const items = (await tree.locator('#new-menu a').allTextContents()).map((t) => t.trim());
    assert.ok(items.includes('SCS Toolbox (p002719)'), `New menu: ${items.join(' | ')}`);
    assert.ok(items.includes('SCS Toolbox (p900123)'), `New menu: ${items.join(' | ')}`);
    await shots.shot(tree, 'kernel-list');
    await tree.click('#new-dropdown-button');
    await tree.locator('#new-menu').waitFor({ state: 'hidden' });
    // what the single-user server found: the per-user spec in the home, the system-wide one in the sys-prefix
    const specs = await tree.evaluate(`fetch('/user/${USER}/api/kernelspecs').then((r) => r.json())`) as
      { kernelspecs: Record<string, { resource_dir?: string; spec: { display_name: string; argv: string[] } }> };
    for (const e of envs.envs) {
      const k = specs.kernelspecs[e.kernelName];
      assert.ok(k, `${e.kernelName} not among ${Object.keys(specs.kernelspecs).join(', ')}`);
      assert.equal(k.spec.display_name, e.displayName);
      assert.ok(k.spec.argv.some((a) => a.startsWith(`${e.checkout}/`)), `${e.kernelName} argv ${k.spec.argv.join(' ')} runs ${e.checkout}`);
      if (k.resource_dir) assert.equal(k.resource_dir, e.specDir, `${e.kernelName} is installed ${e.installed === 'user' ? 'per user' : 'system-wide'}`);
    }
  });

  it('runs a notebook on each kernel side by side, each reporting its own toolbox version', async () => {
    const pages: Page[] = [];
    for (const e of envs.envs) {
      const nb = await newNotebookFromMenu(tree, e.displayName);
      pages.push(nb);
      const cell = await runCell(nb, VERSION_CELL);
      assert.equal((await cellText(nb, cell)).trim(), `toolbox ${e.version} (${e.describe}) from ${e.checkout}`);
      await shots.shot(nb, `version-${e.proposal}`);
    }
    assert.notEqual(envs.envs[0].version, envs.envs[1].version);
    // both kernels are alive at the same time: the first notebook still answers, from its own toolbox
    const again = await runCell(pages[0]!, 'tb.toolboxVersion()');
    assert.equal(await cellText(pages[0]!, again), envs.envs[0].version);
    const sessions = await tree.evaluate(`fetch('/user/${USER}/api/sessions').then((r) => r.json())`) as { kernel: { name: string } }[];
    assert.deepEqual(sessions.map((s) => s.kernel.name).sort(), envs.envs.map((e) => e.kernelName).sort());
    // one picture of both notebooks, next to each other, as they are now
    const both = await Promise.all(pages.map(async (p) => (await p.screenshot()).toString('base64')));
    const sheet = await context.newPage();
    await sheet.setViewportSize({ width: 2400, height: 800 });
    await sheet.setContent(`<body style="margin:0;display:flex">${both.map((b) => `<img style="width:50%" src="data:image/png;base64,${b}">`).join('')}</body>`);
    await shots.shot(sheet, 'side-by-side');
  });
});
