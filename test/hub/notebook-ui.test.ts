/**
 * What a scientist does in the classic Notebook UI of the hub on a proposal kernel
 * (SCS Toolbox (p002719), made with `scs env create`, see test/helpers/proposal-envs.ts): open a
 * synthetic run, compute and plot, tab completion, the inspect tooltip, the toolbar's interrupt
 * button on an endless loop, Kernel ▸ Restart, save and reload. Each state is a screenshot in
 * test-output/hub/notebook-ui/. The steps share one notebook page, in order.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runByPath } from '../../toolbox/index.js';
import { getXgm } from '../../toolbox/detectors/index.js';
import { writeMockRun } from '../../toolbox/synthetic/index.js';
import { type Hub, Screenshots, login, releaseHub, stopServer, userHome } from '../helpers/hub.js';
import { cellOutputArea, cellOutputs, cellText, newNotebookFromMenu, runCell, saveNotebook, waitCellDone, waitKernelIdle, waitNotebookReady } from '../helpers/notebook-page.js';
import { type ProposalEnvs, startOnProposalKernels } from '../helpers/proposal-envs.js';

const USER = 'scientist';
const KERNEL = 'SCS Toolbox (p002719)';

/** Width and height of the first visible <img> or <svg> of a cell's output (natural size for images). */
function plotSize(page: Page, index: number): Promise<{ tag: string; width: number; height: number } | null> {
  return page.evaluate(`(() => {
    const area = document.querySelectorAll('.cell')[${index}].querySelector('.output_area');
    const el = area && area.querySelector('.output_subarea img, .output_subarea svg');
    if (!el || el.offsetParent === null && el.getBoundingClientRect().width === 0) return null;
    const box = el.getBoundingClientRect();
    return el.tagName === 'IMG' ? { tag: 'img', width: el.naturalWidth, height: el.naturalHeight }
      : { tag: 'svg', width: box.width, height: box.height };
  })()`) as Promise<{ tag: string; width: number; height: number } | null>;
}

/** The current cell's editor text. */
function selectedText(page: Page): Promise<string> {
  return page.evaluate('window.Jupyter.notebook.get_selected_cell().get_text()') as Promise<string>;
}

/** Puts `code` into a new last cell without running it, the cursor at its end, in edit mode. */
async function typeInNewCell(page: Page, code: string): Promise<void> {
  await page.evaluate(`(() => {
    const nb = window.Jupyter.notebook;
    const last = nb.ncells() - 1;
    if (nb.get_cell(last).get_text() !== '') nb.insert_cell_below('code', last);
    nb.select(nb.ncells() - 1);
    nb.edit_mode();
  })()`);
  await page.keyboard.type(code);
}

