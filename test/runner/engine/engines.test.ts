/**
 * Both execution engines against Debian's ipykernel: `local` launching it from a kernelspec in a
 * temporary JUPYTER_PATH, `server` through a Debian jupyter-server started here.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CellTimeoutError, DeadKernelError, KernelStartTimeoutError, NoSuchKernelError, RunnerError } from '../../../runner/errors.js';
import { engineByName } from '../../../runner/engine/index.js';
import type { ExecuteOptions, IopubMessage, KernelSession, StartOptions } from '../../../runner/engine/types.js';
import { addTestKernels, makeSandbox, requirePythonJupyter, startServer, type Sandbox, type Server } from './peers.js';

const ANSI = /\u001b\[[0-9;]*m/g;

async function run(session: KernelSession, code: string, options: Partial<ExecuteOptions> = {}) {
  const iopub: IopubMessage[] = [];
  const result = await session.execute(code, { ...options, onIopub: (m) => { iopub.push(m); options.onIopub?.(m); } });
  return { ...result, iopub, types: iopub.map((m) => m.header.msg_type) };
}

function stdout(iopub: IopubMessage[]): string {
  return iopub.filter((m) => m.header.msg_type === 'stream' && m.content.name === 'stdout').map((m) => m.content.text).join('');
}

function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

for (const engineName of ['local', 'server'] as const) {
  describe(`runner engine '${engineName}' with Debian's ipykernel`, function () {
    let sb: Sandbox;
    let server: Server | undefined;
    let cwd: string;
    let session: KernelSession | undefined;
    const engine = engineByName(engineName);
    const options = (kernelName: string, extra: Partial<StartOptions> = {}): StartOptions => ({
      // a server starts kernels with its own environment (given to it below), so env is the local engine's only
      kernelName, cwd, startTimeout: 60, env: engineName === 'local' ? { ...sb.env, ENGINE_TEST_NAME: engineName } : undefined,
      serverUrl: server?.baseUrl, token: server?.token, ...extra,
    });

    /** ids of the kernels running on the test's server (none for the local engine) */
    async function serverKernelIds(): Promise<string[]> {
      if (!server) return [];
      const response = await fetch(`${server.baseUrl}api/kernels`, { headers: { Authorization: `token ${server.token}` } });
      return ((await response.json()) as { id: string }[]).map((k) => k.id).sort();
    }

    before(async function () {
      await requirePythonJupyter(this);
      sb = makeSandbox();
      addTestKernels(sb);
      cwd = join(sb.root, 'notebooks', 'run 179');
      mkdirSync(cwd, { recursive: true });
      if (engineName === 'server') server = await startServer(sb, { ENGINE_TEST_NAME: 'server' });
      session = await engine.start(options('py-signal'));
    });

    after(async function () {
      await session?.shutdown();
      await server?.stop();
      sb?.cleanup();
    });

    it('reports kernel_info with language_info', function () {
      assert.equal(session!.kernelName, 'py-signal');
      assert.equal(session!.info.language_info.name, 'python');
      assert.equal(session!.info.language_info.file_extension, '.py');
      assert.equal(session!.info.implementation, 'ipython');
    });

    it('passes every iopub message of a cell in order, from busy to idle', async function () {
      const r = await run(session!, [
        'import sys',
        "print('one'); sys.stdout.flush()",
        "print('two', file=sys.stderr); sys.stderr.flush()",
        'from IPython.display import display',
        "display({'text/plain': 'three'}, raw=True)",
        "'four'",
      ].join('\n'));
      assert.deepEqual(r.types, ['status', 'execute_input', 'stream', 'stream', 'display_data', 'execute_result', 'status']);
      assert.equal(r.iopub[0].content.execution_state, 'busy');
      assert.deepEqual([r.iopub[2].content.name, r.iopub[2].content.text], ['stdout', 'one\n']);
      assert.deepEqual([r.iopub[3].content.name, r.iopub[3].content.text], ['stderr', 'two\n']);
      assert.equal(r.iopub[4].content.data?.['text/plain'], 'three');
      assert.equal(r.iopub[5].content.data?.['text/plain'], "'four'");
      assert.equal(r.iopub[6].content.execution_state, 'idle');
      assert.equal(r.reply.status, 'ok');
      assert.equal(r.reply.execution_count, r.iopub[5].content.execution_count);
      for (const key of ['busy', 'executeInput', 'reply', 'idle'] as const) assert.ok(!Number.isNaN(Date.parse(r.timings[key]!)), `timings.${key}: ${r.timings[key]}`);
    });

    it('returns the error reply with ename, evalue and traceback', async function () {
      // stopOnError false, or ipykernel 6.17 may abort the next test's cell (see the aborted test)
      const r = await run(session!, "def f():\n    raise ValueError('bad value 42')\nf()", { stopOnError: false });
      assert.equal(r.reply.status, 'error');
      assert.equal(r.reply.ename, 'ValueError');
      assert.equal(r.reply.evalue, 'bad value 42');
      assert.ok(typeof r.reply.execution_count === 'number');
      const tb = r.reply.traceback!.join('\n').replace(ANSI, '');
      assert.match(tb, /raise ValueError\('bad value 42'\)/);
      const errors = r.iopub.filter((m) => m.header.msg_type === 'error');
      assert.equal(errors.length, 1);
      assert.equal(errors[0].content.ename, 'ValueError');
      assert.equal(r.types.at(-1), 'status');
    });

    it('runs the kernel in cwd with the merged environment and the kernelspec env expanded', async function () {
      const r = await run(session!, "import os\nprint(os.getcwd())\nprint(os.environ.get('GREETING'))\nprint(os.environ.get('JUPYTER_DATA_DIR'))");
      assert.deepEqual(stdout(r.iopub).split('\n').slice(0, 3), [cwd, `hello ${engineName}`, sb.env.JUPYTER_DATA_DIR]);
    });

    it('interrupts a cell on timeout, fails it with CellTimeoutError, and the kernel stays usable', async function () {
      const iopub: IopubMessage[] = [];
      // stopOnError false: ipykernel aborts requests arriving just after an error reply when it is set
      await assert.rejects(session!.execute('import time\ntime.sleep(60)', { timeout: 1, stopOnError: false, onIopub: (m) => iopub.push(m) }), (err: Error) => {
        assert.ok(err instanceof CellTimeoutError, String(err));
        assert.equal(err.seconds, 1);
        assert.match(err.message, /timed out after 1 s; the kernel was interrupted$/);
        return true;
      });
      const interrupt = iopub.find((m) => m.header.msg_type === 'error');
      assert.equal(interrupt?.content.ename, 'KeyboardInterrupt');
      const after = await run(session!, '21 * 2');
      assert.equal(after.reply.status, 'ok');
      assert.equal(after.iopub.find((m) => m.header.msg_type === 'execute_result')?.content.data?.['text/plain'], '42');
    });

    it('runs 500 cells back to back, each ending with its idle status', async function () {
      for (let i = 0; i < 500; i++) {
        const r = await run(session!, `print(${i})`);
        assert.equal(r.reply.status, 'ok');
        assert.equal(stdout(r.iopub), `${i}\n`);
        assert.equal(r.types.at(-1), 'status', `cell ${i}: ${r.types.join(', ')}`);
        assert.equal(r.iopub.at(-1)!.content.execution_state, 'idle');
        assert.ok(r.timings.idle, `cell ${i} has no idle timing`);
      }
    });

    it('passes on the aborted reply of a cell queued behind a failing one (stopOnError)', async function () {
      // own kernel: after an error with stop_on_error, ipykernel 6.17 also aborts a request that arrives right after the reply
      const s = await engine.start(options('py-signal'));
      try {
        const failing = run(s, "import time\ntime.sleep(0.5)\nraise RuntimeError('stop here')", { stopOnError: true });
        const queued = run(s, "print('never')");
        assert.equal((await failing).reply.status, 'error');
        const r = await queued;
        assert.equal(r.reply.status, 'aborted');
        assert.equal(r.reply.execution_count, null);
        assert.equal(stdout(r.iopub), '');
      } finally {
        await s.shutdown();
      }
    });

    it('interrupts a message-mode kernel with interrupt_request', async function () {
      const s = await engine.start(options('py-message'));
      try {
        await assert.rejects(s.execute('import time\ntime.sleep(60)', { timeout: 1, stopOnError: false, onIopub: () => undefined }), CellTimeoutError);
        const after = await run(s, 'print("still here")');
        assert.equal(stdout(after.iopub), 'still here\n');
      } finally {
        await s.shutdown();
      }
    });

    it('rejects a cell with DeadKernelError (exit code 138) when the kernel is killed mid-cell', async function () {
      const before = await serverKernelIds();
      const s = await engine.start(options('py-signal'));
      let pid = 0;
      try {
        const cell = s.execute('import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(60)', {
          onIopub: (m) => {
            if (m.header.msg_type === 'stream' && !pid) {
              pid = Number(String(m.content.text).trim());
              process.kill(pid, 'SIGKILL');
            }
          },
        });
        await assert.rejects(cell, (err: Error) => {
          assert.ok(err instanceof DeadKernelError, String(err));
          assert.equal(err.exitCode, 138);
          assert.match(err.message, /kernel 'py-signal' .*died/);
          if (engineName === 'local') assert.match(err.message, /killed by SIGKILL/);
          return true;
        });
        assert.ok(pid > 0);
        assert.ok((await s.died) instanceof DeadKernelError);
        await assert.rejects(s.execute('1', { onIopub: () => undefined }), DeadKernelError);
      } finally {
        await s.shutdown();
      }
      // the server restarts a killed kernel; shutdown() must not leave that one behind
      assert.deepEqual(await serverKernelIds(), before);
    });

    it('stops the kernel process on shutdown', async function () {
      const s = await engine.start(options('py-signal'));
      const pid = Number(stdout((await run(s, 'import os; print(os.getpid())')).iopub));
      assert.ok(pid > 0 && !processGone(pid));
      await s.shutdown();
      assert.ok(processGone(pid), `kernel pid ${pid} still exists after shutdown`);
      await assert.rejects(s.execute('1', { onIopub: () => undefined }), RunnerError);
    });

    it('fails with KernelStartTimeoutError when the kernel never answers', async function () {
      await assert.rejects(engine.start(options('sleeper', { startTimeout: 2 })), (err: Error) => {
        assert.ok(err instanceof KernelStartTimeoutError, String(err));
        assert.match(err.message, /^kernel 'sleeper' did not start within 2 s/);
        return true;
      });
    });

    it('names the available kernels when the kernel name is unknown', async function () {
      await assert.rejects(engine.start(options('no-such-kernel')), (err: Error) => {
        assert.ok(err instanceof NoSuchKernelError, String(err));
        for (const name of ['crasher', 'py-message', 'py-signal', 'sleeper']) assert.ok(err.available.includes(name), `${name} not in ${err.available}`);
        assert.match(err.message, /no such kernel 'no-such-kernel'; available kernels: .*py-signal/);
        return true;
      });
    });

    if (engineName === 'local') {
      it('forwards what the kernel process writes to its own stdout/stderr when asked', async function () {
        const forwarded: string[] = [];
        const s = await engineByName('local', { forwardKernelOutput: (stream, chunk) => forwarded.push(`${stream}:${chunk}`) }).start(options('py-signal'));
        try {
          // print() goes to iopub; a write to the process's own stderr through sys.__stderr__ does not
          // (ipykernel's connection banner is not printed: JPY_PARENT_PID says a client started it)
          assert.equal(stdout((await run(s, "import sys\nsys.__stderr__.write('own stderr\\n'); sys.__stderr__.flush()\nprint('via iopub')")).iopub), 'via iopub\n');
          assert.ok(forwarded.every((f) => f.startsWith('stdout:') || f.startsWith('stderr:')));
          const text = forwarded.map((f) => f.slice(7)).join('');
          assert.match(forwarded.filter((f) => f.startsWith('stderr:')).map((f) => f.slice(7)).join(''), /^own stderr$/m);
          assert.ok(!text.includes('via iopub'));
        } finally {
          await s.shutdown();
        }
      });
    }

    it('takes the execute_reply as final when the idle status never comes, after a grace and a warning', async function () {
      const s = await engine.start(options('idle-loser'));
      const warnings: string[] = [];
      const onWarning = (w: Error) => warnings.push(w.message);
      process.on('warning', onWarning);
      try {
        assert.equal(s.info.implementation, 'idle-losing');
        const lost = await run(s, 'lose-idle here');
        assert.deepEqual(lost.types, ['status', 'stream']);
        assert.deepEqual(lost.reply, { status: 'ok', execution_count: 1, user_expressions: {}, payload: [] });
        assert.equal(lost.timings.idle, undefined);
        const kept = await run(s, 'fine');
        assert.deepEqual(kept.types, ['status', 'stream', 'status']);
        assert.equal(kept.reply.execution_count, 2);
        assert.deepEqual(warnings.filter((w) => w.includes('idle')), [
          "kernel 'idle-loser' sent no idle status within 3 s of its execute_reply; later output of this cell may be missing",
        ]);
      } finally {
        process.off('warning', onWarning);
        await s.shutdown();
      }
    });

    if (engineName === 'local') {
      it('names the kernelspec and the missing program or folder when the kernel cannot be spawned', async function () {
        sb.addKernel('missing-program', { argv: ['/nonexistent/bin/kernel', '{connection_file}'], display_name: 'x', language: 'python' });
        await assert.rejects(engine.start(options('missing-program')),
          /^RunnerError: cannot start kernel 'missing-program' \(\S+\/kernels\/missing-program\/kernel\.json\): \/nonexistent\/bin\/kernel \(or the cwd .*\) does not exist$/);
        await assert.rejects(engine.start(options('py-signal', { cwd: join(sb.root, 'no such folder') })), /does not exist$/);
      });
    }

    it('reports a kernel that exits during startup as dead (locally with its exit code and stderr)', async function () {
      await assert.rejects(engine.start(options('crasher')), (err: Error) => {
        assert.ok(err instanceof DeadKernelError, String(err));
        assert.match(err.message, /kernel 'crasher' .*died before it was ready/);
        if (engineName === 'local') assert.match(err.message, /: exit code 3\n[^]*crasher: no luck today/);
        return true;
      });
    });

    if (engineName === 'server') {
      it('takes the server URL and token from JUPYTER_SERVER_URL and JUPYTER_TOKEN', async function () {
        const saved = { url: process.env.JUPYTER_SERVER_URL, token: process.env.JUPYTER_TOKEN };
        process.env.JUPYTER_SERVER_URL = server!.baseUrl;
        process.env.JUPYTER_TOKEN = server!.token;
        try {
          const s = await engine.start(options('py-signal', { serverUrl: undefined, token: undefined }));
          try {
            assert.equal(stdout((await run(s, 'print(6 * 7)')).iopub), '42\n');
          } finally {
            await s.shutdown();
          }
        } finally {
          for (const [key, value] of [['JUPYTER_SERVER_URL', saved.url], ['JUPYTER_TOKEN', saved.token]] as const) {
            if (value === undefined) delete process.env[key];
            else process.env[key] = value;
          }
        }
      });

      it('warns that it cannot set the kernel environment', async function () {
        const warnings: string[] = [];
        const onWarning = (w: Error) => warnings.push(w.message);
        process.on('warning', onWarning);
        try {
          const s = await engine.start(options('py-signal', { env: { SCS_RUN_ID: '179' } }));
          await s.shutdown();
          await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
        } finally {
          process.off('warning', onWarning);
        }
        assert.deepEqual(warnings.filter((w) => w.includes('environment')),
          ["the server engine cannot set the kernel's environment (a Jupyter server starts kernels with its own); ignoring SCS_RUN_ID"]);
      });

      it('says so when the token is wrong', async function () {
        await assert.rejects(engine.start(options('py-signal', { token: 'wrong' })),
          /^RunnerError: cannot list the kernelspecs of the Jupyter server http:\/\/127\.0\.0\.1:\d+\/ \(wrong URL or token\?\)/);
      });
    }
  });
}
