import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParameterError, PoniGeometry, ToolBoxFileError, ToolBoxPathError, ToolBoxValueError } from '../../toolbox/index.js';
import { pyFloat } from '../../toolbox/routines/azint/poni-file.js';
import { runPython } from '../helpers/python.js';
import { worstRelative, requirePyFai } from './geometry-pyfai.js';

const GEO = {
  dist: 0.123456789012345, poni1: -0.0213, poni2: 0.03170000000000001, rot1: 0.13, rot2: -0.21, rot3: 0.4,
  pixel1: 2.36e-4, pixel2: 5e-5, wavelength: 1.3e-9, shape: [20, 30] as [number, number],
};

const GOLDEN = `# Nota: C-Order, 1 refers to the Y axis, 2 to the X axis 
# Written by the SCS ToolBox (TypeScript)
poni_version: 2
Detector: Detector
Detector_config: {"pixel1": 0.000236, "pixel2": 5e-05, "max_shape": [20, 30]}
Distance: 0.123456789012345
Poni1: -0.0213
Poni2: 0.03170000000000001
Rot1: 0.13
Rot2: -0.21
Rot3: 0.4
Wavelength: 1.3e-09
`;

/** pyFAI's view of a .poni file: its parameters and 2θ of every pixel centre. */
const LOAD = String.raw`
import pyFAI
ai = pyFAI.load(sys.argv[1])
d = ai.detector
emit({'dist': ai.dist, 'poni1': ai.poni1, 'poni2': ai.poni2, 'rot1': ai.rot1, 'rot2': ai.rot2, 'rot3': ai.rot3,
      'pixel1': d.pixel1, 'pixel2': d.pixel2, 'wavelength': ai.wavelength, 'max_shape': list(d.max_shape) if d.max_shape else None,
      'detector': type(d).__name__, 'tth': ai.twoThetaArray(tuple(json.loads(sys.argv[2]))).ravel().tolist()})
`;

interface Loaded {
  dist: number; poni1: number; poni2: number; rot1: number; rot2: number; rot3: number; pixel1: number; pixel2: number;
  wavelength: number | null; max_shape: [number, number] | null; detector: string; tth: number[];
}

