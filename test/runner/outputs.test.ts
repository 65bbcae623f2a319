import assert from 'node:assert/strict';
import type { IopubMessage } from '../../runner/engine/types.js';
import type { CodeCell } from '../../runner/notebook/types.js';
import { OutputCollector, applyControlCharacters } from '../../runner/outputs.js';

let n = 0;
const msg = (msg_type: string, content: Record<string, unknown>): IopubMessage =>
  ({ header: { msg_type, msg_id: `m${n++}` }, parent_header: { msg_id: 'req' }, metadata: {}, content });
const cell = (): CodeCell => ({ id: 'c', cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null });

describe('runner outputs (nbclient semantics)', () => {
  it('applies carriage returns and backspaces like a terminal', () => {
    assert.equal(applyControlCharacters('10%\r50%\r100%\n'), '100%\n');
    assert.equal(applyControlCharacters('a\nb\rc\n'), 'a\nc\n');
    assert.equal(applyControlCharacters('working\r'), 'working\r'); // kept until more text arrives
    assert.equal(applyControlCharacters('abc\b\bd'), 'ad');
    assert.equal(applyControlCharacters('line\r\n'), 'line\n');
  });

  it('merges consecutive streams of the same name, across chunks', () => {
    const c = cell();
    const on = new OutputCollector().forCell(c);
    on(msg('stream', { name: 'stdout', text: 'a\n' }));
    on(msg('stream', { name: 'stdout', text: '50%\r' }));
    on(msg('stream', { name: 'stdout', text: '100%\n' }));
    on(msg('stream', { name: 'stderr', text: 'warn\n' }));
    on(msg('stream', { name: 'stdout', text: 'b\n' }));
    assert.deepEqual(c.outputs, [
      { output_type: 'stream', name: 'stdout', text: 'a\n100%\n' },
      { output_type: 'stream', name: 'stderr', text: 'warn\n' },
      { output_type: 'stream', name: 'stdout', text: 'b\n' },
    ]);
  });

  it('keeps execute_result with its count, drops transient, and updates displays by id across cells', () => {
    const collector = new OutputCollector();
    const first = cell();
    const second = cell();
    collector.forCell(first)(msg('display_data', { data: { 'text/plain': 'v1' }, metadata: {}, transient: { display_id: 'd' } }));
    const on2 = collector.forCell(second);
    on2(msg('execute_input', { execution_count: 7, code: '' }));
    on2(msg('execute_result', { data: { 'text/plain': '42' }, metadata: { a: 1 }, execution_count: 7 }));
    on2(msg('update_display_data', { data: { 'text/plain': 'v2' }, metadata: {}, transient: { display_id: 'd' } }));
    assert.deepEqual(first.outputs, [{ output_type: 'display_data', data: { 'text/plain': 'v2' }, metadata: {} }]);
    assert.deepEqual(second.outputs, [{ output_type: 'execute_result', data: { 'text/plain': '42' }, metadata: { a: 1 }, execution_count: 7 }]);
    assert.equal(second.execution_count, 7);
  });

  it('clears now, or before the next output with wait', () => {
    const c = cell();
    const on = new OutputCollector().forCell(c);
    on(msg('stream', { name: 'stdout', text: 'old\n' }));
    on(msg('clear_output', { wait: true }));
    assert.equal(c.outputs.length, 1);
    on(msg('stream', { name: 'stdout', text: 'new\n' }));
    assert.deepEqual(c.outputs, [{ output_type: 'stream', name: 'stdout', text: 'new\n' }]);
    on(msg('clear_output', { wait: false }));
    assert.deepEqual(c.outputs, []);
  });

  it('records errors and reports streams and results as they arrive', () => {
    const c = cell();
    const streams: string[] = [];
    const results: string[] = [];
    let changes = 0;
    const on = new OutputCollector({ onStream: (name, t) => streams.push(`${name}:${t}`), onResult: (t) => results.push(t), onChange: () => changes++ }).forCell(c);
    on(msg('stream', { name: 'stderr', text: 'e' }));
    on(msg('display_data', { data: { 'text/plain': ['x', 'y'] }, metadata: {} }));
    on(msg('error', { ename: 'ValueError', evalue: 'bad', traceback: ['tb'] }));
    on(msg('status', { execution_state: 'idle' }));
    assert.deepEqual(c.outputs[2], { output_type: 'error', ename: 'ValueError', evalue: 'bad', traceback: ['tb'] });
    assert.deepEqual(streams, ['stderr:e']);
    assert.deepEqual(results, ['xy']);
    assert.equal(changes, 3);
  });
});
