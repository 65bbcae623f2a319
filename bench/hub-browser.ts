/**
 * The hub in a browser: what a scientist waits for in JupyterHub's classic Notebook UI, our
 * kernel on a proposal kernelspec next to ipykernel ("Python 3") in the same hub, same run.
 *
 * (a) first output: from the click on "New ▸ <display name>" in the tree view to the output
 *     of the first cell (`1+1` → 2) in the new notebook's tab;
 * (b) the median and p90 of `--cells` trivial cells (`k+1`, valid TypeScript and Python) run
 *     one after another with Shift+Enter, each from the key press to its output in the page.
 *
 * Timing is the page's own: performance.timeOrigin + performance.now() (one clock for every
 * tab of the browser). The click and the key press are stamped by capture-phase listeners
 * (before the notebook's own handlers run), an output by a MutationObserver on the notebook
 * (the moment the output's node is in the DOM, before paint), the execute_request leaving and
 * the execute_result arriving by wrapping the page's WebSocket, and the notebook tab's
 * milestones (UI loaded, kernel session, websocket, kernel idle) by a 5 ms poll that an init
 * script starts in every tab before the notebook's scripts. Playwright drives the mouse and the
 * keyboard only; its own polling never enters a figure. First output is reported net of the
 * driver's reaction: (click → kernel idle) + (key press → output), as a user who runs the
 * cell the moment the kernel shows idle would see it; the raw click → output is in the note.
 *
 * The proposal kernel (`--proposal-kernel env`, the default) is a real proposal environment:
 * `scs env create --proposal 900020` in a scratch EXFEL_DATA_ROOT (a clone of this repository's
 * committed HEAD, npm ci from the cache, its own compile: 30-60 s, not timed), then
 * `scs env activate` as the hub user (HOME = its home), as a scientist would in a hub terminal;
 * both are removed afterwards. `--proposal-kernel install` instead installs this build's kernel
 * system-wide as `toolbox_p900021` (`scs kernel install --prefix <hub sys-prefix>`): the same
 * kernel.json (launch.sh, node, the compiled kernel of one checkout, the startup snapshot),
 * without the minute of creating the environment, and for the working tree rather than HEAD;
 * `both` measures the two side by side.
 * Either way the startup snapshot is built before the first start (install and activate build
 * it). Kernels alternate (ours first in even repetitions, ipykernel first in odd ones: ABBA) after
 * one untimed warm-up notebook each (the browser's cache of the notebook's scripts, the OS's
 * cache of node, python and the snapshot).
 *
 *   HUB_LOCAL_PORT=8820 HUB_LOCAL_STATE=/tmp/scs-hub-bench node dist/bench/hub-browser.js \
 *     [--reps N] [--cells N] [--proposal-kernel env|install|both]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { installKernelSpec } from '../kernel/kernelspec.js';
import { ensureHub, hubProblem, launchBrowser, login, releaseHub, stopServer, sysPrefix, userHome, type Hub } from '../test/helpers/hub.js';
import { newNotebookFromMenu, runCell, waitCellDone, waitKernelIdle } from '../test/helpers/notebook-page.js';
import { type BenchRow, arg, argString, median, printRows, quantile } from './harness.js';

const USER = 'bench';
const IPYKERNEL = { label: 'ipykernel', name: 'python3', display: 'Python 3 (ipykernel)' };
type Kernel = typeof IPYKERNEL;
const SCS = join(__dirname, '..', 'scripts', 'scs.js');
const PROPOSAL = '900020';
const INSTALLED_PROPOSAL = '900021';

interface ProposalKernel { kernel: Kernel; how: string; cleanup: () => void }

/** `scs env create` in a scratch EXFEL_DATA_ROOT, then `scs env activate` as the hub's user. */
function proposalEnvironment(hub: Hub): ProposalKernel {
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-exp-'));
  mkdirSync(join(root, 'SCS', '209900', `p${PROPOSAL}`), { recursive: true });
  // the single-user server's view: HOME set by the spawner, no Jupyter/XDG overrides
  const env: NodeJS.ProcessEnv = { ...process.env, EXFEL_DATA_ROOT: root, HOME: userHome(hub, USER) };
  for (const k of ['JUPYTER_DATA_DIR', 'XDG_DATA_HOME', 'XDG_CACHE_HOME']) delete env[k];
  mkdirSync(env.HOME!, { recursive: true });
  const scs = (cmd: string) => execFileSync(process.execPath, [SCS, 'env', cmd, '--proposal', PROPOSAL], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const name = `toolbox_p${PROPOSAL}`;
  let snapshot: string | undefined;
  const cleanup = () => {
    try {
      scs('remove');
    } finally {
      rmSync(root, { recursive: true, force: true });
      if (snapshot) rmSync(snapshot, { recursive: true, force: true });
    }
  };
  try {
    const t0 = performance.now();
    const created = scs('create').trim().split('\n').find((l) => l.startsWith('created ')) ?? '';
    const seconds = (performance.now() - t0) / 1000;
    scs('activate');
    const spec = JSON.parse(readFileSync(join(env.HOME!, '.local', 'share', 'jupyter', 'kernels', name, 'kernel.json'), 'utf8')) as { argv: string[] };
    snapshot = spec.argv[4];
    const head = /HEAD = (\w+)/.exec(created)?.[1] ?? '?';
    const blob = readdirSync(snapshot).some((f) => f.endsWith('.blob')) ? 'its startup snapshot built' : 'NO startup snapshot (cold starts)';
    return {
      kernel: { label: 'ours (proposal env)', name, display: `SCS Toolbox (p${PROPOSAL})` },
      how: `a proposal environment: scs env create --proposal ${PROPOSAL} (HEAD ${head}, ${seconds.toFixed(0)} s), scs env activate as ${USER}, ${blob}`,
      cleanup,
    };
  } catch (err) {
    cleanup();
    throw err;
  }
}

/**
 * This build's kernel as a system-wide proposal kernelspec (what `scs kernel install --prefix`
 * writes), under a proposal of its own (the hub's tests use p002719 and p900123), removed after.
 */
function installedKernel(hub: Hub): ProposalKernel {
  const kernel = { label: 'ours (installed)', name: `toolbox_p${INSTALLED_PROPOSAL}`, display: `SCS Toolbox (p${INSTALLED_PROPOSAL})` };
  const spec = installKernelSpec({ name: kernel.name, displayName: kernel.display, location: { prefix: sysPrefix(hub) }, snapshot: true });
  return {
    kernel,
    how: `this build installed: scs kernel install --prefix ${sysPrefix(hub)} ${kernel.name}; ${spec.snapshot ?? ''}`,
    cleanup: () => rmSync(join(sysPrefix(hub), 'share', 'jupyter', 'kernels', kernel.name), { recursive: true, force: true }),
  };
}

/** Milestones of a notebook tab, in ms on the browser's shared clock. */
interface Milestones { origin: number; loaded?: number; session?: number; connected?: number; idle?: number }

interface NotebookRun {
  click: number;
  marks: Milestones;
  /** key press → output of the first cell */
  firstCell: number;
  /** click → first output as the driver got it (includes its reaction time) */
  raw: number;
  /** the same for each trivial cell */
  cells: number[];
  /** per trivial cell: [press → execute_request sent, sent → execute_result received, received → output in the DOM] */
  parts: Array<[number, number, number]>;
}

/** One cell on the page's clock: key press, execute_request on the websocket, execute_result off it, output in the DOM. */
interface Stamp { press: number; sent: number; recv: number; out: number }

/** Started in every tab before its own scripts: stamps clicks on the New menu and the notebook's milestones. */
const INIT_SCRIPT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  document.addEventListener('click', (e) => {
    if (e.target && e.target.closest && e.target.closest('#new-menu a')) window.__benchClick = now();
  }, true);
  document.addEventListener('keydown', (e) => { if (e.key === 'Enter' && e.shiftKey) window.__benchPress = now(); }, true);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string' && data.includes('"execute_request"')) window.__benchSent = now();
    return send.call(this, data);
  };
  // listening from the constructor puts this listener before the notebook's onmessage handler
  window.WebSocket = class extends WebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (ev) => {
        if (window.__benchRecv === undefined && typeof ev.data === 'string' && /"msg_type":\\s*"execute_result"/.test(ev.data)) window.__benchRecv = now();
      });
    }
  };
  if (!location.pathname.includes('/notebooks/')) return;
  const m = window.__benchMarks = { origin: performance.timeOrigin };
  const poll = setInterval(() => {
    const nb = window.Jupyter && window.Jupyter.notebook;
    if (!nb) return;
    if (m.loaded === undefined && nb._fully_loaded) m.loaded = now();
    if (m.session === undefined && nb.kernel) m.session = now();
    if (m.connected === undefined && nb.kernel && nb.kernel.is_connected()) m.connected = now();
    if (m.connected !== undefined && m.loaded !== undefined && document.querySelector('#kernel_indicator_icon.kernel_idle_icon')) {
      m.idle = now();
      clearInterval(poll);
    }
  }, 5);
})()`;

/**
 * Arms an observer for the output `expect` of the cell that runCell will use next; the promise
 * it leaves in the page resolves to the cell's Stamp.
 */
function armOutput(page: Page, expect: string): Promise<unknown> {
  return page.evaluate(`(() => {
    const nb = window.Jupyter.notebook;
    const last = nb.ncells() - 1;
    const i = nb.get_cell(last).get_text() !== '' || nb.get_cell(last).cell_type !== 'code' ? last + 1 : last;
    const seen = () => {
      const c = nb.get_cell(i);
      if (!c || !c.output_area) return false;
      const sub = c.output_area.element[0].querySelectorAll('.output_subarea');
      return Array.from(sub).some((s) => s.textContent.trim() === ${JSON.stringify(expect)});
    };
    window.__benchPress = window.__benchSent = window.__benchRecv = undefined;
    window.__benchOut = new Promise((resolve) => {
      const obs = new MutationObserver(() => {
        if (!seen()) return;
        const t = performance.timeOrigin + performance.now();
        obs.disconnect();
        resolve({ press: window.__benchPress, sent: window.__benchSent, recv: window.__benchRecv, out: t });
      });
      obs.observe(document.getElementById('notebook-container'), { childList: true, subtree: true, characterData: true });
    });
  })()`);
}

/** Runs `code` with Shift+Enter and returns its times on the page's clock. */
async function timedCell(page: Page, code: string, expect: string): Promise<Stamp> {
  await armOutput(page, expect);
  const index = await runCell(page, code, { wait: false });
  const stamp = await page.evaluate('window.__benchOut') as Partial<Stamp>;
  for (const k of ['press', 'sent', 'recv'] as const) {
    if (stamp[k] === undefined) throw new Error(`cell ${index} (${code}): no ${k} time seen by the page`);
  }
  // the next cell starts from a kernel that has replied and gone idle, as a user's would
  await waitCellDone(page, index);
  await waitKernelIdle(page);
  return stamp as Stamp;
}

/** New notebook on `k` from the tree page, its first cell, then `cells` trivial cells; the notebook's kernel is shut down after. */
async function notebookRun(tree: Page, k: Kernel, cells: number): Promise<NotebookRun> {
  await tree.bringToFront();
  await tree.evaluate('window.__benchClick = undefined');
  const nb = await newNotebookFromMenu(tree, k.display, 120_000);
  try {
    const click = await tree.evaluate('window.__benchClick') as number | undefined;
    if (click === undefined) throw new Error('the click on the New menu was not seen by the page');
    const first = await timedCell(nb, '1+1', '2');
    const marks = await nb.evaluate('window.__benchMarks') as Milestones;
    if (marks.idle === undefined) throw new Error(`no kernel idle seen in the notebook on ${k.display}`);
    const stamps: Stamp[] = [];
    for (let i = 1; i <= cells; i++) stamps.push(await timedCell(nb, `${i}+1`, String(i + 1)));
    return {
      click, marks, firstCell: first.out - first.press, raw: first.out - click, cells: stamps.map((t) => t.out - t.press),
      parts: stamps.map((t) => [t.sent - t.press, t.recv - t.sent, t.out - t.recv]),
    };
  } finally {
    await nb.evaluate('new Promise((r) => window.Jupyter.notebook.session.delete(r, r))').catch(() => undefined);
    await nb.close();
  }
}

function load(): string {
  return `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (${cpus().length} cores)`;
}

/** The rows: first output (net and its parts), then the cells, ours against ipykernel. */
function rows(runs: Record<string, NotebookRun[]>, ours: string, cells: number): BenchRow[] {
  const o = runs[ours];
  const p = runs[IPYKERNEL.label];
  const n = o.length;
  const row = (name: string, f: (r: NotebookRun) => number, note = ''): BenchRow => ({
    name, ours: median(o.map(f)), reference: median(p.map(f)), referenceName: 'ipykernel', unit: 'ms', note,
  });
  const fmt = (rs: NotebookRun[], f: (r: NotebookRun) => number) => rs.map((r) => f(r).toFixed(0)).join(', ');
  const net = (r: NotebookRun) => r.marks.idle! - r.click + r.firstCell;
  const raw = (r: NotebookRun) => r.raw;
  const allO = o.flatMap((r) => r.cells);
  const allP = p.flatMap((r) => r.cells);
  return [
    row(`click New ▸ kernel → first cell's output \`1+1\` (median of ${n})`, net,
      `ours: ${fmt(o, net)}; ipykernel: ${fmt(p, net)} ms; raw with the driver's reaction: ${median(o.map(raw)).toFixed(0)} / ${median(p.map(raw)).toFixed(0)} ms`),
    row('  of which: click → notebook UI loaded', (r) => r.marks.loaded! - r.click, 'new tab, notebook page, its scripts'),
    row('  of which: UI loaded → kernel session', (r) => (r.marks.session ?? NaN) - r.marks.loaded!, 'POST /api/sessions returns: the server has launched the kernel process'),
    row('  of which: session → websocket open', (r) => (r.marks.connected ?? NaN) - (r.marks.session ?? NaN), 'the server opens the websocket once the kernel answers its kernel_info (the kernel start)'),
    row('  of which: websocket → kernel idle', (r) => r.marks.idle! - (r.marks.connected ?? NaN), "the page's own kernel_info, then idle"),
    row('  of which: Shift+Enter → output of the first cell', (r) => r.firstCell, `ours: ${fmt(o, (r) => r.firstCell)}; ipykernel: ${fmt(p, (r) => r.firstCell)} ms`),
    {
      name: `trivial cell, Shift+Enter → output (median of ${n}×${cells})`, ours: median(allO), reference: median(allP),
      referenceName: 'ipykernel', unit: 'ms', note: `medians per notebook: ours ${o.map((r) => median(r.cells).toFixed(1)).join(', ')}; ipykernel ${p.map((r) => median(r.cells).toFixed(1)).join(', ')}`,
    },
    { name: `trivial cell, Shift+Enter → output (p90 of ${n}×${cells})`, ours: quantile(allO, 0.9), reference: quantile(allP, 0.9), referenceName: 'ipykernel', unit: 'ms' },
    ...(['key press → execute_request on the websocket', 'execute_request sent → execute_result received', 'execute_result received → output in the DOM'])
      .map((what, j): BenchRow => ({
        name: `  of which (medians): ${what}`, ours: median(o.flatMap((r) => r.parts.map((x) => x[j]))),
        reference: median(p.flatMap((r) => r.parts.map((x) => x[j]))), referenceName: 'ipykernel', unit: 'ms',
        note: ['the notebook page', 'proxy, single-user server, ZeroMQ, the kernel', 'the notebook page renders'][j],
      })),
  ];
}

