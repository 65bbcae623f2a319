import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROTOCOL_VERSION } from '../../../protocol/index.js';
import { startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { resultText, run } from './cells.js';

/** The repository's package.json, found upwards from the compiled test (any outDir). */
function packageVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  throw new Error(`no package.json above ${__dirname}`);
}
const PACKAGE_VERSION = packageVersion();

describe('kernel session: execute', () => {
  let kernel: StartedKernel;
  // startKernel runs the kernel in a fresh temp folder outside the repository (no node_modules above it).
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it('answers kernel_info with the language, versions and banner', async () => {
    const { reply } = await kernel.client.request('shell', 'kernel_info_request', {});
    const c = reply.content;
    assert.equal(reply.header.msg_type, 'kernel_info_reply');
    assert.equal(c.status, 'ok');
    assert.equal(c.protocol_version, PROTOCOL_VERSION);
    assert.equal(c.implementation, 'scs-toolbox');
    assert.equal(c.implementation_version, PACKAGE_VERSION);
    assert.deepEqual(c.language_info, {
      name: 'typescript', version: '5.0.4', mimetype: 'text/typescript', file_extension: '.ts',
      codemirror_mode: { name: 'javascript', typescript: true }, pygments_lexer: 'typescript', nbconvert_exporter: 'script',
    });
    assert.match(c.banner, new RegExp(`SCS ToolBox ${PACKAGE_VERSION.replace(/\./g, '\\.')}.*Node ${process.version}`));
    assert.ok(Array.isArray(c.help_links) && c.help_links.length > 0);
  });

  it('returns the last expression as execute_result with a growing execution_count', async () => {
    const first = await run(kernel.client, '1+1');
    assert.equal(first.reply.content.status, 'ok');
    assert.equal(resultText(first), '2');
    const count = first.reply.content.execution_count;
    assert.equal(first.of('execute_result')[0]!.content.execution_count, count);
    const input = first.iopub.find((m) => m.header.msg_type === 'execute_input')!;
    assert.deepEqual(input.content, { code: '1+1', execution_count: count });
    const second = await run(kernel.client, 'const s: string = "ab"; s.length');
    assert.equal(second.reply.content.execution_count, count + 1);
    assert.equal(resultText(second), '2');
  });

  it('reads earlier cells\' variables in shorthand properties and destructuring (tslab misses the shorthand)', async () => {
    assert.equal((await run(kernel.client, 'const proposal = 2719; let runNumber = 179;')).reply.content.status, 'ok');
    const literal = await run(kernel.client, 'function params() { return { proposal, runNumber }; }\nJSON.stringify({ proposal, ...params(), extra: { runNumber } })');
    assert.equal(literal.reply.content.status, 'ok', JSON.stringify(literal.reply.content));
    assert.equal(resultText(literal), '{"proposal":2719,"runNumber":179,"extra":{"runNumber":179}}');
    const destructured = await run(kernel.client, '({ runNumber } = { runNumber: 180 });\nconst { proposal: p2 } = { proposal };\n`${runNumber} ${p2}`');
    assert.equal(resultText(destructured), '180 2719');
  });

  it('silent cells and store_history false do not count', async () => {
    const before = (await run(kernel.client, '0')).reply.content.execution_count;
    const silent = await run(kernel.client, '41', { silent: true });
    assert.equal(silent.of('execute_result').length, 0);
    assert.equal(silent.iopub.some((m) => m.header.msg_type === 'execute_input'), false);
    await run(kernel.client, '42', { store_history: false });
    assert.equal((await run(kernel.client, '0')).reply.content.execution_count, before + 1);
  });

  it('renders a DataArray as html and text', async () => {
    const cell = await run(kernel.client, 'new tb.DataArray(new Float64Array([1, 2, 3]), { dims: ["x"], shape: [3] })');
    const data = cell.of('execute_result')[0]!.content.data;
    assert.match(data['text/plain'], /<DataArray \(x: 3\)>/);
    assert.match(data['text/html'], /DataArray/);
  });

  it('streams console output in order, stdout and stderr interleaved', async () => {
    const cell = await run(kernel.client, 'console.log("a"); console.error("b"); process.stdout.write("c\\n"); console.log("d"); 5');
    const streams = cell.of('stream').map((m) => [m.content.name, m.content.text]);
    assert.deepEqual(streams, [['stdout', 'a\n'], ['stderr', 'b\n'], ['stdout', 'c\nd\n']]);
    assert.deepEqual(cell.outputs.map((m) => m.header.msg_type), ['stream', 'stream', 'stream', 'execute_result']);
  });

  it('keeps a warning emitted at the end of a cell (printed on the next tick) in that cell', async () => {
    const cell = await run(kernel.client, 'process.emitWarning("late warning", "ToolBoxWarning")');
    assert.match(cell.stream('stderr'), /ToolBoxWarning: late warning/);
  });

  it('has Node types and globals although the notebook folder has no node_modules', async () => {
    const cell = await run(kernel.client, 'import * as os from "node:os";\nconst p: string = process.platform;\nconsole.log(typeof os.cpus);\np');
    assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
    assert.equal(cell.stream('stdout'), 'function\n');
    assert.equal(resultText(cell), process.platform);
  });

  it('type-checks cells against the toolbox types', async () => {
    const ok = await run(kernel.client, 'const arr: tb.DataArray = new tb.DataArray(new Float64Array(2), { dims: ["x"], shape: [2] }); arr.dims');
    assert.equal(ok.reply.content.status, 'ok', JSON.stringify(ok.reply.content));
    const bad = await run(kernel.client, 'const n = 1;\ntb.getXgm(n)');
    assert.equal(bad.reply.content.status, 'error');
    assert.equal(bad.reply.content.ename, 'TSError');
    assert.match(bad.reply.content.evalue, /Argument of type 'number' is not assignable to parameter of type 'DataCollection'/);
  });

  it('reports a type error as TSError with the cell line and a caret', async () => {
    const cell = await run(kernel.client, 'const ok = 1;\nconst a: number = "x";');
    const count = cell.reply.content.execution_count;
    assert.equal(cell.reply.content.status, 'error');
    assert.equal(cell.reply.content.ename, 'TSError');
    assert.equal(cell.reply.content.evalue, "Type 'string' is not assignable to type 'number'.");
    assert.deepEqual(cell.reply.content.traceback, [
      `Cell In[${count}], line 2:7: Type 'string' is not assignable to type 'number'.`,
      '    const a: number = "x";',
      '          ^',
    ]);
    const [error] = cell.of('error');
    assert.deepEqual(error!.content, { ename: 'TSError', evalue: cell.reply.content.evalue, traceback: cell.reply.content.traceback });
  });

  it('reports a syntax error as TSError', async () => {
    const cell = await run(kernel.client, 'let x = ;');
    assert.equal(cell.reply.content.ename, 'TSError');
    assert.match(cell.reply.content.traceback[0], /^Cell In\[\d+\], line 1:9: Expression expected\./);
  });

  it('reports a runtime error with the cell line in the traceback', async () => {
    const cell = await run(kernel.client, 'const a = 1;\nthrow new Error("x")');
    const count = cell.reply.content.execution_count;
    assert.equal(cell.reply.content.ename, 'Error');
    assert.equal(cell.reply.content.evalue, 'x');
    const tb: string[] = cell.reply.content.traceback;
    assert.equal(tb[0], 'Error: x');
    assert.ok(tb.includes(`    at Cell In[${count}], line 2:7`), tb.join('\n'));
    assert.ok(tb.includes('    throw new Error("x")'), tb.join('\n'));
    assert.equal(cell.of('error')[0]!.content.evalue, 'x');
  });

  it('maps runtime errors of cells TypeScript turns into CommonJS (let, imports) and of classes', async () => {
    const cell = await run(kernel.client, 'import * as path from "node:path";\nlet n = path.sep.length;\n  throw new Error("y" + n)');
    assert.equal(cell.reply.content.evalue, 'y1');
    assert.ok(cell.reply.content.traceback.includes(`    at Cell In[${cell.reply.content.execution_count}], line 3:9`), cell.reply.content.traceback.join('\n'));
    const cls = await run(kernel.client, 'class Probe {\n  fail() { throw new Error("z"); }\n}\nnew Probe().fail()');
    const tb: string[] = cls.reply.content.traceback;
    const count = cls.reply.content.execution_count;
    assert.ok(tb.includes(`    at Probe.fail (Cell In[${count}], line 2:18)`) && tb.includes(`    at Cell In[${count}], line 4:13`), tb.join('\n'));
  });

  it('imports a local TypeScript module of the notebook folder, type-checked with the cell', async () => {
    const folder = dirname(kernel.connectionFile);
    writeFileSync(join(folder, 'local_helper.ts'), 'import { scale } from "./local_scale";\nexport function twice(x: number): number { return scale(x, 2); }\n');
    writeFileSync(join(folder, 'local_scale.ts'), 'export const scale = (x: number, k: number): number => x * k;\n');
    assert.equal(resultText(await run(kernel.client, 'import { twice } from "./local_helper";\ntwice(21)')), '42');
    const bad = await run(kernel.client, 'import { twice as t2 } from "./local_helper";\nt2("a")');
    assert.equal(bad.reply.content.ename, 'TSError');
    assert.match(bad.reply.content.traceback[0], /line 2:4: Argument of type 'string' is not assignable to parameter of type 'number'/);
    writeFileSync(join(folder, 'local_bad.ts'), 'export const half = (x: number, k: string): number => x * k;\n');
    writeFileSync(join(folder, 'local_uses_bad.ts'), 'import { half } from "./local_bad";\nexport const h = half;\n');
    const depError = await run(kernel.client, 'import { h } from "./local_uses_bad";\nh(1, "2")');
    assert.equal(depError.reply.content.ename, 'TSError');
    assert.match(depError.reply.content.traceback[0], /^local_bad\.ts, line 1:59: The right-hand side of an arithmetic operation must be of type/);
  });

  it('watches the notebook folder\'s modules (an edit reaches the next cell\'s check), not node_modules or the toolbox', async () => {
    const folder = dirname(kernel.connectionFile);
    writeFileSync(join(folder, 'local_edit.ts'), 'export const f = (x: number): number => x;\n');
    assert.equal(resultText(await run(kernel.client, 'import { f } from "./local_edit";\nf(1)')), '1');
    writeFileSync(join(folder, 'local_edit.ts'), 'export const f = (x: string): string => x;\n');
    // the file watcher's event arrives asynchronously: ask again until the check sees the new signature
    let seen = '';
    for (let i = 0; i < 40 && !seen.includes('not assignable'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      seen = String((await run(kernel.client, 'import { f as g } from "./local_edit";\ng(1)')).reply.content.evalue ?? '');
    }
    assert.match(seen, /Argument of type 'number' is not assignable to parameter of type 'string'/);
    // lib, @types/node and the toolbox's ~330 declaration files have no watcher each
    const count = await run(kernel.client, '((process as any).getActiveResourcesInfo() as string[]).filter((k) => k === "FSEventWrap").length');
    const watchers = Number(resultText(count));
    assert.equal(count.reply.content.status, "ok", JSON.stringify(count.reply.content));
    assert.ok(watchers < 40, `${watchers} file watchers`);
  });

  it('points at the line of an earlier cell for functions defined there, and keeps ToolBoxError names', async () => {
    const def = await run(kernel.client, '// helper\nfunction check(v: number) {\n  if (v < 0) throw new tb.ToolBoxValueError(`negative: ${v}`);\n  return v;\n}');
    const defCount = def.reply.content.execution_count;
    const call = await run(kernel.client, 'check(1);\ncheck(-2)');
    const tb: string[] = call.reply.content.traceback;
    assert.equal(call.reply.content.ename, 'ToolBoxValueError');
    assert.equal(call.reply.content.evalue, 'negative: -2');
    assert.match(tb[1]!, new RegExp(`^    at check \\(Cell In\\[${defCount}\\], line 3:20\\)$`));
    assert.ok(tb.includes(`    at Cell In[${call.reply.content.execution_count}], line 2:1`), tb.join('\n'));
  });

  it('reports an awaited rejected promise as the error of the cell', async () => {
    const cell = await run(kernel.client, 'await new Promise((_, reject) => setTimeout(() => reject(new tb.ToolBoxFileError("no such file")), 5));');
    assert.equal(cell.reply.content.status, 'error');
    assert.equal(cell.reply.content.ename, 'ToolBoxFileError');
    assert.equal(cell.reply.content.evalue, 'no such file');
  });

  it('supports top-level await', async () => {
    const cell = await run(kernel.client, 'const v = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 5));\nv * 6');
    assert.equal(resultText(cell), '42');
  });

  it('refuses process.exit() in a cell and keeps running', async () => {
    const cell = await run(kernel.client, 'process.exit(3)');
    assert.equal(cell.reply.content.ename, 'ProcessExitError');
    assert.match(cell.reply.content.evalue, /process\.exit\(3\) was called in a cell/);
    assert.equal(resultText(await run(kernel.client, '"alive"')), 'alive');
    assert.equal(kernel.process.exitCode, null);
  });

  it('reports errors thrown by a timer after a cell ended on stderr of that cell and keeps running', async () => {
    const stderr = new Map<string, string>();
    kernel.client.onIopub((m) => {
      if (m.header.msg_type !== 'stream' || m.content.name !== 'stderr') return;
      const parent = (m.parent_header as { msg_id?: string }).msg_id ?? '';
      stderr.set(parent, (stderr.get(parent) ?? '') + m.content.text);
    });
    const cell = await run(kernel.client, 'setTimeout(() => { throw new Error("late boom") }, 20);\n1');
    const parentId = cell.reply.parent_header.msg_id as string;
    for (let i = 0; i < 500 && !stderr.get(parentId)?.includes('late boom'); i++) await new Promise((r) => setTimeout(r, 10));
    const text = stderr.get(parentId) ?? '';
    assert.match(text, /Uncaught exception.*\nError: late boom\n {4}at Timeout._onTimeout \(Cell In\[\d+\], line 1:26\)/);
    assert.equal(resultText(await run(kernel.client, '1 + 2')), '3');
  });

  it('makes an unhandled rejection of a cell that cell\'s error, as an uncaught exception', async () => {
    const cell = await run(kernel.client, 'Promise.reject(new Error("nobody waits"));\n1');
    const { status, ename, evalue, traceback, execution_count: count } = cell.reply.content;
    assert.deepEqual([status, ename, evalue], ['error', 'Error', 'nobody waits']);
    assert.equal(traceback[0], `Unhandled promise rejection in Cell In[${count}]:`);
    assert.equal(traceback[1], 'Error: nobody waits');
    assert.equal(traceback[2], `    at Cell In[${count}], line 1:16`);
    assert.equal(resultText(await run(kernel.client, '1 + 2')), '3');
  });

  it('shows a rejection after a cell ended under that cell and fails the next execute request without running it', async () => {
    const errors = new Map<string, Record<string, unknown>>();
    kernel.client.onIopub((m) => {
      if (m.header.msg_type === 'error') errors.set((m.parent_header as { msg_id?: string }).msg_id ?? '', m.content);
    });
    const first = await run(kernel.client, 'setTimeout(() => { void Promise.reject(new RangeError("later")); }, 100);\nvar lateRan = 0;\n1');
    assert.equal(first.reply.content.status, 'ok');
    const firstId = first.reply.parent_header.msg_id as string;
    for (let i = 0; i < 300 && !errors.has(firstId); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(errors.get(firstId)?.evalue, 'later');
    assert.equal((errors.get(firstId)?.traceback as string[])[0], `Unhandled promise rejection after Cell In[${first.reply.content.execution_count}] ended:`);
    const next = await run(kernel.client, 'lateRan = 1');
    assert.deepEqual([next.reply.content.status, next.reply.content.ename], ['error', 'RangeError']);
    assert.equal(next.reply.content.evalue, 'later (unhandled promise rejection after an earlier cell ended; this cell did not run)');
    assert.equal(resultText(await run(kernel.client, 'lateRan')), '0');
  });

  it('aborts queued cells after an error only with stop_on_error', async () => {
    const c = kernel.client;
    const stopped = await Promise.all([run(c, 'throw new Error("stop")', { stop_on_error: true }), run(c, '1'), run(c, '2')]);
    assert.deepEqual(stopped.map((r) => r.reply.content.status), ['error', 'aborted', 'aborted']);
    const goOn = await Promise.all([run(c, 'throw new Error("go on")', { stop_on_error: false }), run(c, '1'), run(c, '2')]);
    assert.deepEqual(goOn.map((r) => r.reply.content.status), ['error', 'ok', 'ok']);
    assert.equal(resultText(goOn[2]!), '2');
  });
});

describe('kernel session: huge outputs', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel({ env: { SCS_KERNEL_MAX_OUTPUT: '100000' } });
  });
  after(async () => {
    await kernel?.stop();
  });

  it('truncates stream output of a cell at SCS_KERNEL_MAX_OUTPUT with a note', async () => {
    const cell = await run(kernel.client, 'for (let i = 0; i < 20000; i++) console.log("line " + i);\n"done"');
    const out = cell.stream('stdout');
    assert.ok(out.startsWith('line 0\nline 1\n'));
    assert.match(out, /\[output truncated: this cell wrote more than 100000 characters; set SCS_KERNEL_MAX_OUTPUT to change the limit\]\n$/);
    assert.ok(out.length < 100_200, `got ${out.length} characters`);
    assert.equal(resultText(cell), 'done');
    // The next cell counts from zero again.
    assert.equal((await run(kernel.client, 'console.log("fresh")')).stream('stdout'), 'fresh\n');
  });

  it('truncates a single huge result with a note', async () => {
    const cell = await run(kernel.client, '"x".repeat(300000)');
    const text = resultText(cell)!;
    assert.ok(text.length <= 100_000, `got ${text.length}`);
    assert.match(text, /\[output truncated: this output has 300000 characters, more than 100000/);
  });
});

