import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ProgressState, setProgressSink } from '../../toolbox/index.js';
import { useMockRun } from '../helpers/mock-run.js';

const SOURCE = 'SCS_BLU_XGM/XGM/DOOCS:output';
const KEY = 'data.intensitySa3TD';

describe('progress of chunked run reads', () => {
  const mock = useMockRun({ trains: 6, frames: 4, pixels: [4, 4] }, 'scs-test-progress-');
  let reports: ProgressState[];
  beforeEach(() => {
    reports = [];
    setProgressSink({ update: (_id, s) => reports.push(s) });
  });
  afterEach(() => setProgressSink(null));

  /** Read in chunks of 2 trains, pausing past the quiet second after the first chunk. */
  async function readSlowly(progress?: string | false): Promise<number> {
    let chunks = 0;
    for await (const _ of mock.run.trainsChunks(SOURCE, KEY, { chunksize: 2, ...(progress !== undefined ? { progress } : {}) })) {
      if (chunks++ === 0) await sleep(1100);
    }
    return chunks;
  }

  it('a read that lasts over a second reports trains read and its end', async () => {
    assert.equal(await readSlowly(), 3);
    assert.ok(reports.length >= 2, JSON.stringify(reports));
    assert.deepEqual(reports.slice(0, -1).map((s) => s.finished), reports.slice(0, -1).map(() => false));
    const last = reports[reports.length - 1];
    assert.deepEqual({ ...last, elapsedMs: 0 }, { label: `reading ${SOURCE} ${KEY}`, done: 6, total: 6, unit: 'trains', finished: true, elapsedMs: 0 });
    assert.ok(last.elapsedMs >= 1100);
  });

  it('takes a label, and progress: false keeps it silent', async () => {
    await readSlowly('integrating things');
    assert.ok(reports.every((s) => s.label === 'integrating things'));
    reports.length = 0;
    await readSlowly(false);
    assert.deepEqual(reports, []);
  });
});