async function measure(hub: Hub, ours: Kernel[], reps: number, cells: number): Promise<Record<string, NotebookRun[]>> {
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
    await context.addInitScript(INIT_SCRIPT);
    const tree = await context.newPage();
    await login(tree, hub, USER);
    const kernels = [...ours, IPYKERNEL];
    for (const k of kernels) await notebookRun(tree, k, 3);
    const runs: Record<string, NotebookRun[]> = Object.fromEntries(kernels.map((k) => [k.label, []]));
    for (let r = 0; r < reps; r++) {
      for (const k of r % 2 === 0 ? kernels : [...kernels].reverse()) {
        const run = await notebookRun(tree, k, cells);
        runs[k.label].push(run);
        console.error(`rep ${r + 1}/${reps} ${k.label}: first output ${(run.marks.idle! - run.click + run.firstCell).toFixed(0)} ms, cells median ${median(run.cells).toFixed(1)} ms`);
      }
    }
    return runs;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const problem = hubProblem();
  if (problem) {
    console.log(`\n(hub-browser skipped: ${problem}; run scripts/install-test-deps.sh)`);
    return;
  }
  const reps = arg('--reps', 5);
  const cells = arg('--cells', 50);
  const how = argString('--proposal-kernel') ?? 'env';
  if (!['env', 'install', 'both'].includes(how)) throw new Error(`--proposal-kernel takes env, install or both, got ${how}`);
  const hub = await ensureHub();
  const proposals: ProposalKernel[] = [];
  try {
    if (how !== 'install') proposals.push(proposalEnvironment(hub));
    if (how !== 'env') proposals.push(installedKernel(hub));
    for (const p of proposals) console.log(`\n${p.kernel.label}: ${p.kernel.display}, ${p.how}`);
    console.log(`at start: ${load()}`);
    const runs = await measure(hub, proposals.map((p) => p.kernel), reps, cells);
    for (const { kernel } of proposals) {
      printRows(`The hub in a browser (JupyterHub 3.0, notebook 6.4, headless chromium): ${kernel.label}, ${kernel.display}, next to ipykernel, same run, alternated`, rows(runs, kernel.label, cells));
    }
    console.log(`\nat end: ${load()}`);
  } finally {
    for (const p of proposals) p.cleanup();
    await stopServer(hub, USER).catch(() => undefined);
    const home = userHome(hub, USER);
    for (const f of readdirSync(home)) if (/^Untitled\d*\.ipynb$/.test(f)) rmSync(join(home, f));
    await releaseHub(hub);
  }
}

if (require.main === module) {
  main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