describe('kernel session: the compiler warmed up before the first request', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel({ env: { SCS_KERNEL_LOG_START: '1' } });
  });
  after(async () => {
    await kernel?.stop();
  });

  it('takes in the preload\'s declarations while idle; the first cells are still checked against them', async () => {
    for (let i = 0; i < 200 && !/compiler warmed up/.test(kernel.stderr()); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.match(kernel.stderr(), /\[scs-kernel\] compiler warmed up with the preload's declarations in \d+ ms/);
    const typo = await run(kernel.client, 'tb.DataAray');
    assert.equal(typo.reply.content.ename, 'TSError');
    assert.match(typo.reply.content.evalue, /Property 'DataAray' does not exist on type 'typeof import\(/);
    const bad = await run(kernel.client, 'const n: number = tb.toolboxVersion();\nn');
    assert.match(bad.reply.content.evalue, /Type 'string' is not assignable to type 'number'/);
    assert.equal(resultText(await run(kernel.client, 'const k: number = 1 + 1;\nk')), '2');
    assert.equal(resultText(await run(kernel.client, 'typeof tb.getXgm')), 'function');
  });
});

describe('kernel session: the toolbox loaded on first use', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  const TOOLBOX_LOADED = 'Object.keys(require.cache).some((f) => /[\\\\/]toolbox[\\\\/]index\\.js$/.test(f))';

  it('answers a first 1+1 without loading the toolbox; `tb` then loads it, with its display sinks', async () => {
    const first = await run(kernel.client, '1+1');
    assert.equal(resultText(first), '2');
    assert.equal(resultText(await run(kernel.client, `[${TOOLBOX_LOADED}].join()`)), 'false');
    assert.equal(resultText(await run(kernel.client, '"text"')), 'text');
    assert.equal(resultText(await run(kernel.client, `[${TOOLBOX_LOADED}].join()`)), 'false');
    const shown = await run(kernel.client, 'await tb.display(new tb.DataArray(new Float64Array([1]), { dims: ["x"], shape: [1] }));\n"shown"');
    assert.equal(shown.reply.content.status, 'ok', JSON.stringify(shown.reply.content));
    assert.match(shown.of('display_data')[0]!.content.data['text/html'], /DataArray/);
    assert.equal(resultText(await run(kernel.client, `[${TOOLBOX_LOADED}].join()`)), 'true');
    const value = await run(kernel.client, 'new tb.DataArray(new Float64Array([1, 2, 3]), { dims: ["x"], shape: [3] })');
    assert.match(value.of('execute_result')[0]!.content.data['text/html'], /DataArray/);
    assert.equal(resultText(await run(kernel.client, 'tb === tb && typeof tb.DataArray + " " + ("DataArray" in tb)')), 'function true');
  });
});
