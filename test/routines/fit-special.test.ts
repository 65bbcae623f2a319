/** erf and erfc (the knife-edge and smoothed-step models) against scipy.special on a dense grid. */
import assert from 'node:assert/strict';
import { erf, erfc } from '../../toolbox/routines/fit/special.js';
import { requirePython, runPython } from '../helpers/python.js';

describe('erf and erfc against scipy.special', function () {
  // Up to 26: beyond x ≈ 26.64 erfc is subnormal and scipy (Cephes) returns 0.
  const xs = Array.from({ length: 1201 }, (_, i) => -6 + i * 0.01).concat([0, 1e-12, -1e-12, 1.5, -1.5, 8.3, 12.7, 19.1, 25, 26]);
  let ref: { erf: number[]; erfc: number[] };

  before(async function () {
    await requirePython(this);
    ref = await runPython(String.raw`
from scipy.special import erf, erfc
x = np.array(json.loads(sys.argv[1]))
emit({'erf': erf(x).tolist(), 'erfc': erfc(x).tolist()})
`, [JSON.stringify(xs)]);
  });

  it('erf to 2e-15 relative', function () {
    xs.forEach((x, i) => {
      const e = ref.erf[i] === 0 ? Math.abs(erf(x)) : Math.abs(erf(x) - ref.erf[i]) / Math.abs(ref.erf[i]);
      assert.ok(e <= 2e-15, `erf(${x}) = ${erf(x)} vs ${ref.erf[i]}`);
    });
  });

  it('erfc to 5e-14 relative, also where it is tiny', function () {
    xs.forEach((x, i) => {
      const e = Math.abs(erfc(x) - ref.erfc[i]) / ref.erfc[i];
      assert.ok(e <= 5e-14, `erfc(${x}) = ${erfc(x)} vs ${ref.erfc[i]} (relative ${e})`);
    });
  });

  it('limits and NaN', function () {
    assert.equal(erfc(30), 0);
    assert.equal(erfc(-30), 2);
    assert.equal(erf(30), 1);
    assert.equal(erf(-30), -1);
    assert.equal(erf(0), 0);
    assert.ok(Number.isNaN(erf(NaN)) && Number.isNaN(erfc(NaN)));
  });
});
