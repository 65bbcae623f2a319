import assert from 'node:assert/strict';
import { OptionsError, clearOutput, setDisplaySink } from '../../toolbox/index.js';

describe('clearOutput()', () => {
  afterEach(() => setDisplaySink(null));

  it('asks the sink to clear, at once by default or with wait', () => {
    const seen: boolean[] = [];
    setDisplaySink({ display: () => undefined, clearOutput: (wait) => seen.push(wait) });
    clearOutput();
    clearOutput({ wait: true });
    clearOutput({ wait: false });
    assert.deepEqual(seen, [false, true, false]);
  });

  it('does nothing without a sink, or with a sink that cannot clear', () => {
    const write = process.stdout.write;
    let written = '';
    process.stdout.write = ((chunk: string | Uint8Array) => { written += String(chunk); return true; }) as typeof process.stdout.write;
    try {
      assert.equal(clearOutput({ wait: true }), undefined);
      setDisplaySink({ display: () => undefined });
      assert.equal(clearOutput(), undefined);
    } finally {
      process.stdout.write = write;
    }
    assert.equal(written, '');
  });

  it('refuses Python-style positional arguments and unknown options', () => {
    assert.throws(() => clearOutput(true as never), (e: unknown) => e instanceof OptionsError
      && e.message === 'clearOutput: options must be an object such as { wait }, got boolean true');
    assert.throws(() => clearOutput({ wiat: true } as never), { name: 'OptionsError', message: "clearOutput: unknown option 'wiat'. Did you mean 'wait'? clearOutput accepts { wait }." });
  });
});
