/**
 * Kernel latency: start to the first kernel_info_reply and to the result of
 * a first cell, and the median round trip of a trivial cell (`1+1`) and of a
 * cell using the toolbox, for our kernel, stock tslab 1.0.22 and ipykernel,
 * in the same run. Our start includes compiling the toolbox preload (`tb`
 * with its types); stock tslab starts bare.
 *
 * All three are driven by the same client, Debian's jupyter_client over
 * ZeroMQ (what nbclient and jupyter-server use), so the client's own cost is
 * the same for each. A cell's latency runs from sending execute_request to
 * having both the execute_reply and the idle status, as nbclient waits.
 * Kernel starts are interleaved (ours, tslab, ipykernel, ours, ...) so a
 * slow moment of the machine does not fall on one kernel only.
 *
 * The toolbox cell builds a 1000-element DataArray and takes its mean; stock
 * tslab imports the toolbox in an untimed setup cell first, ipykernel runs the
 * same with xarray.
 *
 *   node .build/X/bench/kernel-latency.js [--starts N] [--cells N]
 */
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installKernelSpec, packageRoot } from '../kernel/kernelspec.js';
import { type BenchRow, SYSTEM_PYTHON, printRows, runPython } from './harness.js';

const PY = String.raw`
import json, os, signal, statistics, sys, time
from queue import Empty
from jupyter_client.manager import KernelManager

a = json.loads(sys.argv[1])
cwd = a['cwd']
IOPUB_TIMEOUT = 4.0  # nbclient's default wait for idle after the reply

class LostIdle(Exception):
    pass

def wait_reply(kc, km, msg_id, timeout=120):
    # a dead kernel fails at once, not after the timeout
    deadline = time.monotonic() + timeout
    while True:
        try:
            m = kc.get_shell_msg(timeout=0.5)
        except Empty:
            if not km.is_alive():
                raise RuntimeError('the kernel process exited')
            if time.monotonic() > deadline:
                raise RuntimeError(f'no reply within {timeout} s')
            continue
        if m['parent_header'].get('msg_id') == msg_id:
            return m

def stop(km, kc):
    try:
        kc.stop_channels()
    finally:
        pgid = getattr(km.provisioner, 'pgid', None)
        try:
            km.shutdown_kernel(now=True)
        finally:
            # the kernel runs in its own process group: take anything it left behind too
            if pgid and pgid != os.getpgid(0):
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass

def start(name, log):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    # own stdio: a kernel left holding our stdout would keep the benchmark waiting
    km.start_kernel(cwd=cwd, stdin=open(os.devnull), stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        wait_reply(kc, km, kc.kernel_info())
        dt = time.perf_counter() - t0
        iopub_handshake(kc, km)
    except BaseException:
        stop(km, kc)
        raise
    return km, kc, dt

def iopub_handshake(kc, km):
    # SUB sockets miss what is published before their subscription reaches the
    # kernel; ask again until a status for our request shows iopub is live
    for _ in range(100):
        msg_id = kc.kernel_info()
        wait_reply(kc, km, msg_id)
        deadline = time.monotonic() + 0.1
        while time.monotonic() < deadline:
            try:
                m = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
            except Empty:
                break
            if m['parent_header'].get('msg_id') == msg_id:
                return
    raise RuntimeError('no iopub message after 100 kernel_info requests')

def run_cell(km, kc, code):
    t0 = time.perf_counter()
    msg_id = kc.execute(code, allow_stdin=False)
    reply = wait_reply(kc, km, msg_id)
    if reply['content']['status'] != 'ok':
        raise RuntimeError(f'cell {code!r} failed: {reply["content"]}')
    result = None
    deadline = time.monotonic() + IOPUB_TIMEOUT
    while True:
        try:
            m = kc.get_iopub_msg(timeout=max(0.0, deadline - time.monotonic()))
        except Empty:
            raise LostIdle(code)
        if m['parent_header'].get('msg_id') != msg_id:
            continue
        if m['msg_type'] == 'execute_result':
            result = m['content']['data'].get('text/plain')
        elif m['msg_type'] == 'stream' and result is None:
            result = m['content']['text'].strip()  # tslab prints values instead of execute_result
        elif m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle':
            return time.perf_counter() - t0, result

def run(k, o, fn):
    km = kc = None
    try:
        with open(os.path.join(a['logs'], k['name'] + '.log'), 'a') as log:
            km, kc, dt = start(k['name'], log)
            fn(km, kc, dt)
    except Exception as e:
        o['error'] = f'{type(e).__name__}: {e}'
    finally:
        if km is not None:
            try:
                stop(km, kc)
            except Exception:
                pass

out = {k['label']: {'starts': [], 'firsts': [], 'lost_idle': 0, 'error': None} for k in a['kernels']}

def first_cell(k, o):
    def fn(km, kc, dt):
        o['starts'].append(dt)
        try:
            # a kernel may answer kernel_info before it can run cells
            run_cell(km, kc, k['trivial'])
            o['firsts'].append(time.perf_counter() - t0)
        except LostIdle:
            o['lost_idle'] += 1
    t0 = time.perf_counter()
    run(k, o, fn)

for _ in range(a['starts']):
    for k in a['kernels']:
        if not out[k['label']]['error']:
            first_cell(k, out[k['label']])

def cells(k, o):
    def fn(km, kc, dt):
        for code in k['setup']:
            run_cell(km, kc, code)
        for kind in ('trivial', 'tb'):
            code, expect = k[kind], k[kind + '_expect']
            times = []
            for i in range(a['warmup'] + a['cells']):
                try:
                    t, result = run_cell(km, kc, code)
                except LostIdle:
                    o['lost_idle'] += 1
                    continue
                if result != expect:
                    raise RuntimeError(f'cell {code!r} gave {result!r}, expected {expect!r}')
                if i >= a['warmup']:
                    times.append(t)
            o[kind] = statistics.median(times)
    run(k, o, fn)

for k in a['kernels']:
    o = out[k['label']]
    if not o['error']:
        cells(k, o)
    if o['starts']:
        o['start'] = statistics.median(o['starts'])
    if o['firsts']:
        o['first'] = statistics.median(o['firsts'])
print(json.dumps(out), flush=True)
# skip interpreter teardown: the clients' __del__ would log TypeErrors there
os._exit(0)
`;

