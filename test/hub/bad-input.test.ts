/**
 * Bad input in the hub, as a user meets it: a proposal kernel whose install is broken (its node
 * gone, its toolbox checkout's dist/kernel/main.js gone) and a kernel killed from outside.
 * Kernelspecs are installed the real way (`scs kernel install --prefix <hub's sys-prefix>`) and
 * then broken. What the page and the hub log say: docs/jupyterhub.md ("Bad input").
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { REPO, Screenshots, ensureHub, launchBrowser, login, releaseHub, requireHub, stopServer, sysPrefix, type Hub } from '../helpers/hub.js';
import { cellText, kernelStatusText, newNotebookFromMenu, openFromNewMenu, runCell, waitKernelIdle } from '../helpers/notebook-page.js';

const run = promisify(execFile);
const SCS = join(REPO, 'dist', 'scripts', 'scs.js');
const USER = 'badinput';
const SPECS = ['scs-bad-node', 'scs-bad-main', 'scs-bad-checkout', 'scs-kill-me'];
const MISSING_NODE = '/opt/scs-missing/bin/node';
const REMOVED_MAIN = '/tmp/scs-removed-checkout/dist/kernel/main.js';
const REMOVED_LAUNCHER = '/tmp/scs-removed-checkout/kernel/launch.sh';

async function installSpec(hub: Hub, name: string, displayName: string, edit?: (argv: string[]) => void): Promise<void> {
  await run(process.execPath, [SCS, 'kernel', 'install', name, '--display-name', displayName, '--no-snapshot', '--prefix', sysPrefix(hub)]);
  if (!edit) return;
  const file = join(sysPrefix(hub), 'share', 'jupyter', 'kernels', name, 'kernel.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as { argv: string[] };
  edit(spec.argv);
  writeFileSync(file, JSON.stringify(spec, null, 2));
}

/** The pid of the process whose command line holds the kernel's connection file. */
function kernelPid(kernelId: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string;
    try { cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8'); } catch { continue; }
    if (cmd.includes(`kernel-${kernelId}.json`) && cmd.includes('main.js')) return Number(entry);
  }
  throw new Error(`no process for kernel ${kernelId}`);
}

/** The text of the open dialog (bootstrap modal), once one is shown. */
async function dialogText(page: Page): Promise<string> {
  const modal = page.locator('.modal.in .modal-content').last();
  await modal.waitFor({ state: 'visible', timeout: 30_000 });
  return (await modal.innerText()).replace(/\s+/g, ' ').trim();
}

describe('hub: bad input (broken kernel install, killed kernel)', function () {
  this.timeout(240_000);
  let hub: Hub | undefined;
  let browser: Browser | undefined;
  let tree: Page;
  const shots = new Screenshots('bad-input');
  const hubLog = () => readFileSync(join(hub!.state, 'hub.log'), 'utf8');

  before(async function () {
    requireHub(this);
    hub = await ensureHub();
    await installSpec(hub, 'scs-bad-node', 'SCS Toolbox (node gone)', (argv) => { argv[2] = MISSING_NODE; });
    await installSpec(hub, 'scs-bad-main', 'SCS Toolbox (main.js gone)', (argv) => { argv[3] = REMOVED_MAIN; });
    await installSpec(hub, 'scs-bad-checkout', 'SCS Toolbox (checkout gone)', (argv) => {
      argv[1] = REMOVED_LAUNCHER;
      argv[3] = REMOVED_MAIN;
    });
    await installSpec(hub, 'scs-kill-me', 'SCS Toolbox (killed)');
    browser = await launchBrowser();
    tree = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    await login(tree, hub, USER);
  });

  after(async () => {
    await browser?.close();
    if (hub) await stopServer(hub, USER);  // and with it the kernels the tabs left running
    // the hub's sys-prefix outlives the suite: leave no broken kernel in every user's New menu
    for (const name of SPECS) if (hub) rmSync(join(sysPrefix(hub), 'share', 'jupyter', 'kernels', name), { recursive: true, force: true });
    await releaseHub(hub);
  });

  const hint = "; reinstall the kernelspec with 'scs kernel install'";
  for (const [what, display, code, said, shot] of [
    ['its node is gone', 'SCS Toolbox (node gone)', 127, `scs-toolbox kernel: cannot start: node '${MISSING_NODE}' does not exist or is not executable${hint}`, 'kernel-error-node-gone'],
    ['its checkout\'s main.js is gone', 'SCS Toolbox (main.js gone)', 127, `scs-toolbox kernel: cannot start: the kernel entry '${REMOVED_MAIN}' does not exist (toolbox installation removed or not built)${hint}`, 'kernel-error-main-gone'],
    // the whole checkout gone: launch.sh itself is missing, and the shell says so
    ['its whole checkout is gone', 'SCS Toolbox (checkout gone)', 2, `/bin/sh: 0: cannot open ${REMOVED_LAUNCHER}: No such file`, 'kernel-error-checkout-gone'],
  ] as const) {
    it(`a kernel that cannot start because ${what}: "Kernel error" with the reason, and the hub log says it`, async () => {
      const tab = await openFromNewMenu(tree, display);
      await tab.waitForFunction(`(() => {
        const el = document.querySelector('#notification_kernel');
        return el && el.textContent.trim() === 'Kernel error';
      })()`, undefined, { timeout: 60_000, polling: 100 });
      assert.equal(await kernelStatusText(tab), 'Kernel error');
      await tab.click('#notification_kernel');
      const text = await dialogText(tab);
      assert.ok(text.includes(`The kernel '${display}' exited while starting (exit code ${code}). It said: ${said}`), text);
      await shots.shot(tab, shot);
      assert.ok(hubLog().includes(`exited at start with code ${code}: ${said}`));
      await tab.close();
    });
  }

  it('a kernel killed from outside (kill -9): reported dead, restarted, and a cell runs afterwards', async () => {
    const tab = await newNotebookFromMenu(tree, 'SCS Toolbox (killed)');
    const first = await runCell(tab, 'const before = 41; before + 1');
    assert.equal(await cellText(tab, first), '42');
    const id = await tab.evaluate('Jupyter.notebook.kernel.id') as string;
    const pid = kernelPid(id);
    process.kill(pid, 'SIGKILL');
    const text = await dialogText(tab);
    assert.equal(text, '× Kernel Restarting The kernel appears to have died. It will restart automatically. OK');
    await shots.shot(tab, 'kernel-died-restarting');
    await tab.locator('.modal.in .modal-footer button', { hasText: 'OK' }).last().click();
    await waitKernelIdle(tab, 60_000);
    const after = await runCell(tab, 'before');
    assert.equal(await cellText(tab, after), "TSError: Cannot find name 'before'.");  // a new kernel: the old variables are gone
    const sum = await runCell(tab, '1 + 1');
    assert.equal(await cellText(tab, sum), '2');
    assert.notEqual(kernelPid(id), pid);
    assert.match(hubLog(), new RegExp(`KernelRestarter: restarting kernel \\(1/5\\)`));
    await shots.shot(tab, 'restarted-after-kill');
    await tab.close();
  });
});
