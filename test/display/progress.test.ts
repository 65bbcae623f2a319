import assert from 'node:assert/strict';
import {
  type DisplayOptions, type DisplayOutput, type ProgressState, displayProgressSink, setDisplaySink, setProgressSink, startProgress, trackProgress,
} from '../../toolbox/index.js';
import { TextProgressSink, formatProgress } from '../../toolbox/display/progress-text.js';

/** A sink recording every report, and a clock the test moves by hand. */
function recorder() {
  const reports: { id: string; state: ProgressState }[] = [];
  setProgressSink({ update: (id, state) => reports.push({ id, state }) });
  let now = 1000;
  return { reports, clock: () => now, advance: (ms: number) => { now += ms; } };
}

describe('progress', () => {
  afterEach(() => setProgressSink(null));

  it('throttles reports to one per interval and always reports the end', () => {
    const r = recorder();
    const p = startProgress('reading X', { total: 100, unit: 'trains', clock: r.clock });
    for (let i = 0; i < 100; i++) {
      r.advance(10); // 100 ticks over 1 s: a report at 250, 500, 750, 1000 ms
      p.tick();
    }
    p.finish();
    p.finish(); // idempotent
    assert.deepEqual(r.reports.map((x) => [x.state.done, x.state.elapsedMs, x.state.finished]), [
      [25, 250, false], [50, 500, false], [75, 750, false], [100, 1000, false], [100, 1000, true],
    ]);
    assert.ok(r.reports.every((x) => x.id === p.id && x.state.label === 'reading X' && x.state.total === 100 && x.state.unit === 'trains'));
    p.tick(); // after the end: nothing more
    assert.equal(r.reports.length, 5);
  });

  it('a quick job reports only its end; within quietMs it reports nothing', () => {
    const r = recorder();
    const quick = startProgress('a', { clock: r.clock });
    r.advance(100);
    quick.set(7);
    quick.finish();
    assert.deepEqual(r.reports.map((x) => x.state), [{ label: 'a', done: 7, unit: 'items', finished: true, elapsedMs: 100 }]);

    const silent = startProgress('b', { total: 3, quietMs: 1000, clock: r.clock });
    r.advance(900);
    silent.tick(3);
    silent.finish();
    assert.equal(r.reports.length, 1);

    const slow = startProgress('c', { total: 3, quietMs: 1000, clock: r.clock });
    r.advance(600);
    slow.tick(); // before quietMs: silent
    r.advance(600);
    slow.tick(); // 1.2 s: reported
    slow.finish();
    assert.deepEqual(r.reports.slice(1).map((x) => [x.state.label, x.state.done, x.state.finished]), [['c', 2, false], ['c', 2, true]]);
  });

  it('trackProgress counts items and reports the end after an early break', async () => {
    const r = recorder();
    const seen: number[] = [];
    for await (const x of trackProgress([1, 2, 3, 4], 'items', { unit: 'files', clock: r.clock })) {
      seen.push(x);
      if (x === 2) break;
    }
    assert.deepEqual(seen, [1, 2]);
    assert.equal(r.reports.length, 1);
    assert.deepEqual(r.reports[0].state, { label: 'items', done: 1, total: 4, unit: 'files', finished: true, elapsedMs: 0 });
  });

  it('rejects a negative total', () => {
    assert.throws(() => startProgress('x', { total: -1 }), /progress total must be a non-negative number, got -1/);
  });

  it('formats lines and writes them to a terminal or a log', () => {
    const base = { label: 'reading X', unit: 'trains', total: 200 };
    assert.equal(formatProgress({ ...base, done: 50, finished: false, elapsedMs: 3210 }), 'reading X: 50/200 trains (25%), 3.2 s');
    assert.equal(formatProgress({ ...base, done: 200, finished: true, elapsedMs: 12_600 }), 'reading X: 200/200 trains, done in 13 s');
    assert.equal(formatProgress({ label: 'l', unit: 'rows', done: 9, finished: false, elapsedMs: 0 }), 'l: 9 rows, 0.0 s');

    let tty = '';
    const t = new TextProgressSink({ tty: true, write: (s) => { tty += s; } });
    t.update('a', { ...base, done: 100, finished: false, elapsedMs: 500 });
    t.update('a', { ...base, done: 5, finished: false, elapsedMs: 600 }); // shorter: padded over the old line
    t.update('a', { ...base, done: 200, finished: true, elapsedMs: 900 });
    assert.equal(tty, '\rreading X: 100/200 trains (50%), 0.5 s\rreading X: 5/200 trains (2%), 0.6 s   \rreading X: 200/200 trains, done in 0.9 s\n');

    const lines: string[] = [];
    const log = new TextProgressSink({ tty: false, write: (s) => lines.push(s) });
    for (const ms of [300, 5000, 10_400, 12_000]) log.update('b', { ...base, done: ms / 100, finished: false, elapsedMs: ms });
    log.update('b', { ...base, done: 200, finished: true, elapsedMs: 13_000 });
    assert.deepEqual(lines, [
      'reading X: 3/200 trains (1%), 0.3 s\n', 'reading X: 104/200 trains (52%), 10 s\n', 'reading X: 200/200 trains, done in 13 s\n',
    ]);
  });

  it('as a notebook display: created on the first report, then updated in place', () => {
    const shown: [DisplayOutput, DisplayOptions][] = [];
    setDisplaySink({ display: (o, opts) => shown.push([o, opts]) });
    try {
      setProgressSink(displayProgressSink());
      let now = 0;
      const p = startProgress('reading <X>', { total: 4, unit: 'trains', clock: () => now });
      now = 300;
      p.tick(2);
      now = 600;
      p.tick(2);
      p.finish();
      assert.deepEqual(shown.map(([, o]) => o), [{ displayId: p.id, update: false }, { displayId: p.id, update: true }, { displayId: p.id, update: true }]);
      assert.equal(shown[0][0].data['text/plain'], 'reading <X>: 2/4 trains (50%), 0.3 s');
      assert.match(shown[0][0].data['text/html'] as string, /<progress value="2" max="4".*<\/progress> reading &lt;X&gt;: 2\/4 trains \(50%\), 0\.3 s<\/div>$/);
      assert.equal(shown[2][0].data['text/plain'], 'reading <X>: 4/4 trains, done in 0.6 s');
    } finally {
      setDisplaySink(null);
    }
  });
});
