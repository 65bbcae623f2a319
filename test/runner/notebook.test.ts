import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotebookFormatError } from '../../runner/errors.js';
import { addErrorCells, removeErrorCells } from '../../runner/error-cells.js';
import { checkWritable, parseNotebook, readNotebook, writeNotebook } from '../../runner/notebook/io.js';
import { NotebookSaver } from '../../runner/notebook/saver.js';
import type { Notebook } from '../../runner/notebook/types.js';
import { injectParametersCell } from '../../runner/parameters/inject.js';

import { FIXTURES } from './helpers.js';

function nb(cells: Array<{ tags?: string[]; source?: string }>): Notebook {
  return parseNotebook(JSON.stringify({
    nbformat: 4, nbformat_minor: 4, metadata: {},
    cells: cells.map((c) => ({ cell_type: 'code', source: c.source ?? '', metadata: c.tags ? { tags: c.tags } : {}, outputs: [], execution_count: null })),
  }));
}

describe('runner notebook I/O', () => {
  it('reads a fixture and keeps its cell ids', () => {
    const book = readNotebook(join(FIXTURES, 'python-error.ipynb'));
    const raw = JSON.parse(readFileSync(join(FIXTURES, 'python-error.ipynb'), 'utf8'));
    assert.deepEqual(book.cells.map((c) => c.id), raw.cells.map((c: { id: string }) => c.id));
  });

  it('upgrades 4.4 notebooks to 4.5 with unique valid ids', () => {
    const book = nb([{}, {}, {}]);
    assert.equal(book.nbformat_minor, 5);
    assert.equal(new Set(book.cells.map((c) => c.id)).size, 3);
    for (const c of book.cells) assert.match(c.id, /^[0-9a-f]{8}$/);
  });

  it('explains malformed input', () => {
    assert.throws(() => parseNotebook('{"cells": [', 'bad.ipynb'), (e: Error) => e instanceof NotebookFormatError && /^notebook bad\.ipynb is not valid JSON/.test(e.message));
    assert.throws(() => parseNotebook('{"nbformat": 3, "worksheets": []}', 'old.ipynb'), /notebook old\.ipynb is not an nbformat 4 notebook \(nbformat 3\)/);
    assert.throws(() => parseNotebook('{"nbformat": 4, "cells": [{"cell_type": "weird"}]}', 'x.ipynb'), /cell 0 has no valid cell_type/);
    assert.throws(() => readNotebook('/nonexistent/nb.ipynb'), /cannot read notebook \/nonexistent\/nb\.ipynb: it does not exist/);
  });

  it('writes atomically, leaving no temporary file, and refuses missing folders early', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scs-nbio-'));
    try {
      const book = nb([{ source: 'x = 1' }]);
      writeNotebook(book, join(dir, 'out.ipynb'));
      assert.deepEqual(readdirSync(dir), ['out.ipynb']);
      assert.equal(readNotebook(join(dir, 'out.ipynb')).cells[0].source, 'x = 1');
      assert.throws(() => checkWritable(join(dir, 'missing', 'out.ipynb')), /cannot write output notebook .*missing\/out\.ipynb: folder .*missing does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('runner injected-parameters placement', () => {
  it('goes right after the first parameters cell', () => {
    const book = nb([{ source: 'a' }, { tags: ['parameters'], source: 'p' }, { tags: ['parameters'], source: 'q' }]);
    assert.equal(injectParametersCell(book, '# Parameters\nx = 1\n').placement, 'after-parameters');
    assert.deepEqual(book.cells.map((c) => c.source), ['a', 'p', '# Parameters\nx = 1\n', 'q']);
    assert.deepEqual(book.cells[2].metadata.tags, ['injected-parameters']);
  });

  it('replaces the injected cell of an earlier run in place', () => {
    const book = nb([{ tags: ['parameters'], source: 'p' }, { tags: ['injected-parameters'], source: 'old' }, { source: 'b' }]);
    assert.equal(injectParametersCell(book, 'new').placement, 'replaced');
    assert.deepEqual(book.cells.map((c) => c.source), ['p', 'new', 'b']);
  });

  it('goes at the top with a warning when there is no parameters cell, and nowhere without parameters', () => {
    const warnings: string[] = [];
    const book = nb([{ source: 'a' }]);
    assert.equal(injectParametersCell(book, undefined).placement, 'none');
    assert.equal(book.cells.length, 1);
    assert.equal(injectParametersCell(book, 'new', (m) => warnings.push(m)).placement, 'top');
    assert.deepEqual(book.cells.map((c) => c.source), ['new', 'a']);
    assert.match(warnings[0], /does not contain a cell with tag "parameters"/);
  });
});

describe('runner error cells', () => {
  it('adds the banner at the top and the anchor before the failed cell, and removes both on a re-run', () => {
    const book = nb([{ source: 'a' }, { source: 'b' }, { source: 'c' }]);
    addErrorCells(book, 1, 2);
    assert.deepEqual(book.cells.map((c) => c.cell_type), ['markdown', 'code', 'markdown', 'code', 'code']);
    assert.match(book.cells[0].source as string, /An Exception was encountered at '<a href="#papermill-error-cell">In \[2\]<\/a>'/);
    assert.match(book.cells[2].source as string, /id="papermill-error-cell".*encountered an exception here and stopped/);
    assert.equal(removeErrorCells(book), 2);
    assert.deepEqual(book.cells.map((c) => c.source), ['a', 'b', 'c']);
  });
});

describe('runner save policy', () => {
  it('saves at checkpoints only when asked, never before the end for stdout', () => {
    const writes: string[] = [];
    const book = nb([{}]);
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: false, autosaveCellEvery: 0, write: (_n, p) => writes.push(p) });
    saver.checkpoint();
    assert.equal(writes.length, 0);
    saver.save();
    saver.final();
    assert.deepEqual(writes, ['x', 'x']);
    const out: string[] = [];
    const toStdout = new NotebookSaver(book, { outputPath: '-', requestSaveOnCellExecute: true, autosaveCellEvery: 30, write: (_n, p) => out.push(p) });
    toStdout.checkpoint();
    toStdout.save();
    toStdout.outputChanged();
    toStdout.final();
    assert.deepEqual(out, ['-']);
  });

  it('writes checkpoints of one turn of the event loop as one save, after that turn', async () => {
    const writes: string[] = [];
    const book = nb([{}]);
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: true, autosaveCellEvery: 0, write: () => writes.push(saver.state) });
    saver.state = 'cell 1 completed';
    saver.checkpoint();
    saver.state = 'cell 2 running';
    saver.checkpoint();
    assert.equal(writes.length, 0);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(writes, ['cell 2 running']);
    assert.equal(saver.saves, 1);
  });

  it('coalesces checkpoints closer than a few times the last write, and never loses the last one', async () => {
    const writes: number[] = [];
    const book = nb([{}]);
    const slowWrite = () => { writes.push(Date.now()); const end = Date.now() + 10; while (Date.now() < end) { /* a 10 ms disk */ } };
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: true, autosaveCellEvery: 0, write: slowWrite });
    saver.save(); // 10 ms: checkpoints wait about 40 ms after it
    for (let i = 0; i < 5; i++) {
      saver.checkpoint();
      await new Promise((r) => setImmediate(r));
    }
    assert.equal(writes.length, 1);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(writes.length, 2);
    assert.ok(writes[1] - writes[0] >= 40, `second write ${writes[1] - writes[0]} ms after the first`);
  });

  it('lets the final save take a waiting checkpoint\'s place', async () => {
    const writes: boolean[] = [];
    const book = nb([{}]);
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: true, autosaveCellEvery: 0, write: (_n, _p, durable) => writes.push(durable) });
    saver.checkpoint();
    saver.final();
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(writes, [true]);
  });

  it('doubles the autosave interval when a save takes more than 25 % of it', () => {
    const book = nb([{}]);
    const slowWrite = () => { const end = Date.now() + 30; while (Date.now() < end) { /* a slow disk */ } };
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: false, autosaveCellEvery: 0.001, write: slowWrite });
    const wait = Date.now() + 5;
    while (Date.now() < wait) { /* let the 1 ms interval pass */ }
    saver.outputChanged(); // due; the 30 ms save is more than 25 % of 1 ms
    assert.equal(saver.saves, 1);
    assert.equal(saver.autosaveEvery, 0.002);
  });

  it('saves a pending change by timer when no further output comes', async () => {
    const writes: number[] = [];
    const book = nb([{}]);
    const saver = new NotebookSaver(book, { outputPath: 'x', requestSaveOnCellExecute: false, autosaveCellEvery: 0.05, write: () => writes.push(1) });
    saver.save();
    saver.outputChanged(); // not due yet: a timer takes over
    assert.equal(writes.length, 1);
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(writes.length, 2);
  });
});