interface KernelCase {
  label: string;
  name: string;
  setup: string[];
  trivial: string;
  trivial_expect: string;
  tb: string;
  tb_expect: string;
}

interface Measured { start?: number; first?: number; starts: number[]; trivial?: number; tb?: number; lost_idle: number; error: string | null }

const TS_TB_CELL = 'new tb.DataArray(Float64Array.from({ length: 1000 }, (_, i) => i), { dims: ["x"], shape: [1000] }).mean().item()';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Math.max(1, Math.round(Number(process.argv[i + 1]))) : fallback;
}

/** Kernelspecs for the three kernels in a private JUPYTER_PATH; stock ones as their own installers write them. */
function writeSpecs(prefix: string): KernelCase[] {
  const kernels = join(prefix, 'share', 'jupyter', 'kernels');
  const spec = (name: string, json: object) => {
    mkdirSync(join(kernels, name), { recursive: true });
    writeFileSync(join(kernels, name, 'kernel.json'), JSON.stringify(json));
  };
  installKernelSpec({ name: 'bench-ours', location: { prefix } });
  spec('bench-tslab', {
    argv: [join(packageRoot(), 'node_modules', '.bin', 'tslab'), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)', language: 'typescript',
  });
  spec('bench-ipykernel', {
    argv: [SYSTEM_PYTHON, '-m', 'ipykernel_launcher', '-f', '{connection_file}'], display_name: 'Python 3 (ipykernel)', language: 'python',
  });
  // the toolbox of this build, as compiled next to this file
  const toolbox = join(__dirname, '..', 'toolbox', 'index');
  return [
    { label: 'ours', name: 'bench-ours', setup: [], trivial: '1+1', trivial_expect: '2', tb: TS_TB_CELL, tb_expect: '499.5' },
    {
      label: 'stock tslab', name: 'bench-tslab', setup: [`import * as tb from ${JSON.stringify(toolbox)};`],
      trivial: '1+1', trivial_expect: '2', tb: TS_TB_CELL, tb_expect: '499.5',
    },
    {
      label: 'ipykernel', name: 'bench-ipykernel', setup: ['import numpy as np, xarray as xr'], trivial: '1+1', trivial_expect: '2',
      tb: "xr.DataArray(np.arange(1000.0), dims=['x']).mean().item()", tb_expect: '499.5',
    },
  ];
}

export function run(starts = 5, cells = 40): { rows: BenchRow[]; errors: string[]; lost: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-kernel-'));
  try {
    const prefix = join(root, 'prefix');
    const cwd = join(root, 'cwd');
    mkdirSync(cwd);
    const cases = writeSpecs(prefix);
    const env = {
      JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(root, 'data'), JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
      JUPYTER_CONFIG_DIR: join(root, 'config'), IPYTHONDIR: join(root, 'ipython'), PYDEVD_DISABLE_FILE_VALIDATION: '1',
    };
    Object.assign(process.env, env);
    const logs = join(root, 'logs');
    mkdirSync(logs);
    const res = runPython(PY, [JSON.stringify({ cwd, logs, kernels: cases, starts, cells, warmup: 5 })]) as unknown as Record<string, Measured>;
    const ipy = res.ipykernel;
    const errors = cases.filter((k) => res[k.label]?.error).map((k) => {
      const log = join(logs, `${k.name}.log`);
      const tail = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').slice(-8).join('\n') : '';
      return `${k.label}: ${res[k.label].error}${tail ? `\n  kernel stderr (last lines):\n${tail}` : ''}`;
    });
    const lost = cases.filter((k) => res[k.label]?.lost_idle).map((k) => `${k.label}: ${res[k.label].lost_idle} idle status(es) lost (not timed)`);
    const rows: BenchRow[] = [];
    const ms = (s: number | undefined) => (s ?? NaN) * 1000;
    const what: Array<[keyof Measured, string, string]> = [
      ['start', `kernel start to first kernel_info_reply (median of ${starts})`, 'goal ≤ 1.2× ipykernel'],
      ['first', `kernel start to the result of a first cell \`1+1\` (median of ${starts})`, ''],
      ['trivial', `trivial cell \`1+1\` (median of ${cells})`, 'goal ≤ 2× ipykernel'],
      ['tb', `toolbox cell: DataArray(1000).mean() (median of ${cells})`, 'ipykernel: the same with xarray'],
    ];
    for (const [key, name, note] of what) {
      for (const label of ['ours', 'stock tslab']) {
        rows.push({ name: `${name}, ${label}`, ours: ms(res[label]?.[key] as number), reference: ms(ipy?.[key] as number), referenceName: 'ipykernel', unit: 'ms', note: label === 'ours' ? note : '' });
      }
    }
    return { rows, errors, lost };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function main(): void {
  const { rows, errors, lost } = run(arg('--starts', 5), arg('--cells', 40));
  printRows('Jupyter kernel latency (jupyter_client over ZeroMQ, same run)', rows);
  for (const l of lost) console.log(`\n${l}`);
  for (const e of errors) console.error(`kernel failed: ${e}`);
  if (errors.length) process.exitCode = 1;
}

if (require.main === module) main();
