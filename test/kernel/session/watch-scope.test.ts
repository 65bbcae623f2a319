import assert from 'node:assert/strict';
import { join, sep } from 'node:path';
import { startedPendingWork } from '../../../kernel/session/rejections.js';
import { isSessionConstant, scopedWatchSystem } from '../../../kernel/session/watch-scope.js';
import type * as TS from '@tslab/typescript-for-tslab';

describe('kernel session: which files the compiler watches', () => {
  const toolbox = join(sep, 'opt', 'scs', 'dist', 'toolbox');

  it('node_modules and the toolbox\'s declarations are session constants; the notebook folder is not', () => {
    assert.equal(isSessionConstant(join(sep, 'opt', 'scs', 'node_modules', '@types', 'node', 'fs.d.ts'), toolbox), true);
    assert.equal(isSessionConstant(join(sep, 'home', 'u', 'nb', 'node_modules', 'x', 'index.d.ts'), toolbox), true);
    assert.equal(isSessionConstant(join(toolbox, 'routines', 'dssc', 'kernel.d.ts'), toolbox), true);
    assert.equal(isSessionConstant(join(sep, 'home', 'u', 'nb', 'helper.ts'), toolbox), false);
    // a sibling whose name starts like the toolbox folder is not inside it
    assert.equal(isSessionConstant(join(sep, 'opt', 'scs', 'dist', 'toolbox-notes', 'a.ts'), toolbox), false);
    assert.equal(isSessionConstant(join(sep, 'opt', 'scs', 'notebooks', 'my_node_modules_list.ts'), toolbox), false);
  });

  it('scopedWatchSystem watches only the rest, with the caller\'s callback and options', () => {
    const watched: unknown[][] = [];
    const system = { watchFile: (...args: unknown[]) => { watched.push(args); return { close() {} }; } } as unknown as TS.System;
    const scoped = scopedWatchSystem(system, toolbox);
    const cb = () => {};
    scoped.watchFile!(join(toolbox, 'index.d.ts'), cb, 250);
    scoped.watchFile!(join(sep, 'x', 'node_modules', 'y.d.ts'), cb, 250);
    scoped.watchFile!(join(sep, 'home', 'u', 'nb', 'helper.ts'), cb, 250, { watchFile: 0 } as TS.WatchOptions);
    assert.deepEqual(watched, [[join(sep, 'home', 'u', 'nb', 'helper.ts'), cb, 250, { watchFile: 0 }]]);
    assert.equal(scopedWatchSystem({} as TS.System, toolbox).watchFile, undefined);
  });

  it('a new file watcher is no pending operation of the cell (no settle wait for it); a timer is', () => {
    assert.equal(startedPendingWork(['TTYWrap'], ['TTYWrap', 'FSEventWrap', 'FSEventWrap', 'StatWatcher']), false);
    assert.equal(startedPendingWork(['TTYWrap'], ['TTYWrap', 'FSEventWrap', 'Timeout']), true);
    assert.equal(startedPendingWork(['FSReqCallback'], ['FSReqCallback', 'FSReqCallback']), true);
  });
});
