import assert from 'node:assert/strict';
import { ToolBoxError, ToolBoxFileError, ToolBoxPathError, ToolBoxTypeError, ToolBoxValueError } from '../toolbox/index.js';

describe('ToolBoxError family', () => {
  it('subclasses carry their own name and are ToolBoxErrors and Errors', () => {
    for (const E of [ToolBoxValueError, ToolBoxTypeError, ToolBoxFileError, ToolBoxPathError]) {
      const e = new E('what went wrong');
      assert.ok(e instanceof ToolBoxError);
      assert.ok(e instanceof Error);
      assert.equal(e.name, E.name);
      assert.equal(e.message, 'what went wrong');
    }
  });

  it('file and path errors remember what they are about', () => {
    assert.equal(new ToolBoxFileError('missing', '/data/r0001.h5').file, '/data/r0001.h5');
    assert.equal(new ToolBoxPathError('missing', '/data/raw').path, '/data/raw');
    const cause = new Error('inner');
    assert.equal(new ToolBoxFileError('wrapped', 'f.h5', { cause }).cause, cause);
  });
});
