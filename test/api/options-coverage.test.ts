import assert from 'node:assert/strict';
import { packageRoot } from '../../toolbox/index.js';
import { CHECKERS, ENTRIES, type OptionsSite, optionsSites } from './options-scan.js';

/**
 * One mechanism for every public function (issue 14, item 2): each public
 * function, constructor and method reachable from the package's entry
 * points that takes an options object passes it to checkOptions on entry.
 */
describe('options objects of every public function are checked', function () {
  this.timeout(120_000);
  let sites: OptionsSite[];
  before(() => { sites = optionsSites(packageRoot()); });

  it('finds the options parameters of functions, overloads, constructors, methods and namespaces', () => {
    const names = new Set(sites.map((s) => s.name));
    for (const n of ['getSasePId', 'load', 'getArray', 'loadRunValues', 'repRate', 'processDsscData', 'openRun', 'DataArray.sel', 'KeyData.xarray',
      'DSSCBinner.create', 'DSSCFormatter.constructor', 'plot.line', 'writeMockRun', 'runDemo', 'getTimPeaks']) {
      assert.ok(names.has(n), `${n} not found among ${sites.length} options parameters`);
    }
    // a private constructor is not public; DataArray and Dataset are not options
    assert.ok(!names.has('DSSCBinner.constructor'));
    assert.ok(!sites.some((s) => s.name === 'merge' && s.parameter === 'objs'));
    assert.ok(sites.length > 100, `only ${sites.length} options parameters found`);
  });

  it('every one of them calls checkOptions', () => {
    const offenders = sites.filter((s) => !s.checked);
    const list = offenders.map((s) => `  ${s.name}(${s.parameter}) at ${s.where}`).join('\n');
    assert.equal(offenders.length, 0,
      `${offenders.length} of ${sites.length} public options parameters (from ${ENTRIES.join(', ')}) are not passed to ${[...CHECKERS.keys()].join(' or ')}:\n${list}`);
  });
});