describe('azint geometry: pyFAI .poni files', function () {
  this.timeout(300_000);
  let dir: string;
  before(() => { dir = mkdtempSync(join(tmpdir(), 'scs-azint-poni-')); });
  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  describe('without Python', () => {
    it('writes version 2 text as pyFAI does, numbers as Python repr', () => {
      assert.equal(new PoniGeometry(GEO).toPoniText(), GOLDEN);
    });

    it('reads back what it writes, to the same doubles', () => {
      const g = new PoniGeometry(GEO);
      assert.deepEqual(PoniGeometry.fromPoniText(g.toPoniText()).config(), g.config());
      const { wavelength: _w, ...noWavelength } = GEO;
      const h = new PoniGeometry(noWavelength);
      assert.ok(!h.toPoniText().includes('Wavelength'));
      assert.deepEqual(PoniGeometry.fromPoniText(h.toPoniText()).config(), h.config());
    });

    it('write() renames a finished temporary file over the target, leaving nothing else', async () => {
      const path = join(dir, 'atomic.poni');
      writeFileSync(path, 'old content');
      await new PoniGeometry(GEO).write(path);
      assert.equal(readFileSync(path, 'utf8'), GOLDEN);
      assert.deepEqual(readdirSync(dir).filter((n) => n.includes('atomic')), ['atomic.poni']);
      assert.deepEqual((await PoniGeometry.read(path)).config(), new PoniGeometry(GEO).config());
    });

    it('reads version 1 files with a shape, and keys in any case', () => {
      const g = PoniGeometry.fromPoniText('# v1\nPixelSize1: 1e-4\npixelsize2: 2e-4\nDistance: 0.1\nPoni1: 0.01\nPONI2: 0.02\nRot1: 0.1\nSplineFile: None\nWavelength: 1e-10\n',
        { shape: [20, 30] });
      assert.deepEqual(g.config(), { dist: 0.1, poni1: 0.01, poni2: 0.02, rot1: 0.1, rot2: 0, rot3: 0, pixel1: 1e-4, pixel2: 2e-4, wavelength: 1e-10, shape: [20, 30] });
    });

    it('bad files: errors name the file and the key', async () => {
      const bad = join(dir, 'bad.poni');
      writeFileSync(bad, GOLDEN.replace('Poni1: -0.0213\n', ''));
      await assert.rejects(PoniGeometry.read(bad), (e: Error) => e instanceof ToolBoxFileError && e.message === `PoniGeometry.read: ${bad}: missing key Poni1`);
      writeFileSync(bad, GOLDEN.replace('Distance: 0.123456789012345', 'Distance: abc'));
      await assert.rejects(PoniGeometry.read(bad), { message: `PoniGeometry.read: ${bad}: Distance is not a finite number: 'abc'` });
      const missing = join(dir, 'missing.poni');
      await assert.rejects(PoniGeometry.read(missing), (e: Error) => e instanceof ToolBoxFileError
        && e.message === `PoniGeometry.read: cannot read ${missing}: ENOENT: no such file or directory, open '${missing}'`);
      await assert.rejects(new PoniGeometry(GEO).write(join(dir, 'no-such-folder', 'x.poni')), ToolBoxPathError);
    });

    it('bad texts: errors name the key and the value', () => {
      const cases: [string, string][] = [
        [GOLDEN.replace('Distance: 0.123456789012345\n', ''), 'missing key Distance (or dist)'],
        [GOLDEN.replace('Distance: 0.123456789012345', 'Distance:'), "Distance is not a finite number: ''"],
        [GOLDEN.replace('"pixel1": 0.000236, ', ''), 'Detector_config lacks pixel1 (detector Detector); only detectors whose configuration gives the pixel size can be read'],
        [GOLDEN.replace('Detector_config: {', 'Detector_config: {{'), `Detector_config is not JSON: '{{"pixel1": 0.000236, "pixel2": 5e-05, "max_shape": [20, 30]}'`],
        [GOLDEN.replace('[20, 30]', '[20]'), 'Detector_config max_shape is not two positive integers: [20]'],
        [GOLDEN.replace('"max_shape": [20, 30]', '"max_shape": [20, 30], "splineFile": "/x.spline"'), 'Detector_config has a splineFile ("/x.spline"): distortion splines are not supported'],
        [GOLDEN.replace(', "max_shape": [20, 30]', ''), 'the file gives no detector shape (max_shape); give shape: [ny, nx]'],
        [GOLDEN.replace('Detector: Detector\n', ''), 'missing key Detector (poni_version 2)'],
        [GOLDEN.replace('poni_version: 2', 'poni_version: 3'), "poni_version '3' is not supported (1 or 2)"],
        ['PixelSize1: 1e-4\nDistance: 0.1\nPoni1: 0\nPoni2: 0\n', 'missing key PixelSize2'],
        ['PixelSize1: 1e-4\nPixelSize2: 1e-4\nDistance: 0.1\nPoni1: 0\nPoni2: 0\n', 'the file gives no detector shape (max_shape); give shape: [ny, nx]'],
      ];
      for (const [text, message] of cases) {
        assert.throws(() => PoniGeometry.fromPoniText(text), (e: Error) => e instanceof ToolBoxValueError && e.message === `PoniGeometry.fromPoniText: ${message}`, message);
      }
      assert.throws(() => PoniGeometry.fromPoniText(GOLDEN, { shape: [10, 10] }),
        (e: Error) => e instanceof ParameterError && e.parameter === 'shape' && e.message === "PoniGeometry: shape [10, 10] differs from the file's max_shape [20, 30]");
    });

    it('a geometry with per-pixel corners cannot be written as .poni', async () => {
      const g = new PoniGeometry({ ...GEO, shape: [1, 1], corners: new Float64Array(12), nCorners: 4 });
      const message = 'PoniGeometry: a geometry with per-pixel corners cannot be written as a .poni file (pyFAI keeps such detectors in NeXus files); write the PONI parameters of a regular detector instead';
      assert.throws(() => g.toPoniText(), { message });
      await assert.rejects(g.write(join(dir, 'corners.poni')), { message });
    });
  });

  describe('with pyFAI', () => {
    before(async function () { await requirePyFai(this); });

    it('formats floats exactly as Python repr', async () => {
      const values = [0.1, 1e-10, 5e-5, 1e-4, 2.36e-4, 0.00012345, 1, 0, -0, 2.5, -3.14159, 1 / 3, 12345.678, 1e15, 1e16, 9999999999999998, 123456789012345680, 1.5e-300, -2e-7, 1e22];
      const got = await runPython<string[]>('emit([repr(float(x)) for x in json.loads(sys.argv[1])])', [JSON.stringify(values.map((v) => (Object.is(v, -0) ? '-0.0' : v)))]);
      assert.deepEqual(values.map(pyFloat), got);
    });

    it('pyFAI.load reads our file to the same parameters and 2θ', async () => {
      const path = join(dir, 'ours.poni');
      const g = new PoniGeometry(GEO);
      await g.write(path);
      const py = await runPython<Loaded>(LOAD, [path, JSON.stringify(GEO.shape)]);
      const { tth, max_shape, detector, ...params } = py;
      assert.deepEqual(params, { dist: GEO.dist, poni1: GEO.poni1, poni2: GEO.poni2, rot1: GEO.rot1, rot2: GEO.rot2, rot3: GEO.rot3, pixel1: GEO.pixel1, pixel2: GEO.pixel2, wavelength: GEO.wavelength });
      assert.deepEqual(max_shape, GEO.shape);
      assert.equal(detector, 'Detector');
      assert.ok(worstRelative(g.tth(), tth).rel <= 1e-12);
    });

    it('we read the file pyFAI writes to the same parameters and 2θ', async () => {
      const path = join(dir, 'pyfai.poni');
      await runPython(String.raw`
import pyFAI, pyFAI.detectors
from pyFAI.azimuthalIntegrator import AzimuthalIntegrator
p = json.loads(sys.argv[2])
det = pyFAI.detectors.Detector(pixel1=p['pixel1'], pixel2=p['pixel2'], max_shape=tuple(p['shape']))
AzimuthalIntegrator(dist=p['dist'], poni1=p['poni1'], poni2=p['poni2'], rot1=p['rot1'], rot2=p['rot2'], rot3=p['rot3'], detector=det, wavelength=p['wavelength']).save(sys.argv[1])
emit('ok')`, [path, JSON.stringify(GEO)]);
      assert.match(readFileSync(path, 'utf8'), /^poni_version: 2$/m);
      const g = await PoniGeometry.read(path);
      assert.deepEqual(g.config(), new PoniGeometry(GEO).config());
      const py = await runPython<Loaded>(LOAD, [path, JSON.stringify(GEO.shape)]);
      assert.ok(worstRelative(g.tth(), py.tth).rel <= 1e-12);
    });

    it('a version 1 file reads the same here and in pyFAI', async () => {
      const path = join(dir, 'v1.poni');
      writeFileSync(path, '# Nota: C-Order\nPixelSize1: 0.000172\nPixelSize2: 0.000172\nDistance: 0.25\nPoni1: 0.031\nPoni2: 0.042\nRot1: 0.01\nRot2: -0.02\nRot3: 0.003\nSplineFile: None\nWavelength: 1.0332e-10\n');
      const py = await runPython<Loaded>(LOAD, [path, '[40, 50]']);
      const g = await PoniGeometry.read(path, { shape: [40, 50] });
      assert.deepEqual(g.config(), { dist: py.dist, poni1: py.poni1, poni2: py.poni2, rot1: py.rot1, rot2: py.rot2, rot3: py.rot3, pixel1: py.pixel1, pixel2: py.pixel2, wavelength: py.wavelength, shape: [40, 50] });
      assert.ok(worstRelative(g.tth(), py.tth).rel <= 1e-12);
    });
  });
});
