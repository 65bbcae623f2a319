import assert from 'node:assert/strict';
import { DataArray, Dataset, MIME_BUNDLE, display, mimeBundleOf, setDisplaySink, type DisplayOptions, type DisplayOutput } from '../../toolbox/index.js';

const da = new DataArray(Float64Array.from([1, 2, 3]), { dims: ['trainId'], coords: { trainId: BigUint64Array.from([10n, 11n, 12n]) }, name: 'xgm' });

/** Everything written to stdout while `fn` runs. */
async function stdoutOf(fn: () => Promise<unknown>): Promise<string> {
  const write = process.stdout.write;
  let text = '';
  process.stdout.write = ((chunk: string | Uint8Array) => { text += String(chunk); return true; }) as typeof process.stdout.write;
  try {
    await fn();
  } finally {
    process.stdout.write = write;
  }
  return text;
}

describe('mime bundles', () => {
  it('DataArray and Dataset carry HTML and their text repr', async () => {
    const a = await mimeBundleOf(da);
    assert.deepEqual(Object.keys(a.data).sort(), ['text/html', 'text/plain']);
    assert.equal(a.data['text/plain'], da.toString());
    assert.match(a.data['text/html'] as string, /^<div style=".*DataArray.*&#39;xgm&#39;.*trainId: 3/s);
    const ds = new Dataset({ xgm: da });
    const b = await mimeBundleOf(ds);
    assert.equal(b.data['text/plain'], ds.toString());
    assert.match(b.data['text/html'] as string, /Dataset.*Data variables/s);
  });

  it('plain values become util.inspect text with limits', async () => {
    assert.deepEqual((await mimeBundleOf({ a: 1, b: 'x' })).data, { 'text/plain': "{ a: 1, b: 'x' }" });
    assert.deepEqual((await mimeBundleOf('a string')).data, { 'text/plain': 'a string' });
    const long = (await mimeBundleOf(Array.from({ length: 1000 }, (_, i) => i))).data['text/plain'] as string;
    assert.match(long, /\.\.\. 900 more items/);
    const deep = (await mimeBundleOf({ a: { b: { c: { d: { e: { f: 1 } } } } } })).data['text/plain'] as string;
    assert.match(deep, /\[Object\]/);
  });

  it('a Displayable without text/plain gets one; metadata passes through', async () => {
    const obj = { [MIME_BUNDLE]: async () => ({ data: { 'text/html': '<b>hi</b>' }, metadata: { 'text/html': { isolated: true } } }) };
    const out = await mimeBundleOf(obj);
    assert.equal(out.data['text/html'], '<b>hi</b>');
    assert.equal(typeof out.data['text/plain'], 'string');
    assert.deepEqual(out.metadata, { 'text/html': { isolated: true } });
  });
});

describe('display()', () => {
  afterEach(() => setDisplaySink(null));

  it('prints text/plain to stdout when no sink is installed', async () => {
    assert.equal(await stdoutOf(() => display(da)), `${da.toString()}\n`);
    assert.equal(await stdoutOf(() => display({ n: 5 })), '{ n: 5 }\n');
  });

  it('sends bundles through the sink, and updates by display id', async () => {
    const seen: [DisplayOutput, DisplayOptions][] = [];
    setDisplaySink({ display: (o, opts) => seen.push([o, opts]) });
    const h = await display(da);
    await h.update('second');
    const fixed = await display(1, { displayId: 'mine' });
    assert.equal(seen.length, 3);
    assert.equal(seen[0][0].data['text/html'], da.toHTML());
    assert.equal(seen[0][1].displayId, h.displayId);
    assert.ok(!seen[0][1].update);
    assert.deepEqual(seen[1], [{ data: { 'text/plain': 'second' } }, { displayId: h.displayId, update: true }]);
    assert.equal(fixed.displayId, 'mine');
    assert.equal(seen[2][1].displayId, 'mine');
  });
});
