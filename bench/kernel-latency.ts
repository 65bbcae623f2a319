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
 * Ours runs as installed (launch.sh with the startup snapshot) and, as
 * "ours without snapshot", with SCS_KERNEL_SNAPSHOT=off (the cold start).
 * `--via server` measures start → first result through jupyter_server instead.
 *
 *   node dist/bench/kernel-latency.js [--starts N] [--cells N] [--via client|server]
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

/**
 * Through Debian's jupyter_server (what JupyterLab talks to): POST /api/kernels, then the
 * kernel's websocket, one execute_request `1+1` sent as soon as the socket is open (the server
 * holds it until the kernel answers), timed to its execute_result and idle. Kernels alternate.
 */
const PY_SERVER = String.raw`
import asyncio, json, os, statistics, subprocess, sys, time, uuid
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

a = json.loads(sys.argv[1])
import socket
with socket.socket() as s:
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
token = uuid.uuid4().hex
server = subprocess.Popen([sys.executable, '-m', 'jupyter_server', '--no-browser', '--allow-root', '--ip=127.0.0.1',
    f'--port={port}', '--port-retries=0', f'--ServerApp.token={token}', f'--ServerApp.root_dir={a["cwd"]}'],
    stdout=open(os.path.join(a['logs'], 'server.log'), 'w'), stderr=subprocess.STDOUT)
base = f'http://127.0.0.1:{port}'
auth = {'Authorization': f'token {token}'}

async def call(method, path, body=None):
    req = HTTPRequest(base + path, method=method, headers=auth, body=None if body is None else json.dumps(body), allow_nonstandard_methods=True)
    res = await AsyncHTTPClient().fetch(req, raise_error=True)
    return json.loads(res.body) if res.body else None

async def ready():
    for _ in range(600):
        try:
            await call('GET', '/api/status')
            return
        except Exception:
            await asyncio.sleep(0.1)
    raise RuntimeError('jupyter_server did not start')

async def first_result(name):
    t0 = time.perf_counter()
    kernel = await call('POST', '/api/kernels', {'name': name})
    try:
        ws = await websocket_connect(HTTPRequest(f'ws://127.0.0.1:{port}/api/kernels/{kernel["id"]}/channels?session_id={uuid.uuid4().hex}', headers=auth))
        msg_id = uuid.uuid4().hex
        header = {'msg_id': msg_id, 'msg_type': 'execute_request', 'username': 'bench', 'session': uuid.uuid4().hex, 'date': '', 'version': '5.3'}
        ws.write_message(json.dumps({'header': header, 'parent_header': {}, 'metadata': {}, 'channel': 'shell',
            'content': {'code': '1+1', 'silent': False, 'store_history': True, 'user_expressions': {}, 'allow_stdin': False}}))
        result, deadline = None, time.monotonic() + 120
        while time.monotonic() < deadline:
            raw = await asyncio.wait_for(ws.read_message(), timeout=120)
            if raw is None:
                raise RuntimeError('websocket closed')
            m = json.loads(raw)
            if m.get('parent_header', {}).get('msg_id') != msg_id:
                continue
            if m['msg_type'] == 'execute_result':
                result = m['content']['data'].get('text/plain')
            elif m['msg_type'] == 'status' and m['content']['execution_state'] == 'idle' and result is not None:
                dt = time.perf_counter() - t0
                if result != '2':
                    raise RuntimeError(f'1+1 gave {result!r}')
                ws.close()
                return dt
        raise RuntimeError('no result within 120 s')
    finally:
        await call('DELETE', f'/api/kernels/{kernel["id"]}')

async def main():
    await ready()
    out = {k: {'firsts': [], 'error': None} for k in a['kernels']}
    for _ in range(a['starts']):
        for k in a['kernels']:
            if out[k]['error']:
                continue
            try:
                out[k]['firsts'].append(await first_result(k))
            except Exception as e:
                out[k]['error'] = f'{type(e).__name__}: {e}'
    for o in out.values():
        if o['firsts']:
            o['first'] = statistics.median(o['firsts'])
    return out

try:
    print(json.dumps(asyncio.run(main())), flush=True)
finally:
    server.terminate()
    server.wait(10)
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
  // as `scs kernel install` does: with the startup snapshot built (or found fresh) for this node
  installKernelSpec({ name: 'bench-ours', location: { prefix }, snapshot: true });
  installKernelSpec({ name: 'bench-ours-cold', location: { prefix }, env: { SCS_KERNEL_SNAPSHOT: 'off' } });
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
    { label: 'ours without snapshot', name: 'bench-ours-cold', setup: [], trivial: '1+1', trivial_expect: '2', tb: TS_TB_CELL, tb_expect: '499.5' },
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

/** A private Jupyter setup: kernelspecs, data/runtime/config dirs, the kernels' cwd and their logs. */
function sandbox(root: string): { cases: KernelCase[]; cwd: string; logs: string } {
  const prefix = join(root, 'prefix');
  const cwd = join(root, 'cwd');
  mkdirSync(cwd);
  const cases = writeSpecs(prefix);
  Object.assign(process.env, {
    JUPYTER_PATH: join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: join(root, 'data'), JUPYTER_RUNTIME_DIR: join(root, 'runtime'),
    JUPYTER_CONFIG_DIR: join(root, 'config'), IPYTHONDIR: join(root, 'ipython'), PYDEVD_DISABLE_FILE_VALIDATION: '1',
  });
  const logs = join(root, 'logs');
  mkdirSync(logs);
  return { cases, cwd, logs };
}

/** start → first `1+1` result through jupyter_server, ours (with and without snapshot) against ipykernel. */
export function runViaServer(starts = 5): { rows: BenchRow[]; errors: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-kernel-'));
  try {
    const { cases, cwd, logs } = sandbox(root);
    const labels = ['ours', 'ours without snapshot', 'ipykernel'];
    const names = labels.map((l) => cases.find((k) => k.label === l)!.name);
    const res = runPython(PY_SERVER, [JSON.stringify({ cwd, logs, kernels: names, starts })]) as unknown as Record<string, { first?: number; firsts: number[]; error: string | null }>;
    const ipy = res['bench-ipykernel'];
    const rows: BenchRow[] = labels.slice(0, 2).map((label, i) => ({
      name: `POST /api/kernels to the result of a first cell \`1+1\` over the websocket, ${label} (median of ${starts})`,
      ours: (res[names[i]!]?.first ?? NaN) * 1000, reference: (ipy?.first ?? NaN) * 1000, referenceName: 'ipykernel', unit: 'ms',
      note: label === 'ours' ? `goal ≤ 1.2× ipykernel; all: ${res[names[i]!]?.firsts.map((t) => (t * 1000).toFixed(0)).join(', ')} ms` : '',
    }));
    const errors = names.filter((n) => res[n]?.error).map((n) => `${n}: ${res[n]!.error}`);
    return { rows, errors };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

