/**
 * Output notebooks of `scs run` as users open them: in the hub's classic Notebook (6.4) and as
 * nbconvert's HTML (Debian's nbconvert 6.5), both in headless chromium. Neither has a vega-lite
 * renderer, so what shows is the static fallback of each plot's bundle, a PNG: the chart's SVG
 * drawn at twice its size (shown at its own size), or a large image's pixels (docs/plots.md).
 * What each front end shows, and why: docs/jupyterhub.md.
 */
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { Browser, Page } from 'playwright-core';
import { REPO, Screenshots, ensureHub, launchBrowser, login, releaseHub, requireHub, stopServer, sysPrefix, userHome, type Hub } from '../helpers/hub.js';
import { notebookUrl } from '../helpers/notebook-page.js';

const run = promisify(execFile);
/**
 * A Python venv with JupyterLab 4 and nbconvert 7 (`python3 -m venv V && V/bin/pip install
 * jupyterlab`): the front ends that have a vega-lite renderer or show SVG in HTML. Debian 12
 * packages neither, so these checks run only when it is given.
 */
const VENV = process.env.SCS_TEST_JUPYTER_VENV;
const LAB_PORT = Number(process.env.HUB_LOCAL_PORT ?? 8765) + 9;
const SCS = join(REPO, 'dist', 'scripts', 'scs.js');
const USER = 'outputs';
const KERNEL = 'scs-out-plots';
const LINE = "tb.plot.line([1, 4, 2, 8, 5], { title: 'hub line plot' })";
// 64 × 64 pixels is above maxRectPixels (2500): the fallback is the PNG of the pixels, not of the SVG
const IMAGE = "tb.plot.image(new tb.DataArray(Array.from({ length: 64 }, (_, i) => Array.from({ length: 64 }, (_, j) => Math.sin(i / 8) * Math.cos(j / 8))), { dims: ['y', 'x'] }), { title: 'hub image' })";

function notebook(kernel: string): string {
  const cell = (source: string) => ({ cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: [source] });
  return JSON.stringify({
    cells: [cell(LINE), cell(IMAGE)],
    metadata: { kernelspec: { name: kernel, display_name: 'SCS Toolbox (outputs)', language: 'typescript' }, language_info: { name: 'typescript' } },
    nbformat: 4, nbformat_minor: 5,
  });
}

/** What the output area of cell `i` shows: the rendered subarea's classes and its svg/img size. */
interface Shown { classes: string; text: string; svg: { w: number; h: number; children: number } | null; img: { w: number; h: number; src: string } | null }

function shownIn(page: Page, outputSelector: string, i: number): Promise<Shown> {
  return page.evaluate(`(() => {
    const area = document.querySelectorAll(${JSON.stringify(outputSelector)})[${i}];
    if (!area) return null;
    const box = (el) => { const r = el.getBoundingClientRect(); return { w: Math.round(r.width), h: Math.round(r.height) }; };
    const svg = area.querySelector('svg');
    const img = area.querySelector('img');
    const sub = area.querySelector('.output_subarea, .jp-OutputArea-output');
    return {
      classes: sub ? sub.className + ' ' + (sub.getAttribute('data-mime-type') || '') : '',
      text: (sub || area).innerText.trim(),
      svg: svg ? { ...box(svg), children: svg.querySelectorAll('*').length } : null,
      img: img ? { ...box(img), src: img.getAttribute('src').slice(0, 22) } : null,
    };
  })()`) as Promise<Shown>;
}

function startLab(root: string): Promise<ChildProcess> {
  const lab = spawn(join(VENV!, 'bin', 'jupyter-lab'), ['--no-browser', '--ip', '127.0.0.1', '--port', String(LAB_PORT),
    '--IdentityProvider.token=scs-test', `--ServerApp.root_dir=${root}`, `--LabApp.workspaces_dir=${join(root, '.lab-workspaces')}`,
    '--allow-root'], { detached: true, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = () => fetch(`http://127.0.0.1:${LAB_PORT}/api/status?token=scs-test`).then((r) => (r.ok ? resolve(lab) : retry()), retry);
    const retry = () => (Date.now() > deadline || lab.exitCode !== null ? reject(new Error('JupyterLab did not start')) : setTimeout(poll, 200));
    poll();
  });
}

async function stopLab(lab: ChildProcess): Promise<void> {
  const gone = new Promise((resolve) => lab.once('exit', resolve));
  if (lab.exitCode === null) process.kill(-lab.pid!, 'SIGTERM');
  await gone;
}

