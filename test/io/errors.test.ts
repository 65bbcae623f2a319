import assert from 'node:assert/strict';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  DataArray, Dataset, ToolBoxError, ToolBoxFileError, ToolBoxPathError, ToolBoxTypeError, ToolBoxValueError,
  loadXarray, saveAttributesH5, saveXarray,
} from '../../toolbox/index.js';
import { h5module } from '../../toolbox/io/h5file.js';
import { ioTuning } from '../../toolbox/io/slabs.js';
import { useTmpDir } from './fixtures.js';

const small = () => new Dataset({ v: new DataArray(new Float32Array([1, 2]), { dims: ['x'] }) });

describe('io: errors', function () {
  const tmp = useTmpDir();

  it('missing file → ToolBoxFileError naming the file', async () => {
    const file = join(tmp.path, 'nope.h5');
    await assert.rejects(loadXarray(file), (err: unknown) => {
      assert.ok(err instanceof ToolBoxFileError);
      assert.match(err.message, /file not found/);
      assert.ok(err.message.includes(file));
      assert.equal(err.file, file);
      return true;
    });
  });

  it('not an HDF5 file → ToolBoxFileError "is not an HDF5 file", for reading and for appending', async () => {
    const file = join(tmp.path, 'notes.h5');
    await writeFile(file, 'just some text, long enough to look like something '.repeat(40));
    await assert.rejects(loadXarray(file), (err: unknown) => err instanceof ToolBoxFileError && err.message === `${file} is not an HDF5 file`);
    await assert.rejects(saveXarray(file, small()), (err: unknown) => err instanceof ToolBoxFileError && /is not an HDF5 file/.test(err.message));
    await assert.rejects(saveAttributesH5(file, { a: 1 }), ToolBoxFileError);
    assert.match(await readFile(file, 'utf8'), /^just some text/, 'the foreign file is left alone');
    const empty = join(tmp.path, 'empty.h5');
    await writeFile(empty, '');
    await assert.rejects(loadXarray(empty), /is not an HDF5 file/);
  });

  it('missing group → ToolBoxPathError naming group and file and listing the groups present', async () => {
    const file = join(tmp.path, 'groups.h5');
    await saveXarray(file, small(), { group: 'data', mode: 'w' });
    await saveXarray(file, small(), { group: 'det/module1' });
    await assert.rejects(loadXarray(file, { group: 'dat' }), (err: unknown) => {
      assert.ok(err instanceof ToolBoxPathError);
      assert.equal(err.message, `group 'dat' not found in ${file}; groups present: data, det, det/module1`);
      assert.equal(err.path, '/dat');
      return true;
    });
    await assert.rejects(loadXarray(file, { group: 'data/v' }), (err: unknown) => err instanceof ToolBoxPathError && /is a dataset, not a group/.test(err.message));
    await assert.rejects(saveXarray(file, small(), { group: 'data/v' }), ToolBoxPathError);
  });

  it('form "array" on a group with several data variables → ToolBoxValueError naming them', async () => {
    const file = join(tmp.path, 'two.h5');
    await saveXarray(file, new Dataset({ a: new DataArray([1, 2], { dims: ['x'] }), b: new DataArray([3, 4], { dims: ['x'] }) }), { mode: 'w' });
    await assert.rejects(loadXarray(file, { form: 'array' }), /exactly one data variable.*has 2: a, b/);
  });

  it('unsupported dtype or values on write → ToolBoxTypeError naming the variable, nothing written', async () => {
    const file = join(tmp.path, 'bad-dtype.h5');
    // Named like their variable so the Dataset keeps them as they are (it would otherwise rebuild and normalise them).
    const objects = new DataArray(['a', 'b'], { dims: ['x'], name: 'objects' });
    (objects.values as unknown[])[1] = { an: 'object' };
    await assert.rejects(saveXarray(file, new Dataset({ objects }), { mode: 'w' }), (err: unknown) => {
      assert.ok(err instanceof ToolBoxTypeError);
      assert.match(err.message, /variable 'objects'/);
      assert.match(err.message, /not a string/);
      return true;
    });
    const complex = new DataArray(new Float32Array([1, 2]), { dims: ['x'], name: 'complex' });
    Object.defineProperty(complex, 'dtype', { value: 'complex64' });
    await assert.rejects(saveXarray(file, new Dataset({ complex }), { mode: 'w' }), /variable 'complex'.*dtype 'complex64' cannot be stored/);
    const badAttr = new DataArray(new Float32Array([1]), { dims: ['x'], attrs: { when: new Date(0) as never } });
    await assert.rejects(saveXarray(file, new Dataset({ badAttr }), { mode: 'w' }), /attribute 'when' of variable 'badAttr'.*Date object/);
    const nanInObject = new DataArray(new Float32Array([1]), { dims: ['x'], attrs: { o: { v: NaN } } });
    await assert.rejects(saveXarray(file, new Dataset({ nanInObject }), { mode: 'w' }), ToolBoxTypeError);
    await assert.rejects(saveXarray(file, 'not data' as never), ToolBoxTypeError);
    await assert.rejects(readFile(file), { code: 'ENOENT' });
  });

  it('output folder missing → ToolBoxPathError', async () => {
    const file = join(tmp.path, 'no', 'such', 'folder', 'out.h5');
    await assert.rejects(saveXarray(file, small()), (err: unknown) => err instanceof ToolBoxPathError && err.message.includes(join(tmp.path, 'no', 'such', 'folder')));
    await assert.rejects(saveAttributesH5(file, { a: 1 }), ToolBoxPathError);
  });

  it("names with '/' or reserved attribute names → ToolBoxValueError", async () => {
    const file = join(tmp.path, 'names.h5');
    await assert.rejects(saveXarray(file, new Dataset({ 'a/b': new DataArray([1], { dims: ['x'] }) })), (err: unknown) => (
      err instanceof ToolBoxValueError && /variable 'a\/b'.*containing '\/'/.test(err.message)));
    await assert.rejects(saveXarray(file, new Dataset({ v: new DataArray([1], { dims: ['x/y'] }) })), /dimension 'x\/y'/);
    await assert.rejects(saveXarray(file, new Dataset({ v: new DataArray([1], { dims: ['x'], attrs: { DIMENSION_LIST: 'x' } }) })), /'DIMENSION_LIST'.*reserves/);
    await assert.rejects(saveXarray(file, small(), { group: 'a/../b' }), ToolBoxValueError);
    await assert.rejects(saveXarray(file, small(), { mode: 'x' as never }), /mode must be 'a' or 'w'/);
    await assert.rejects(loadXarray(file, { form: 'table' as never }), /form must be/);
  });

  describe('atomic writes', () => {
    const saved = { ...ioTuning };
    before(() => Object.assign(ioTuning, { contiguousBytes: 64, chunkBytes: 256, slabBytes: 512 }));
    after(() => Object.assign(ioTuning, saved));

    it('a failure in the middle of writing leaves the old file intact and no temporary file', async () => {
      const file = join(tmp.path, 'atomic.h5');
      await saveXarray(file, small(), { mode: 'w' });
      const before = await readFile(file);
      const M = await h5module();
      const original = M.set_dataset_data;
      let calls = 0;
      M.set_dataset_data = (...args: Parameters<typeof original>) => {
        if (++calls === 3) throw new Error('disk on fire');
        return original(...args);
      };
      const big = new Dataset({ v: new DataArray(new Float64Array(1000), { dims: ['x'] }) });
      try {
        for (const mode of ['w', 'a'] as const) {
          calls = 0;
          await assert.rejects(saveXarray(file, big, { mode, group: mode === 'a' ? 'more' : 'data' }), (err: unknown) => (
            err instanceof ToolBoxError && err.message.includes(file) && err.message.includes('disk on fire')));
        }
      } finally {
        M.set_dataset_data = original;
      }
      assert.deepEqual(await readFile(file), before);
      assert.deepEqual((await readdir(tmp.path)).filter((n) => n.includes('.tmp-')), []);
    });
  });
});
