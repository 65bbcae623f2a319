import assert from 'node:assert/strict';
import { MNEMONICS, ToolBoxValueError, mnemonicsForRun, resolveMnemonic, type RunSources } from '../../toolbox/index.js';
import { closeMatches } from '../../toolbox/mnemonics/lookup.js';

/** A run as mnemonic lookup sees it: sources with their keys (CONTROL keys listed as EXtra-data does). */
function fakeRun(sources: Record<string, string[]>): RunSources {
  return { allSources: Object.keys(sources), keysForSource: (s) => sources[s] ?? [] };
}

const run = fakeRun({
  'SCS_BLU_XGM/XGM/DOOCS:output': ['data.intensityTD', 'data.intensitySa3TD', 'data.trainId'],
  'SCS_BLU_XGM/XGM/DOOCS': ['pulseEnergy.photonFlux.value', 'pulseEnergy.photonFlux.timestamp'],
  'SCS_RR_UTC/TSYS/TIMESERVER': ['bunchPatternTable.value', 'bunchPatternTable.timestamp'],
  'SCS_ILH_LAS/MOTOR/LT3': ['AActualPosition.value', 'AActualPosition.timestamp'],
});

describe('mnemonics', () => {
  it('maps names to the Python toolbox (source, key, dim)', () => {
    assert.deepEqual(resolveMnemonic('SCS_SA3'), {
      source: 'SCS_BLU_XGM/XGM/DOOCS:output', key: 'data.intensitySa3TD', dim: ['XGMbunchId'], provenance: 'verified',
    });
    assert.equal(resolveMnemonic('nrj').source, 'SA3_XTD10_MONO/MDL/PHOTON_ENERGY');
    assert.equal(resolveMnemonic('PP800_DelayLine').key, 'AActualPosition.value');
    assert.deepEqual(resolveMnemonic('MCP1apd').key, 'digitizers.channel_1_D.apd.pulseIntegral');
    assert.equal(resolveMnemonic('FastADC5raw').source, 'SCS_UTC1_MCP/ADC/1:channel_5.output');
    assert.equal(resolveMnemonic('FastADC5raw').provenance, 'project');
  });

  it('every entry names a source, a key and dims (or null)', () => {
    for (const [name, entry] of Object.entries(MNEMONICS)) {
      for (const m of Array.isArray(entry) ? entry : [entry]) {
        assert.ok(m.source && m.key, name);
        assert.ok(m.dim === null || (Array.isArray(m.dim) && m.dim.every((d: unknown) => typeof d === 'string')), name);
      }
    }
  });

  it('picks the alternative the run has (older timeserver: slow data)', () => {
    assert.equal(resolveMnemonic('bunchPatternTable').source, 'SCS_RR_UTC/TSYS/TIMESERVER:outputBunchPattern');
    assert.deepEqual(resolveMnemonic('bunchPatternTable', run), {
      source: 'SCS_RR_UTC/TSYS/TIMESERVER', key: 'bunchPatternTable.value', dim: ['pulse_slot'], provenance: 'verified',
    });
  });

  it('lists the mnemonics a run has', () => {
    assert.deepEqual(Object.keys(mnemonicsForRun(run)).sort(),
      ['PP800_DelayLine', 'SCS_SA3', 'SCS_XGM', 'SCS_photonFlux', 'bunchPatternTable'].sort());
  });

  it('accepts custom mnemonics, checked against the run', () => {
    assert.deepEqual(resolveMnemonic({ source: 'SCS_ILH_LAS/MOTOR/LT3', key: 'AActualPosition', dim: null }, run),
      { source: 'SCS_ILH_LAS/MOTOR/LT3', key: 'AActualPosition', dim: null });
    assert.throws(() => resolveMnemonic({ source: 'X', key: 1 } as never), /custom mnemonic needs string 'source' and 'key'/);
  });

  it('unknown names list the closest known ones and what the run has', () => {
    assert.throws(() => resolveMnemonic('SCS_SA33', run), (e: Error) =>
      e instanceof ToolBoxValueError && /unknown mnemonic 'SCS_SA33'; closest known: SCS_SA3/.test(e.message) &&
      /mnemonics this run has: .*PP800_DelayLine/.test(e.message));
  });

  it('a mnemonic missing from the run says whether the source or only the key is absent', () => {
    assert.throws(() => resolveMnemonic('nrj', run), /mnemonic 'nrj' \(SA3_XTD10_MONO\/MDL\/PHOTON_ENERGY \/ actualEnergy.value\) is not in this run: no such source/);
    assert.throws(() => resolveMnemonic('SCS_SA1', run), /source SCS_BLU_XGM\/XGM\/DOOCS:output is there but lacks the key; its keys include: data.intensityTD/);
  });

  it('close matches rank by edit distance, case-insensitively', () => {
    assert.deepEqual(closeMatches('scs_sa3', ['SCS_SA3', 'SCS_SA1', 'nrj'], 2), ['SCS_SA3', 'SCS_SA1']);
    assert.deepEqual(closeMatches('x', []), []);
  });
});
