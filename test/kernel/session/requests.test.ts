import assert from 'node:assert/strict';
import type { JupyterMessage } from '../../../kernel/transport/index.js';
import { startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { resultText, run } from './cells.js';

describe('kernel session: other requests', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it('completes toolbox names', async () => {
    const { reply } = await kernel.client.request('shell', 'complete_request', { code: 'tb.getX', cursor_pos: 7 });
    assert.equal(reply.header.msg_type, 'complete_reply');
    assert.equal(reply.content.status, 'ok');
    assert.ok(reply.content.matches.includes('getXgm'), reply.content.matches.join(','));
    assert.equal(reply.content.cursor_start, 3);
    assert.equal(reply.content.cursor_end, 7);
    const types = reply.content.metadata._jupyter_types_experimental as { text: string; start: number; end: number }[];
    assert.ok(types.some((t) => t.text === 'getXgm' && t.start === 3 && t.end === 7));
  });

  it('completes names of earlier cells', async () => {
    await run(kernel.client, 'const photonEnergy = 930;');
    const { reply } = await kernel.client.request('shell', 'complete_request', { code: 'photonE', cursor_pos: 7 });
    assert.deepEqual(reply.content.matches.slice(0, 1), ['photonEnergy']);
  });

  it('inspects a toolbox function with its signature and docs', async () => {
    const { reply } = await kernel.client.request('shell', 'inspect_request', { code: 'tb.getXgm(run)', cursor_pos: 5, detail_level: 0 });
    assert.equal(reply.header.msg_type, 'inspect_reply');
    assert.equal(reply.content.status, 'ok');
    assert.equal(reply.content.found, true);
    assert.match(reply.content.data['text/plain'], /getXgm\(run: (tb\.)?DataCollection, options\?: (tb\.)?GetXgmOptions\): Promise<(tb\.)?Dataset>/);
    assert.match(reply.content.data['text/markdown'], /^```typescript\n.*getXgm[\s\S]*pulse-resolved XGM/);
    const none = await kernel.client.request('shell', 'inspect_request', { code: '   ', cursor_pos: 1, detail_level: 0 });
    assert.equal(none.reply.content.found, false);
  });

  it("inspects the called function when the cursor is in its arguments (the classic Notebook's Shift+Tab after 'f(')", async () => {
    const signature = /getXgm\(run: (tb\.)?DataCollection, options\?: (tb\.)?GetXgmOptions\): Promise<(tb\.)?Dataset>/;
    for (const [code, pos] of [['tb.getXgm(', 10], ['tb.getXgm()', 10], ['tb.getXgm(run, { mnemonics: [] })', 15], ['tb.getXgm', 9]] as const) {
      const { reply } = await kernel.client.request('shell', 'inspect_request', { code, cursor_pos: pos, detail_level: 0 });
      assert.equal(reply.content.found, true, `${code} at ${pos}`);
      assert.match(reply.content.data['text/plain'], signature, `${code} at ${pos}`);
    }
    // the innermost call wins: inside Math.max's arguments it is Math.max, not getXgm
    const inner = await kernel.client.request('shell', 'inspect_request', { code: 'tb.getXgm(Math.max(1, ', cursor_pos: 22, detail_level: 0 });
    assert.match(inner.reply.content.data['text/plain'], /max\(\.\.\.values: number\[\]\): number/);
  });

  it('tells complete, incomplete (with indent) and invalid code apart', async () => {
    const ask = async (code: string) => (await kernel.client.request('shell', 'is_complete_request', { code })).reply;
    const complete = await ask('const a = 1;');
    assert.equal(complete.header.msg_type, 'is_complete_reply');
    assert.deepEqual(complete.content, { status: 'complete' });
    assert.deepEqual((await ask('function f() {')).content, { status: 'incomplete', indent: '  ' });
    assert.deepEqual((await ask('let = = 3;')).content, { status: 'invalid' });
  });

  it('answers is_complete as the TypeScript parser sees the code', async () => {
    const ask = async (code: string) => (await kernel.client.request('shell', 'is_complete_request', { code })).reply.content;
    const cases: [string, Record<string, unknown>][] = [
      ['console.log(`hello`)', { status: 'complete' }],
      ['', { status: 'complete' }],
      ['// only a comment', { status: 'complete' }],
      ['const r = /[(]/; r.test("(")', { status: 'complete' }],
      // unterminated literals: no indent (it would become part of the text)
      ['console.log(`hello', { status: 'incomplete', indent: '' }],
      ["const s = 'abc", { status: 'incomplete', indent: '' }],
      ['/* a comment', { status: 'incomplete', indent: '' }],
      // open brackets: the indent of the line that opened the innermost one, plus two spaces
      ['function f(x: number) {', { status: 'incomplete', indent: '  ' }],
      ['function f() {\n  if (x) {', { status: 'incomplete', indent: '    ' }],
      ['const xs = [1, 2,', { status: 'incomplete', indent: '  ' }],
      ['const t = `a ${1 +', { status: 'incomplete', indent: '  ' }],
      ['const t = `a ${ {a: 1}.a } {(` + f(', { status: 'incomplete', indent: '  ' }],
      // an operand still to come: the indent of the last line
      ['  const y = 1 +', { status: 'incomplete', indent: '  ' }],
      ['let x = )', { status: 'invalid' }],
      ['})', { status: 'invalid' }],
      ["const s = 'abc\nx", { status: 'invalid' }],
      ['let x = ) + (', { status: 'invalid' }],
    ];
    for (const [code, expected] of cases) assert.deepEqual(await ask(code), expected, JSON.stringify(code));
  });

  it('answers history tail, range and search', async () => {
    const a = await run(kernel.client, '"hist-a"');
    await run(kernel.client, 'const histB = 2;');
    const c = await run(kernel.client, '"hist-c"');
    const first = a.reply.content.execution_count as number;
    const last = c.reply.content.execution_count as number;
    const history = async (content: Record<string, unknown>) => {
      const { reply } = await kernel.client.request('shell', 'history_request', { raw: true, output: false, ...content });
      assert.equal(reply.header.msg_type, 'history_reply');
      assert.equal(reply.content.status, 'ok');
      return reply.content.history as unknown[];
    };
    assert.deepEqual(await history({ hist_access_type: 'tail', n: 2 }), [[1, last - 1, 'const histB = 2;'], [1, last, '"hist-c"']]);
    assert.deepEqual(await history({ hist_access_type: 'range', session: 0, start: first, stop: first + 2 }), [[1, first, '"hist-a"'], [1, first + 1, 'const histB = 2;']]);
    assert.deepEqual(await history({ hist_access_type: 'search', pattern: '"hist-*"', n: 10, output: true }), [[1, first, ['"hist-a"', 'hist-a']], [1, last, ['"hist-c"', 'hist-c']]]);
  });

  it('answers comm_info with no comms and closes comms it is asked to open', async () => {
    const { reply } = await kernel.client.request('shell', 'comm_info_request', { target_name: 'jupyter.widget' });
    assert.equal(reply.header.msg_type, 'comm_info_reply');
    assert.deepEqual(reply.content, { status: 'ok', comms: {} });
    const closed = new Promise<JupyterMessage>((resolve) => kernel.client.onIopub((m) => {
      if (m.header.msg_type === 'comm_close') resolve(m);
    }));
    void kernel.client.request('shell', 'comm_open', { comm_id: 'c0ffee', target_name: 'jupyter.widget', data: {} }, { timeoutMs: 5000 }).catch(() => undefined);
    assert.deepEqual((await closed).content, { comm_id: 'c0ffee', data: {} });
    assert.equal(resultText(await run(kernel.client, '"still fine"')), 'still fine');
  });

  it('reads input from the frontend when stdin is allowed', async () => {
    const prompts: string[] = [];
    kernel.client.onStdin((request) => {
      prompts.push(`${request.content.prompt}|${request.content.password}`);
      return 'Ada';
    });
    const cell = await run(kernel.client, 'const who: string = input("name? ");\n`hello ${who}`', { allow_stdin: true });
    assert.equal(resultText(cell), 'hello Ada');
    assert.deepEqual(prompts, ['name? |false']);
    const denied = await run(kernel.client, 'input("name? ")', { allow_stdin: false });
    assert.equal(denied.reply.content.ename, 'KernelInputError');
    assert.match(denied.reply.content.evalue, /allow_stdin is false/);
  });

  it('sends display_data and update_display_data for tb.display and its handle', async () => {
    const cell = await run(kernel.client, 'const handle = await tb.display(new tb.DataArray(new Float64Array([1]), { dims: ["x"], shape: [1] }));\nawait handle.update("second");');
    assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
    const [shown] = cell.of('display_data');
    const [updated] = cell.of('update_display_data');
    assert.match(shown!.content.data['text/html'], /DataArray/);
    const id = shown!.content.transient.display_id;
    assert.ok(typeof id === 'string' && id.length > 0);
    assert.deepEqual(updated!.content.transient, { display_id: id });
    assert.equal(updated!.content.data['text/plain'], 'second');
  });

  it('shows toolbox progress as an updating display that keeps its final state', async () => {
    const cell = await run(kernel.client, 'const p = tb.startProgress("reading trains", { total: 3, unit: "trains", intervalMs: 0 });\np.tick(); p.tick(); p.tick(); p.finish();');
    const shown = cell.outputs.filter((m) => m.header.msg_type === 'display_data' || m.header.msg_type === 'update_display_data');
    assert.ok(shown.length >= 2);
    assert.equal(shown[0]!.header.msg_type, 'display_data');
    const ids = new Set(shown.map((m) => m.content.transient.display_id));
    assert.equal(ids.size, 1);
    const final = shown.at(-1)!;
    assert.equal(final.header.msg_type, 'update_display_data');
    assert.match(final.content.data['text/plain'], /reading trains/);
    assert.match(final.content.data['text/plain'], /3\/3/);
    assert.match(final.content.data['text/html'], /<progress value="3" max="3"/);
  });
});
