/**
 * The local JupyterHub (scripts/hub-local.sh) and headless Chromium for browser tests.
 *
 * `ensureHub` brings the hub up unless it already runs (scripts/test.sh starts one for the
 * whole suite); a hub this process started is stopped again by `releaseHub`. The state folder
 * and port follow HUB_LOCAL_STATE / HUB_LOCAL_PORT, so parallel checkouts do not share a hub.
 * The browser is Debian's chromium, driven by playwright-core; nothing is downloaded.
 * Screenshots go to `test-output/hub/<suite>/` under the repository (SCS_TEST_OUTPUT moves it).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context } from 'mocha';
import { chromium, type Browser, type Page } from 'playwright-core';
import { type Result, run } from './run.js';

/** The repository (dist/test/helpers → ../../..). */
export const REPO = join(__dirname, '..', '..', '..');
export const HUB_SCRIPT = join(REPO, 'scripts', 'hub-local.sh');
export const CHROMIUM = process.env.SCS_TEST_CHROMIUM ?? '/usr/bin/chromium';

export interface Hub {
  url: string;
  apiToken: string;
  password: string;
  state: string;
  /** true when this process brought the hub up (and so takes it down) */
  startedHere: boolean;
}

/** Runs scripts/hub-local.sh with the given command and extra environment. */
export function hubScript(cmd: string, env: NodeJS.ProcessEnv = {}): Promise<Result> {
  return run('bash', [HUB_SCRIPT, cmd], { ...process.env, ...env });
}

export function hubState(): string {
  return process.env.HUB_LOCAL_STATE ?? join(tmpdir(), `scs-hub-local-${process.getuid?.() ?? 0}`);
}

function readHubEnv(state: string): Hub {
  const vars = Object.fromEntries(readFileSync(join(state, 'hub.env'), 'utf8').trim().split('\n')
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
  return { url: vars.HUB_URL, apiToken: vars.HUB_API_TOKEN, password: vars.HUB_PASSWORD, state, startedHere: false };
}

/** null when the hub, its proxy and chromium can be used, else why not. */
export function hubProblem(): string | null {
  if (!existsSync('/usr/bin/jupyterhub')) return 'Debian\'s jupyterhub is not installed';
  if (!existsSync('/usr/bin/jupyterhub-singleuser')) return 'jupyterhub-singleuser is not installed';
  if (!existsSync(join(REPO, 'node_modules', '.bin', 'configurable-http-proxy'))) return 'configurable-http-proxy is not in node_modules';
  if (!existsSync(CHROMIUM)) return `${CHROMIUM} is not installed`;
  return null;
}

/** Call from a before() hook: skip the suite (or fail under CI) when the hub cannot run. */
export function requireHub(ctx: Context): void {
  const problem = hubProblem();
  if (!problem) return;
  if (process.env.CI) throw new Error(`the hub tests need ${problem}; run scripts/install-test-deps.sh as root`);
  console.log(`      (skipping hub tests: ${problem}; run scripts/install-test-deps.sh)`);
  ctx.skip();
}

/** The running hub, started here when it was not up. */
export async function ensureHub(): Promise<Hub> {
  const state = hubState();
  const before = await hubScript('status');
  if (before.code !== 0) {
    const up = await hubScript('up');
    if (up.code !== 0) throw new Error(`scripts/hub-local.sh up failed (${up.code}): ${up.stderr.trim()}`);
  }
  return { ...readHubEnv(state), startedHere: before.code !== 0 };
}

/** Stops the hub when `ensureHub` started it in this process. */
export async function releaseHub(hub: Hub | undefined): Promise<void> {
  if (hub?.startedHere) await hubScript('down');
}

/** A call of the hub's REST API with the service token; the JSON answer (or null for 204). */
export async function hubApi<T = unknown>(hub: Hub, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${hub.url}/hub/api${path}`, {
    method,
    headers: { Authorization: `token ${hub.apiToken}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && !(method === 'POST' && res.status === 409)) {
    throw new Error(`${method} /hub/api${path}: ${res.status} ${await res.text()}`);
  }
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** The home folder the hub's spawner gives `user` (kernels for that user go under it). */
export function userHome(hub: Hub, user: string): string {
  return join(hub.state, 'home', user);
}

/** The prefix whose share/jupyter/kernels every user of this hub sees (system-wide kernels). */
export function sysPrefix(hub: Hub): string {
  return join(hub.state, 'sys-prefix');
}

/** Stops `user`'s single-user server (if running) and waits until it is gone. */
export async function stopServer(hub: Hub, user: string): Promise<void> {
  await hubApi(hub, 'DELETE', `/users/${user}/server`).catch(() => undefined);
  for (let i = 0; i < 150; i++) {
    const u = await hubApi<{ servers?: Record<string, unknown> }>(hub, 'GET', `/users/${user}`).catch(() => null);
    if (!u || !u.servers || Object.keys(u.servers).length === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the server of ${user} did not stop`);
}

/**
 * Headless Debian chromium. The flags keep it off the network (this machine's network is
 * closed; background services would retry without end) and allow running as root in CI.
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Logs `user` in through the hub's login form; the page ends on the user's server (tree). */
export async function login(page: Page, hub: Hub, user: string): Promise<void> {
  await page.goto(`${hub.url}/hub/login`);
  await page.fill('#username_input', user);
  await page.fill('#password_input', hub.password);
  await Promise.all([page.waitForURL(/\/user\/[^/]+\/tree/, { timeout: 90_000 }), page.click('#login_submit')]);
}

/** Numbered screenshots of one suite's states, in test-output/hub/<suite>/. */
export class Screenshots {
  readonly dir: string;
  private n = 0;
  constructor(suite: string) {
    this.dir = join(process.env.SCS_TEST_OUTPUT ?? join(REPO, 'test-output'), 'hub', suite);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Writes `<NN>-<name>.png` and returns its path. */
  async shot(page: Page, name: string): Promise<string> {
    const file = join(this.dir, `${String(++this.n).padStart(2, '0')}-${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    return file;
  }
}
