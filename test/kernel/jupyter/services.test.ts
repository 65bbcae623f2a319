/**
 * The kernel as JupyterLab sees it: a real Debian jupyter-server (token auth,
 * 127.0.0.1) started with our kernelspec, driven through @jupyterlab/services
 * over the server's REST API and websocket.
 */
import assert from 'node:assert/strict';
import type { Kernel, KernelMessage, Session } from '@jupyterlab/services';
import {
  type JupyterSandbox, type JupyterServer, installTestKernel, makeSandbox, openManagers, requireJupyter, startJupyterServer,
} from '../../helpers/jupyter.js';

const ANSI = /\u001b\[[0-9;]*m/g;

type CompleteReply = { status: string; matches: string[]; cursor_start: number; cursor_end: number };

interface Executed {
  reply: KernelMessage.IExecuteReplyMsg['content'];
  iopub: KernelMessage.IIOPubMessage[];
}

/** Runs a cell; resolves once the reply and the idle status have both arrived (future.done). */
async function execute(kernel: Kernel.IKernelConnection, code: string, onIOPub?: (msg: KernelMessage.IIOPubMessage) => void): Promise<Executed> {
  const future = kernel.requestExecute({ code, stop_on_error: false });
  const iopub: KernelMessage.IIOPubMessage[] = [];
  future.onIOPub = (msg) => {
    iopub.push(msg);
    onIOPub?.(msg);
  };
  const reply = await future.done;
  return { reply: reply.content, iopub };
}

function ofType<T extends KernelMessage.IOPubMessageType>(iopub: KernelMessage.IIOPubMessage[], type: T): KernelMessage.IIOPubMessage<T>[] {
  return iopub.filter((m) => m.header.msg_type === type) as KernelMessage.IIOPubMessage<T>[];
}

function textPlain(r: Executed): string {
  const results = ofType(r.iopub, 'execute_result');
  assert.equal(results.length, 1, `one execute_result expected, got ${JSON.stringify(r.iopub.map((m) => m.header.msg_type))}`);
  return String((results[0].content as KernelMessage.IExecuteResultMsg['content']).data['text/plain']);
}

describe('kernel via jupyter-server and @jupyterlab/services', function () {
  let sb: JupyterSandbox;
  let server: JupyterServer;
  let managers: Awaited<ReturnType<typeof openManagers>> | undefined;
  let session: Session.ISessionConnection;
  let kernel: Kernel.IKernelConnection;
  const debug = console.debug;

  before(async function () {
    await requireJupyter(this);
    // the library logs every websocket it opens
    console.debug = () => undefined;
    sb = makeSandbox();
    const name = installTestKernel(sb);
    server = await startJupyterServer(sb);
    managers = await openManagers(server);
    session = await managers.sessions.startNew({ name: 'services', path: 'services.ipynb', type: 'notebook', kernel: { name } });
    kernel = session.kernel!;
    await kernel.info;
  });

  after(async () => {
    try {
      await session?.shutdown();
    } finally {
      managers?.dispose();
      await server?.stop();
      sb?.cleanup();
      console.debug = debug;
    }
  });

  it('starts from our kernelspec and answers kernel_info for TypeScript', async () => {
    const info = await kernel.info;
    assert.equal(info.status, 'ok');
    assert.equal(info.language_info.name, 'typescript');
    assert.equal(info.language_info.file_extension, '.ts');
    assert.equal(info.language_info.mimetype, 'text/typescript');
    assert.match(info.protocol_version, /^5\.\d+$/);
  });

  it('executes a cell and returns the last expression as execute_result', async () => {
    const r = await execute(kernel, 'const answer: number = 6 * 7;\nanswer');
    assert.equal(r.reply.status, 'ok');
    assert.equal(textPlain(r), '42');
    const result = ofType(r.iopub, 'execute_result')[0].content as KernelMessage.IExecuteResultMsg['content'];
    assert.equal(result.execution_count, r.reply.execution_count);
    assert.deepEqual(ofType(r.iopub, 'status').map((m) => (m.content as KernelMessage.IStatusMsg['content']).execution_state), ['busy', 'idle']);
  });

  it('streams console output in order', async () => {
    const r = await execute(kernel, 'for (let i = 0; i < 5; i++) console.log(`line ${i}`);\nconsole.error("to stderr");');
    assert.equal(r.reply.status, 'ok');
    const streams = ofType(r.iopub, 'stream').map((m) => m.content as KernelMessage.IStreamMsg['content']);
    assert.equal(streams.filter((s) => s.name === 'stdout').map((s) => s.text).join(''), 'line 0\nline 1\nline 2\nline 3\nline 4\n');
    assert.equal(streams.filter((s) => s.name === 'stderr').map((s) => s.text).join(''), 'to stderr\n');
  });

  it('has the toolbox preloaded as tb, with types', async () => {
    let r = await execute(kernel, 'const da = new tb.DataArray(new Float64Array([1, 2, 3, 4]), { dims: ["x"], shape: [4] });\nda.mean().item()');
    assert.equal(r.reply.status, 'ok');
    assert.equal(textPlain(r), '2.5');
    // were tb untyped (any), this would compile
    r = await execute(kernel, 'const wrong: number = da.dims;');
    assert.equal(r.reply.status, 'error');
    assert.match(JSON.stringify(ofType(r.iopub, 'error')[0]?.content), /is not assignable to type 'number'/);
  });

  it('has Node globals and types in a notebook folder without node_modules, and top-level await', async () => {
    let r = await execute(kernel, 'const nodeVersion: string = process.version;\nnodeVersion.startsWith("v")');
    assert.equal(r.reply.status, 'ok', JSON.stringify(r.reply));
    assert.equal(textPlain(r), 'true');
    r = await execute(kernel, 'await new Promise<number>((resolve) => setTimeout(() => resolve(7), 10))');
    assert.equal(textPlain(r), '7');
  });

  it('reports a runtime error with ename, evalue and a traceback pointing at the cell line', async () => {
    const r = await execute(kernel, 'const pulses = 3;\nthrow new RangeError(`bad pulse count ${pulses}`);\n');
    assert.equal(r.reply.status, 'error');
    const reply = r.reply as KernelMessage.IReplyErrorContent;
    assert.equal(reply.ename, 'RangeError');
    assert.equal(reply.evalue, 'bad pulse count 3');
    const errors = ofType(r.iopub, 'error').map((m) => m.content as KernelMessage.IErrorMsg['content']);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].ename, 'RangeError');
    assert.equal(errors[0].evalue, 'bad pulse count 3');
    const tb = errors[0].traceback.join('\n').replace(ANSI, '');
    assert.match(tb, /RangeError: bad pulse count 3/);
    assert.match(tb, /(line 2\b|:2:\d+)/, `traceback does not point at line 2:\n${tb}`);
    // the kernel goes on: a following cell runs (tslab aborted replies within 200 ms of an error)
    assert.equal(textPlain(await execute(kernel, '3 + 1')), '4');
  });

  it('reports a type error as an error naming the types', async () => {
    const r = await execute(kernel, 'const n: number = "three";');
    assert.equal(r.reply.status, 'error');
    const errors = ofType(r.iopub, 'error').map((m) => m.content as KernelMessage.IErrorMsg['content']);
    assert.equal(errors.length, 1);
    assert.match(errors[0].evalue + errors[0].traceback.join('\n'), /Type 'string' is not assignable to type 'number'/);
  });

  it('displays a tb.plot.line as vega-lite with a static SVG fallback', async function () {
    const r = await execute(kernel, 'tb.plot.line([1, 4, 9, 16], { x: [1, 2, 3, 4], title: "squares" })');
    assert.equal(r.reply.status, 'ok', JSON.stringify(r.reply));
    const outputs = [...ofType(r.iopub, 'execute_result'), ...ofType(r.iopub, 'display_data')]
      .map((m) => (m.content as KernelMessage.IDisplayDataMsg['content']).data);
    const plot = outputs.find((d) => d['application/vnd.vegalite.v5+json']);
    assert.ok(plot, `no vega-lite output in ${JSON.stringify(outputs).slice(0, 500)}`);
    const spec = plot['application/vnd.vegalite.v5+json'] as { $schema: string; title?: string; data?: { values?: unknown[] } };
    assert.match(spec.$schema, /vega-lite\/v5/);
    assert.equal(spec.title, 'squares');
    assert.match(Buffer.from(String(plot['image/png']), 'base64').subarray(1, 4).toString(), /^PNG$/);
    assert.match(String(plot['text/plain']), /Plot/);
  });

  it('completes members, including the preloaded tb', async () => {
    await execute(kernel, 'const greeting = "hello";');
    let code = 'greeting.toU';
    let reply = (await kernel.requestComplete({ code, cursor_pos: code.length })).content as CompleteReply;
    assert.equal(reply.status, 'ok');
    assert.ok(reply.matches.includes('toUpperCase'), reply.matches.join(','));
    assert.equal(reply.cursor_start, 'greeting.'.length);
    assert.equal(reply.cursor_end, code.length);
    code = 'tb.DataA';
    reply = (await kernel.requestComplete({ code, cursor_pos: code.length })).content as CompleteReply;
    assert.ok(reply.matches.includes('DataArray'), reply.matches.join(','));
  });

  it('inspects a name and shows its type', async () => {
    const reply = (await kernel.requestInspect({ code: 'greeting', cursor_pos: 3, detail_level: 0 })).content as KernelMessage.IInspectReply;
    assert.equal(reply.status, 'ok');
    assert.equal(reply.found, true);
    assert.match(String(reply.data['text/plain']), /const greeting: ("hello"|string)/);
  });

  it('tells complete from incomplete code', async () => {
    const incomplete = (await kernel.requestIsComplete({ code: 'for (let i = 0; i < 3; i++) {' })).content as KernelMessage.IIsCompleteReplyMsg['content'];
    assert.equal(incomplete.status, 'incomplete');
    const complete = (await kernel.requestIsComplete({ code: 'const z = 1;' })).content as KernelMessage.IIsCompleteReplyMsg['content'];
    assert.equal(complete.status, 'complete');
  });

  it('interrupts a synchronous infinite loop and answers afterwards', async () => {
    let started!: () => void;
    const looping = new Promise<void>((resolve) => { started = resolve; });
    const done = execute(kernel, 'console.log("looping");\nwhile (true) {}', (msg) => {
      if (msg.header.msg_type === 'stream') started();
    });
    // interrupt once the loop runs; if the kernel holds stdout until the cell ends, interrupt anyway after a while
    await Promise.race([looping, new Promise((r) => setTimeout(r, 3000))]);
    await kernel.interrupt();
    const r = await done;
    assert.equal(r.reply.status, 'error');
    assert.equal(ofType(r.iopub, 'error').length, 1);
    // what the cell printed before it blocked is not lost
    const stdout = ofType(r.iopub, 'stream').map((m) => (m.content as KernelMessage.IStreamMsg['content']).text).join('');
    assert.equal(stdout, 'looping\n');
    assert.match(textPlain(await execute(kernel, '"still alive"')), /^'?still alive'?$/);
  });

  it('restarts with a fresh state and tb preloaded again', async () => {
    await execute(kernel, '(globalThis as any).beforeRestart = 1;');
    // A restart drops the websocket and @jupyterlab/services warns of it on the console, as JupyterLab expects it to.
    const warn = console.warn;
    console.warn = (...args: unknown[]) => { if (!/^Connection lost, reconnecting/.test(String(args[0]))) warn(...args); };
    try {
      await kernel.restart();
      await kernel.info;
    } finally {
      console.warn = warn;
    }
    const r = await execute(kernel, 'typeof (globalThis as any).beforeRestart + " " + typeof tb.DataArray');
    assert.equal(r.reply.status, 'ok');
    assert.match(textPlain(r), /^'?undefined function'?$/);
  });
});
