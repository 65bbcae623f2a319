/**
 * Driving the classic Notebook UI (notebook 6.4, as the hub's single-user server serves it) in
 * a playwright page: what a user does is done with the mouse and keyboard (menus, toolbar
 * buttons, Shift+Enter, Tab); what the test then reads comes from the page's own `Jupyter`
 * object (cell outputs, execution counts, kernel state). The page scripts are strings because
 * the tests are compiled without the DOM's types.
 */
import type { Page } from 'playwright-core';
import type { Hub } from './hub.js';

/** One output of a cell as the notebook keeps it (nbformat's JSON). */
export interface CellOutput {
  output_type: string;
  text?: string;
  name?: string;
  data?: Record<string, unknown>;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** The URL of `path` (a notebook, relative to the user's home) on `user`'s server. */
export function notebookUrl(hub: Hub, user: string, path: string): string {
  return `${hub.url}/user/${user}/notebooks/${path.split('/').map(encodeURIComponent).join('/')}`;
}

/**
 * Clicks "New ▸ <display name>" in the tree view (the page must show /tree) and returns the new
 * notebook's page (the classic UI opens it in a new tab), once its kernel is idle.
 */
export async function newNotebookFromMenu(page: Page, displayName: string, timeoutMs = 90_000): Promise<Page> {
  const tab = await openFromNewMenu(page, displayName, timeoutMs);
  await waitNotebookReady(tab, timeoutMs);
  return tab;
}

/** Clicks "New ▸ <display name>" and returns the new notebook's tab at once (its kernel may never start). */
export async function openFromNewMenu(page: Page, displayName: string, timeoutMs = 90_000): Promise<Page> {
  await page.click('#new-dropdown-button');
  const item = page.locator('#new-menu a', { hasText: displayName }).first();
  const [tab] = await Promise.all([page.context().waitForEvent('page', { timeout: timeoutMs }), item.click()]);
  return tab;
}

/** Waits until the notebook app has loaded and its kernel is connected and idle. */
export async function waitNotebookReady(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.waitForFunction(`(() => {
    const nb = window.Jupyter && window.Jupyter.notebook;
    return !!(nb && nb._fully_loaded && nb.kernel && nb.kernel.is_connected() &&
      document.querySelector('#kernel_indicator_icon.kernel_idle_icon'));
  })()`, undefined, { timeout: timeoutMs, polling: 50 });
}

/** Waits until the kernel indicator shows idle. */
export async function waitKernelIdle(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.waitForSelector('#kernel_indicator_icon.kernel_idle_icon', { timeout: timeoutMs });
}

/** The text of the notebook's kernel status area (e.g. "Kernel starting, please wait...", "Dead kernel"). */
export function kernelStatusText(page: Page): Promise<string> {
  return page.evaluate(`(() => {
    const el = document.querySelector('#notification_kernel');
    return el && el.offsetParent !== null ? el.textContent.trim() : '';
  })()`) as Promise<string>;
}

/**
 * Puts `code` into the last cell (a new one below when the last cell is not empty), runs it
 * with Shift+Enter and, unless `wait` is false, waits until its execution count is set.
 * Returns the cell's index.
 */
export async function runCell(page: Page, code: string, opts: { wait?: boolean; timeoutMs?: number } = {}): Promise<number> {
  const index = await page.evaluate(`(() => {
    const nb = window.Jupyter.notebook;
    let i = nb.ncells() - 1;
    if (nb.get_cell(i).get_text() !== '' || nb.get_cell(i).cell_type !== 'code') { nb.insert_cell_below('code', i); i += 1; }
    nb.select(i);
    const cell = nb.get_cell(i);
    cell.set_text(${JSON.stringify(code)});
    cell.focus_editor();
    return i;
  })()`) as number;
  await page.keyboard.press('Shift+Enter');
  if (opts.wait !== false) await waitCellDone(page, index, opts.timeoutMs);
  return index;
}

/**
 * Waits until cell `index` has finished: its prompt shows a number (the execute_reply came, on
 * the shell channel) and the kernel went idle after it on iopub, which carries the outputs. The
 * two channels reach the page over one websocket but from two kernel sockets, so an
 * execute_result may come after the reply; the notebook keeps the request's callbacks until both
 * are done.
 */
export async function waitCellDone(page: Page, index: number, timeoutMs = 60_000): Promise<void> {
  await page.waitForFunction(`(() => {
    const c = window.Jupyter.notebook.get_cell(${index});
    if (typeof c.input_prompt_number !== 'number') return false;
    const pending = c.last_msg_id && window.Jupyter.notebook.kernel._msg_callbacks[c.last_msg_id];
    return !pending || pending.iopub_done === true;
  })()`, undefined, { timeout: timeoutMs, polling: 20 });
}

/** The outputs of cell `index` as the notebook holds them. */
export function cellOutputs(page: Page, index: number): Promise<CellOutput[]> {
  return page.evaluate(`window.Jupyter.notebook.get_cell(${index}).output_area.toJSON()`) as Promise<CellOutput[]>;
}

/** The plain text of all outputs of cell `index` (streams, text/plain results, errors). */
export async function cellText(page: Page, index: number): Promise<string> {
  const outs = await cellOutputs(page, index);
  return outs.map((o) => {
    if (o.output_type === 'stream') return o.text ?? '';
    if (o.output_type === 'error') return `${o.ename}: ${o.evalue}`;
    const plain = o.data?.['text/plain'];
    return Array.isArray(plain) ? plain.join('') : String(plain ?? '');
  }).join('');
}

/** The cell's rendered output area (for screenshots and visibility checks). */
export function cellOutputArea(page: Page, index: number) {
  return page.locator('.cell').nth(index).locator('.output_area');
}

/** Saves with Ctrl+S and waits for the "Notebook saved" notification. */
export async function saveNotebook(page: Page): Promise<void> {
  await page.evaluate('window.Jupyter.notebook.command_mode()');
  await Promise.all([
    page.waitForFunction('window.Jupyter.notebook.dirty === false', undefined, { timeout: 30_000 }),
    page.keyboard.press('Control+s'),
  ]);
}
