/**
 * A cell that throws keeps the names it assigned before the throw, as Python
 * keeps assignments made before an exception; names it did not reach keep
 * their previous value and type, or stay undefined.
 */
import assert from 'node:assert/strict';
import { startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { resultText, run } from './cells.js';

describe('kernel session: declarations of a cell that fails at run time', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  const ok = async (code: string): Promise<string | undefined> => {
    const cell = await run(kernel.client, code);
    assert.equal(cell.reply.content.status, 'ok', `${code}: ${cell.reply.content.ename}: ${cell.reply.content.evalue}`);
    return resultText(cell);
  };
  const fails = async (code: string): Promise<string> => {
    const cell = await run(kernel.client, code);
    assert.equal(cell.reply.content.status, 'error', code);
    return `${cell.reply.content.ename}: ${cell.reply.content.evalue}`;
  };

  it('keeps a declaration made before the throw, with its type', async () => {
    assert.equal(await fails("const a = 1; throw new Error('x')"), 'Error: x');
    assert.equal(await ok('a + 1'), '2');
    // typed as number: a string method is a type error
    assert.match(await fails('a.toUpperCase()'), /^TSError: Property 'toUpperCase' does not exist on type '1'/);
  });

  it('keeps functions and classes declared before the throw, and values of every kind of declaration', async () => {
    await fails("function tenTimes(v: number) { return v * 10; } class Box { v = 7; } let [p, q] = [3, 4]; const { r } = { r: 'r' }; throw new Error('y');");
    assert.equal(await ok('[tenTimes(p), new Box().v, q, r]'), "[ 30, 7, 4, 'r' ]");
  });

  it('leaves a name declared after the throw unbound when it was new', async () => {
    await fails("const before1 = 1; throw new Error('z'); const after1 = 2; function after2() {}");
    assert.equal(await fails('after1'), "TSError: Cannot find name 'after1'.");
    assert.equal(await fails('after2'), "TSError: Cannot find name 'after2'.");
    assert.equal(await ok('before1'), '1');
  });

  it('keeps the previous value and type of a name the cell redeclares after the throw', async () => {
    await ok("const label: string = 'old';");
    await fails("const count = 5; throw new Error('w'); const label = 42;");
    assert.equal(await ok('[typeof label, label.toUpperCase(), count]'), "[ 'string', 'OLD', 5 ]");
  });

  it('keeps the committed names through a later compile error, in completion and inspection too', async () => {
    await fails("const photonEnergyEv = 930; throw new Error('v')");
    assert.match(await fails('const broken: number = "x";'), /^TSError: Type 'string' is not assignable to type 'number'/);
    assert.equal(await ok('photonEnergyEv'), '930');
    const { reply } = await kernel.client.request('shell', 'complete_request', { code: 'photonEnergyE', cursor_pos: 13 });
    assert.deepEqual(reply.content.matches, ['photonEnergyEv']);
    const inspected = await kernel.client.request('shell', 'inspect_request', { code: 'photonEnergyEv', cursor_pos: 3, detail_level: 0 });
    assert.match(inspected.reply.content.data['text/plain'], /const photonEnergyEv: 930/);
  });

  it('keeps names assigned before an awaited rejection', async () => {
    await fails("const fetched = [1, 2]; await Promise.reject(new Error('offline')); const notReached = 1;");
    assert.equal(await ok('fetched.length'), '2');
    assert.equal(await fails('notReached'), "TSError: Cannot find name 'notReached'.");
  });

  it('goes on normally after the next successful cell', async () => {
    await fails("const s1 = 's1'; throw new Error('u')");
    await ok('const s2 = s1 + "s2";');
    assert.equal(await ok('[s1, s2]'), "[ 's1', 's1s2' ]");
  });
});

describe('kernel session: clear_output', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it('tb.clearOutput() sends clear_output on iopub with wait, after the output before it', async () => {
    const cell = await run(kernel.client, 'console.log("first"); tb.clearOutput(); console.log("second"); tb.clearOutput({ wait: true });');
    assert.equal(cell.reply.content.status, 'ok');
    const seen = cell.outputs.map((m) => (m.header.msg_type === 'stream' ? `stream:${m.content.text}` : `${m.header.msg_type}:${JSON.stringify(m.content)}`));
    assert.deepEqual(seen, ['stream:first\n', 'clear_output:{"wait":false}', 'stream:second\n', 'clear_output:{"wait":true}']);
  });

  it('refuses unknown options as every toolbox function does', async () => {
    const cell = await run(kernel.client, 'tb.clearOutput({ wiat: true } as any)');
    assert.equal(cell.reply.content.ename, 'OptionsError');
    assert.equal(cell.reply.content.evalue, "clearOutput: unknown option 'wiat'. Did you mean 'wait'? clearOutput accepts { wait }.");
  });
});