describe('hub: output notebooks of scs run (classic notebook, nbconvert HTML)', function () {
  this.timeout(240_000);
  let hub: Hub | undefined;
  let browser: Browser | undefined;
  let page: Page;
  let work: string;
  const shots = new Screenshots('output-notebooks');
  const consoleLines: string[] = [];

  before(async function () {
    requireHub(this);
    hub = await ensureHub();
    work = mkdtempSync(join(tmpdir(), 'scs-hub-outputs-'));
    // the real install and the real runner; the hub sees the kernelspec system-wide
    await run(process.execPath, [SCS, 'kernel', 'install', KERNEL, '--display-name', 'SCS Toolbox (outputs)', '--no-snapshot', '--prefix', sysPrefix(hub)]);
    writeFileSync(join(work, 'plots.ipynb'), notebook(KERNEL));
    await run(process.execPath, [SCS, 'run', join(work, 'plots.ipynb'), join(work, 'plots-out.ipynb'), '-k', KERNEL],
      { env: { ...process.env, JUPYTER_PATH: join(sysPrefix(hub), 'share', 'jupyter') } });
    mkdirSync(join(userHome(hub, USER), 'runs'), { recursive: true });
    copyFileSync(join(work, 'plots-out.ipynb'), join(userHome(hub, USER), 'runs', 'plots-out.ipynb'));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (m) => consoleLines.push(m.text()));
    await login(page, hub, USER);
  });

  after(async () => {
    await browser?.close();
    if (hub) await stopServer(hub, USER);  // and with it the kernels the tabs left running
    if (work) rmSync(work, { recursive: true, force: true });
    if (hub) rmSync(join(sysPrefix(hub), 'share', 'jupyter', 'kernels', KERNEL), { recursive: true, force: true });
    await releaseHub(hub);
  });

  it('the output notebook holds each plot as vega-lite plus a PNG fallback', () => {
    const nb = JSON.parse(readFileSync(join(work, 'plots-out.ipynb'), 'utf8')) as { cells: { outputs: { data: Record<string, unknown>; metadata: Record<string, unknown> }[] }[] };
    for (const cell of nb.cells) assert.deepEqual(Object.keys(cell.outputs[0].data).sort(), ['application/vnd.vegalite.v5+json', 'image/png', 'text/plain']);
    const size = nb.cells[0].outputs[0].metadata['image/png'] as { width: number; height: number };
    assert.ok(size.width > 300 && size.height > 200, JSON.stringify(size));
  });

  it('classic notebook, untrusted (as opened): both plots show as images, the chart at its display size', async () => {
    await page.goto(notebookUrl(hub!, USER, 'runs/plots-out.ipynb'));
    await page.waitForFunction('window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded', undefined, { timeout: 60_000 });
    assert.equal(await page.evaluate('Jupyter.notebook.trusted'), false);
    const nb = JSON.parse(readFileSync(join(work, 'plots-out.ipynb'), 'utf8')) as { cells: { outputs: { metadata: Record<string, { width: number }> }[] }[] };
    const line = await shownIn(page, '.cell .output_area', 0);
    assert.match(line.classes, /output_png/);
    assert.equal(line.img?.src, 'data:image/png;base64,');
    assert.equal(line.img?.w, nb.cells[0].outputs[0].metadata['image/png'].width);
    const image = await shownIn(page, '.cell .output_area', 1);
    assert.match(image.classes, /output_png/);
    assert.equal(image.img?.src, 'data:image/png;base64,');
    assert.ok(image.img && image.img.w > 100 && image.img.h > 100, JSON.stringify(image));
    assert.ok(!consoleLines.some((l) => /Ignoring untrusted/.test(l)), consoleLines.join('\n'));
    await shots.shot(page, 'classic-untrusted');
  });

  it('JupyterLab 4 (SCS_TEST_JUPYTER_VENV): the interactive vega-lite view of both plots', async function () {
    if (!VENV) this.skip();
    const lab = await startLab(work);
    try {
      await page.goto(`http://127.0.0.1:${LAB_PORT}/lab/tree/plots-out.ipynb?token=scs-test`);
      await page.waitForSelector('.jp-RenderedVegaLite canvas', { state: 'visible', timeout: 90_000 });
      await page.waitForFunction(`document.querySelectorAll('.jp-RenderedVegaLite canvas').length === 2`, undefined, { timeout: 30_000 });
      const sizes = await page.evaluate(`Array.from(document.querySelectorAll('.jp-OutputArea-output')).map((e) => {
        const c = e.querySelector('canvas'); const r = c ? c.getBoundingClientRect() : { width: 0, height: 0 };
        return { vegaLite: e.classList.contains('jp-RenderedVegaLite'), w: Math.round(r.width), h: Math.round(r.height) };
      })`) as { vegaLite: boolean; w: number; h: number }[];
      assert.equal(sizes.length, 2);
      for (const s of sizes) assert.ok(s.vegaLite && s.w > 300 && s.h > 200, JSON.stringify(sizes));
      await shots.shot(page, 'jupyterlab-vega-lite');
    } finally {
      await stopLab(lab);
    }
  });

  it('nbconvert 7 HTML (SCS_TEST_JUPYTER_VENV): the PNG shows', async function () {
    if (!VENV) this.skip();
    const out = join(work, 'nbconvert7');
    await run(join(VENV, 'bin', 'python'), ['-m', 'nbconvert', '--to', 'html', '--output-dir', out, join(work, 'plots-out.ipynb')]);
    await page.goto(pathToFileURL(join(out, 'plots-out.html')).href);
    const line = await shownIn(page, '.jp-OutputArea', 0);
    assert.equal(line.img?.src, 'data:image/png;base64,');
    assert.ok(line.img && line.img.w > 300 && line.img.h > 200, JSON.stringify(line));
    await shots.shot(page, 'nbconvert7-html');
  });

  it('nbconvert HTML (Debian nbconvert 6.5): both plots show as images', async () => {
    await run('/usr/bin/python3', ['-m', 'nbconvert', '--to', 'html', '--output-dir', work, join(work, 'plots-out.ipynb')]);
    const html = join(work, 'plots-out.html');
    await page.goto(pathToFileURL(html).href);
    for (const i of [0, 1]) {
      const shown = await shownIn(page, '.jp-OutputArea', i);
      assert.match(shown.classes, /jp-RenderedImage/);
      assert.equal(shown.img?.src, 'data:image/png;base64,');
      assert.ok(shown.img && shown.img.w > 100 && shown.img.h > 100, JSON.stringify(shown));
    }
    await shots.shot(page, 'nbconvert-html');
  });
});
