/**
 * Shared pieces of the runner tests: the fixture notebooks, `scs run` of this
 * build as a child process, a Jupyter sandbox with Debian's ipykernel as
 * `python3` (and optionally our TypeScript kernel), and Debian's nbformat
 * validator and nbconvert as the judges of the output notebooks.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import assert from 'node:assert/strict';
import { type JupyterSandbox, SYSTEM_PYTHON, makeSandbox, requireJupyter } from '../helpers/jupyter.js';

function findFixtures(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = join(dir, 'test', 'fixtures', 'notebooks');
    if (existsSync(join(candidate, 'python-params.ipynb'))) return candidate;
  }
  throw new Error(`test/fixtures/notebooks not found above ${__dirname}`);
}

export const FIXTURES = findFixtures();
export const fixture = (name: string): string => join(FIXTURES, name);

/** The compiled `scs` entry of this build (test/runner/x.test.js → scripts/scs.js). */
export const SCS = join(__dirname, '..', '..', 'scripts', 'scs.js');

export interface Ran { code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }

export interface ScsOptions { env?: NodeJS.ProcessEnv; cwd?: string; stdin?: string }

/** Starts `scs ARGS`; stdin is /dev/null unless text is given (a pipe, as `cat nb | scs run -` would). */
export function startScs(args: string[], o: ScsOptions = {}): { child: ChildProcess; done: Promise<Ran> } {
  const child = spawn(process.execPath, [SCS, ...args], {
    env: o.env, cwd: o.cwd, stdio: [o.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => { stdout += d.toString(); });
  child.stderr!.on('data', (d: Buffer) => { stderr += d.toString(); });
  if (o.stdin !== undefined) child.stdin!.end(o.stdin);
  const done = new Promise<Ran>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done };
}

export function scs(args: string[], o: ScsOptions = {}): Promise<Ran> {
  return startScs(args, o).done;
}

/** Runs `scs ARGS` (give it --log-output), sends `signal` once `marker` shows up on its stderr, and resolves when it has exited. */
export async function signalWhenPrinted(args: string[], marker: string, signal: NodeJS.Signals, o: ScsOptions = {}): Promise<Ran> {
  const { child, done } = startScs(args, o);
  let seen = '';
  child.stderr!.on('data', (d: Buffer) => {
    seen += d.toString();
    if (seen.includes(marker) && child.exitCode === null && !child.killed) child.kill(signal);
  });
  return done;
}

/** A sandbox whose `python3` kernelspec is Debian's ipykernel through /usr/bin/python3 (not whatever python3 is on PATH). */
export function pythonSandbox(): JupyterSandbox {
  const sandbox = makeSandbox();
  sandbox.addKernel('python3', {
    argv: [SYSTEM_PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Python 3 (Debian)', language: 'python',
  });
  return sandbox;
}

export interface RunSuite {
  /** the suite's sandbox, made in before() */
  readonly sb: JupyterSandbox;
  /** a path in the sandbox's notebook folder */
  out(name: string): string;
  /** `scs run ARGS` in the notebook folder with the sandbox's environment */
  run(args: string[], stdin?: string): Promise<Ran>;
  /** env and cwd of run(), for startScs and signalWhenPrinted */
  readonly opts: ScsOptions;
}

/**
 * Registers the before/after hooks of a suite that runs `scs run` in a fresh pythonSandbox, with
 * our TypeScript kernel installed as `scs-test` (by `scs kernel install --prefix`) when asked.
 */
export function runSuite(o: { ourKernel?: boolean } = {}): RunSuite {
  let sandbox: JupyterSandbox | undefined;
  const sb = (): JupyterSandbox => {
    if (!sandbox) throw new Error('the suite\'s sandbox is made in its before() hook');
    return sandbox;
  };
  before(async function () {
    await requireJupyter(this);
    sandbox = pythonSandbox();
    if (o.ourKernel) {
      const installed = await scs(['kernel', 'install', '--prefix', sandbox.prefix, '--name', 'scs-test'], { env: sandbox.env });
      assert.equal(installed.code, 0, installed.stderr);
    }
  });
  after(() => sandbox?.cleanup());
  return {
    get sb() { return sb(); },
    out: (name) => join(sb().notebooks, name),
    run: (args, stdin) => scs(['run', ...args], { env: sb().env, cwd: sb().notebooks, stdin }),
    get opts() { return { env: sb().env, cwd: sb().notebooks }; },
  };
}

function python(code: string, args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(SYSTEM_PYTHON, ['-c', code, ...args], { env, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code !== 'number') reject(err);
      else resolve({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, stdout, stderr });
    });
  });
}

/** Debian's nbformat.validate on the file (raises on an invalid notebook); resolves with the nbformat version read. */
export async function validateWithNbformat(path: string): Promise<string> {
  const r = await python('import nbformat, sys\nnb = nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT)\nnbformat.validate(nb)\nprint(f"{nb.nbformat}.{nb.nbformat_minor}")', [path]);
  if (r.code !== 0) throw new Error(`nbformat.validate rejected ${path}:\n${r.stderr}`);
  return r.stdout.trim();
}

/** `jupyter nbconvert --to html` (Debian ships it as python3 -m nbconvert); resolves with the HTML. */
export async function nbconvertHtml(path: string, env?: NodeJS.ProcessEnv): Promise<string> {
  const r = await python('import sys\nfrom nbconvert.nbconvertapp import main\nsys.argv = ["jupyter-nbconvert", *sys.argv[1:]]\nmain()', ['--to', 'html', path], env);
  if (r.code !== 0) throw new Error(`nbconvert failed on ${path}:\n${r.stderr}`);
  return readFileSync(path.replace(/\.ipynb$/, '.html'), 'utf8');
}

// output notebooks are JSON the tests index freely: their metadata and outputs stay untyped
/* eslint-disable @typescript-eslint/no-explicit-any */
export interface OutNotebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, any>;
  cells: Array<{ id: string; cell_type: string; source: string; metadata: Record<string, any>; outputs?: any[]; execution_count?: number | null }>;
}

export function readOut(path: string): OutNotebook {
  const nb = JSON.parse(readFileSync(path, 'utf8')) as OutNotebook;
  for (const c of nb.cells) c.source = Array.isArray(c.source) ? (c.source as string[]).join('') : c.source;
  return nb;
}

export const tags = (cell: { metadata: Record<string, any> }): string[] => cell.metadata.tags ?? [];
/* eslint-enable @typescript-eslint/no-explicit-any */
