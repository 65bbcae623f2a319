/**
 * papermill's and nbclient's time formats, judged by Debian's Python
 * datetime: isoformat() of an aware UTC datetime, str() of it and of the local
 * naive one (path templates), and nbclient's `%Y-%m-%dT%H:%M:%S.%fZ`.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { SYSTEM_PYTHON } from '../helpers/jupyter.js';
import { isoformatUtc, nbclientTimestamp, parseIsoMicros, secondsBetween, strLocal, strUtc } from '../../runner/clock.js';

const PYTHON_FORMS = String.raw`
import json, sys
from datetime import datetime, timedelta, timezone
out = []
for us in json.loads(sys.argv[1]):
    t = datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=us)
    out.append([t.isoformat(), str(t), str(t.astimezone().replace(tzinfo=None)), t.strftime('%Y-%m-%dT%H:%M:%S.%fZ')])
print(json.dumps(out))`;

describe('runner clock: papermill and nbclient timestamps', () => {
  it('writes what Python writes, with and without microseconds, local time in winter and summer', () => {
    const samples = [0, 1, 999_999, 1_000_000, 1_767_323_045_000_000, 1_767_323_045_123_456, 1_796_536_281_000_001, 1_751_000_000_999_000];
    const saved = process.env.TZ;
    // Node and the Python child both read TZ: a zone with an offset and summer time tests the local form
    process.env.TZ = 'Europe/Berlin';
    try {
      const expected = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', PYTHON_FORMS, JSON.stringify(samples)], { encoding: 'utf8' })) as string[][];
      assert.deepEqual(samples.map((us) => [isoformatUtc(us), strUtc(us), strLocal(us), nbclientTimestamp(isoformatUtc(us))]), expected);
      assert.equal(strLocal(1_751_000_000_999_000), '2025-06-27 06:53:20.999000');
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it('reads back its own and JavaScript timestamps to the microsecond', () => {
    assert.equal(parseIsoMicros('2026-01-02T03:04:05.123456+00:00'), 1_767_323_045_123_456);
    assert.equal(parseIsoMicros('2026-01-02T03:04:05.123Z'), 1_767_323_045_123_000);
    assert.equal(parseIsoMicros('2026-01-02T03:04:05+00:00'), 1_767_323_045_000_000);
    assert.ok(Number.isNaN(parseIsoMicros('yesterday')));
    assert.equal(secondsBetween('2026-01-02T03:04:05.123456+00:00', 1_767_323_046_000_000), 0.876544);
    assert.equal(secondsBetween(null, 1), null);
    // a kernel's header date, in nbclient's form; none: now
    assert.equal(nbclientTimestamp('2026-01-02T03:04:05.123Z'), '2026-01-02T03:04:05.123000Z');
    assert.match(nbclientTimestamp(undefined), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });
});