export function run(starts = 5, cells = 40): { rows: BenchRow[]; errors: string[]; lost: string[] } {
  const root = mkdtempSync(join(tmpdir(), 'scs-bench-kernel-'));
  try {
    const { cases, cwd, logs } = sandbox(root);
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
      ['start', `kernel start to first kernel_info_reply (median of ${starts})`, ''],
      ['first', `kernel start to the result of a first cell \`1+1\` (median of ${starts})`, 'goal ≤ 1.2× ipykernel'],
      ['trivial', `trivial cell \`1+1\` (median of ${cells})`, 'goal ≤ 1.0× ipykernel'],
      ['tb', `toolbox cell: DataArray(1000).mean() (median of ${cells})`, 'ipykernel: the same with xarray'],
    ];
    for (const [key, name, note] of what) {
      for (const label of ['ours', 'ours without snapshot', 'stock tslab']) {
        rows.push({ name: `${name}, ${label}`, ours: ms(res[label]?.[key] as number), reference: ms(ipy?.[key] as number), referenceName: 'ipykernel', unit: 'ms', note: label === 'ours' ? note : '' });
      }
    }
    return { rows, errors, lost };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

function main(): void {
  const via = process.argv.includes('--via') ? process.argv[process.argv.indexOf('--via') + 1] : 'client';
  if (via === 'server') {
    const { rows, errors } = runViaServer(arg('--starts', 5));
    printRows('Jupyter kernel start through jupyter_server (REST + websocket, same run)', rows);
    for (const e of errors) console.error(`kernel failed: ${e}`);
    if (errors.length) process.exitCode = 1;
    return;
  }
  if (via !== 'client') throw new Error(`--via takes client or server, got ${via}`);
  const { rows, errors, lost } = run(arg('--starts', 5), arg('--cells', 40));
  printRows('Jupyter kernel latency (jupyter_client over ZeroMQ, same run)', rows);
  for (const l of lost) console.log(`\n${l}`);
  for (const e of errors) console.error(`kernel failed: ${e}`);
  if (errors.length) process.exitCode = 1;
}

if (require.main === module) main();
