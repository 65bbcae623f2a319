import assert from 'node:assert/strict';
import { OptionsError, ToolBoxTypeError, ToolBoxValueError } from '../toolbox/index.js';
import { checkOptions, optionNames } from '../toolbox/options.js';

interface Demo { mnemonics?: string[]; mergeWith?: object; bunchPattern?: string }
const NAMES = optionNames<Demo>({ mnemonics: true, mergeWith: true, bunchPattern: true });

describe('options checked at run time', () => {
  it('passes known keys and treats undefined/null as no options', () => {
    const o = { mnemonics: ['MCP2raw'] };
    assert.equal(checkOptions('getTimPeaks', o, NAMES), o);
    assert.deepEqual(checkOptions('getTimPeaks', undefined, NAMES), {});
    assert.deepEqual(checkOptions('getTimPeaks', null, NAMES), {});
  });

  it('names the unknown key, the function and the close matches', () => {
    const err = (() => {
      try { checkOptions('getTimPeaks', { mnemonic: 'MCP3apd' } as Demo, NAMES); } catch (e) { return e; }
    })();
    assert.ok(err instanceof OptionsError && err instanceof ToolBoxTypeError);
    assert.equal(err.message, "getTimPeaks: unknown option 'mnemonic'. Did you mean 'mnemonics'? getTimPeaks accepts { mnemonics, mergeWith, bunchPattern }.");
    assert.deepEqual([err.functionName, err.unknown, err.suggestions], ['getTimPeaks', ['mnemonic'], ['mnemonics']]);
    assert.throws(() => checkOptions('getTimPeaks', { merge_with: 1, bunch_pattern: 'x' } as Demo, NAMES),
      { message: "getTimPeaks: unknown options 'merge_with', 'bunch_pattern'. Did you mean 'mergeWith'? getTimPeaks accepts { mnemonics, mergeWith, bunchPattern }." });
  });

  it('rejects a positional value where the options object belongs', () => {
    assert.throws(() => checkOptions('getSasePId', 'scs_ppl' as unknown as Demo, NAMES), {
      name: 'OptionsError', message: "getSasePId: options must be an object such as { mnemonics, mergeWith, bunchPattern }, got the string 'scs_ppl'",
    });
    assert.throws(() => checkOptions('f', ['a'] as unknown as Demo, NAMES), /got an array \(1 items\)/);
    assert.throws(() => checkOptions('f', new Map() as unknown as Demo, NAMES), /got a Map/);
  });

  it('ToolBoxTypeError and ToolBoxValueError carry dtype and val as in Python', () => {
    assert.equal(new ToolBoxTypeError('bad', { dtype: 'float32' }).dtype, 'float32');
    assert.equal(new ToolBoxValueError('bad', { val: 3 }).val, 3);
    assert.equal('val' in new ToolBoxValueError('bad'), false);
  });
});