describe('hub: the notebook UI on a proposal kernel', function () {
  this.timeout(300_000);
  let hub: Hub | undefined;
  let envs: ProposalEnvs;
  let browser: Browser | undefined;
  let nb: Page;
  let runDir: string;
  let expectedMean: number;
  let plotCell: number;
  let meanCell: number;
  const shots = new Screenshots('notebook-ui');

  before(async function () {
    ({ hub, envs, browser } = await startOnProposalKernels(this, USER, shots));
    assert.equal(envs.envs[0].displayName, KERNEL);
    // a small synthetic run in the user's home, and what the cell must compute from it
    runDir = join(userHome(hub, USER), 'runs', 'r0001');
    await writeMockRun(runDir, { proposal: 2719, run: 1, trains: 20, frames: 4, modules: 1, seed: 7, progress: () => undefined });
    const xgm = await getXgm(await runByPath(runDir));
    expectedMean = xgm.get('SCS_SA3').mean().item() as number;
    const tree = await browser!.newPage({ viewport: { width: 1100, height: 900 } });
    await login(tree, hub, USER);
    nb = await newNotebookFromMenu(tree, KERNEL);
  });

  after(async () => {
    await browser?.close();
    if (hub) await stopServer(hub, USER);
    await releaseHub(hub);
  });

  it('opens a synthetic run, computes the XGM mean and shows the plot as an image', async () => {
    assert.equal(await nb.locator('#kernel_indicator .kernel_indicator_name').textContent(), KERNEL);
    meanCell = await runCell(nb, [
      `const run = await tb.runByPath(${JSON.stringify(runDir)});`,
      'const xgm = await tb.getXgm(run);',
      "console.log(`trains: ${run.trainIds.length}, XGM mean: ${xgm.get('SCS_SA3').mean().item()}`);",
    ].join('\n'), { timeoutMs: 120_000 });
    assert.equal(await cellText(nb, meanCell), `trains: 20, XGM mean: ${expectedMean}\n`);
    plotCell = await runCell(nb, "tb.plot.line(xgm.get('SCS_SA3').mean('sa3_pId'), { title: 'XGM SA3, mean per train' })", { timeoutMs: 120_000 });
    const [out] = await cellOutputs(nb, plotCell);
    assert.equal(out?.output_type, 'execute_result');
    assert.ok(out?.data?.['application/vnd.vegalite.v5+json'], 'the vega-lite spec is in the bundle');
    assert.ok(out?.data?.['image/png'], 'with a static PNG');
    await cellOutputArea(nb, plotCell).locator('img').first().waitFor({ state: 'visible' });
    const size = await plotSize(nb, plotCell);
    assert.ok(size && size.tag === 'img' && size.width > 100 && size.height > 50, `the plot is visible as an image: ${JSON.stringify(size)}`);
    await shots.shot(nb, 'plot');
  });

  it('tab-completes tb.getX to tb.getXgm, picked from the completer list', async () => {
    await typeInNewCell(nb, 'tb.getX');
    await nb.keyboard.press('Tab');
    const options = nb.locator('#complete select option');
    await options.first().waitFor({ state: 'visible' });
    const names = (await options.allTextContents()).map((t) => t.trim());
    assert.ok(names.includes('getXgm') && names.includes('getXgmFormatted'), `completions: ${names.join(', ')}`);
    await shots.shot(nb, 'completion');
    for (let i = 0; i < names.indexOf('getXgm'); i++) await nb.keyboard.press('ArrowDown');
    await nb.keyboard.press('Enter');
    await nb.locator('#complete').waitFor({ state: 'detached' });
    assert.equal(await selectedText(nb), 'tb.getXgm');
  });

  it('shows the signature and doc of tb.getXgm in the inspect tooltip on Shift+Tab', async () => {
    await nb.keyboard.type('(');
    await nb.keyboard.press('Shift+Tab');
    const tooltip = nb.locator('#tooltip');
    await tooltip.waitFor({ state: 'visible' });
    await nb.waitForFunction("document.querySelector('#tooltip .tooltiptext').textContent.includes('getXgm')", undefined, { timeout: 30_000 });
    const text = (await tooltip.locator('.tooltiptext').textContent()) ?? '';
    assert.match(text, /getXgm\(run: (tb\.)?DataCollection, options\?: (tb\.)?GetXgmOptions\): Promise<(tb\.)?Dataset>/);
    assert.match(text, /pulse-resolved XGM variables on the bunch-pattern pulse axis/);
    // the tooltip fades in: the screenshot waits for it to be fully drawn
    await nb.waitForFunction("getComputedStyle(document.querySelector('#tooltip')).opacity === '1'", undefined, { timeout: 10_000 });
    await shots.shot(nb, 'tooltip');
    await nb.keyboard.press('Escape');
    await nb.evaluate("window.Jupyter.notebook.get_selected_cell().set_text('')");
  });

  it("interrupts an endless loop with the toolbar's interrupt button and keeps the kernel's variables", async () => {
    await runCell(nb, 'let kept = 42;');
    const loop = await runCell(nb, 'while (true) {}', { wait: false });
    await nb.waitForSelector('#kernel_indicator_icon.kernel_busy_icon');
    await shots.shot(nb, 'busy-loop');
    await nb.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
    await waitCellDone(nb, loop, 60_000);
    await waitKernelIdle(nb);
    assert.match(await cellText(nb, loop), /interrupt/i);
    const after = await runCell(nb, 'console.log(kept)');
    assert.equal(await cellText(nb, after), '42\n');
    await shots.shot(nb, 'interrupted');
  });

  it('restarts the kernel from the Kernel menu: the variables are gone, new cells run', async () => {
    await nb.click('#kernellink');
    await nb.click('#restart_kernel');
    await nb.click('.modal-dialog button.btn-danger');
    await nb.waitForFunction('window.Jupyter.notebook.kernel.is_connected()', undefined, { timeout: 60_000 });
    await waitKernelIdle(nb);
    const gone = await runCell(nb, 'console.log(typeof kept)');
    assert.match(await cellText(nb, gone), /Cannot find name 'kept'/);
    const two = await runCell(nb, '1+1');
    assert.equal(await cellText(nb, two), '2');
    await shots.shot(nb, 'restarted');
  });

  it('saves, and after a reload shows the outputs again, the plot image included', async () => {
    await saveNotebook(nb);
    await nb.reload();
    await waitNotebookReady(nb);
    // signed when saved: reopened trusted (the pre-save hook gives the cells their ids first)
    assert.equal(await nb.evaluate('window.Jupyter.notebook.trusted'), true);
    assert.equal(await cellText(nb, meanCell), `trains: 20, XGM mean: ${expectedMean}\n`);
    await cellOutputArea(nb, plotCell).locator('img').first().waitFor({ state: 'visible' });
    const size = await plotSize(nb, plotCell);
    assert.ok(size && size.tag === 'img' && size.width > 100 && size.height > 50, `the plot is visible after the reload: ${JSON.stringify(size)}`);
    await shots.shot(nb, 'reloaded');
  });
});
