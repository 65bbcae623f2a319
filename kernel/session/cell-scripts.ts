/**
 * Gives every cell's compiled script its own file name and keeps the cell's
 * source maps, so stack frames can be rewritten from compiled JS positions to
 * "Cell In[n], line L:C".
 *
 * tslab runs each cell with vm.runInThisContext without a file name (all
 * cells would be "evalmachine.<anonymous>", indistinguishable once a function
 * from an earlier cell is called). The wrapper below adds a file name for
 * scripts shaped like tslab's cell wrapper. A position is mapped twice: from
 * the executed CommonJS to tslab's ES module emit (commonjs.ts's position map
 * of that conversion), then through the inline map the script carries from
 * the emit to the cell source (behind tslab's one-line "export {};" prefix),
 * with node:module's SourceMap.
 */
import { SourceMap } from 'node:module';
import vm from 'node:vm';
import { takePositionMap, type PositionMap } from './commonjs.js';

const CELL_WRAPPERS = ['(function(exports, require) { ', '(async function(exports, require) { '];
const CELL_WRAPPER_END = '\n})(__tslab__.exports, __tslab__.require)';
const FILE_PATTERN = /__scs_cell_(\d+)__\.js:(\d+):(\d+)/;
const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)/g;
/** tslab prepends "export {};\n" to a cell before compiling it. */
const CELL_PREFIX_LINES = 1;

export interface CellPosition {
  label: string;
  /** 1-based, in the cell source */
  line: number;
  column: number;
  /** the cell's source line, when known */
  sourceLine?: string;
}

interface CellScript {
  label: string;
  source: string;
  wrapperLength: number;
  /** the line of tslab's wrapper call "})(__tslab__.exports, ...)", the cell's outermost frame */
  callLine: number;
  /** executed CommonJS → ES module emit */
  toEsm?: PositionMap;
  /** the emit's inline map as the script carries it (base64), decoded when a stack is first mapped */
  inline?: string;
  esmMap?: SourceMap | null;
}

const scripts = new Map<number, CellScript>();
let current: { id: number; label: string; source: string } | undefined;
let installed = false;

/** The cell whose script tslab compiles next. */
export function setCurrentCell(id: number, label: string, source: string): void {
  current = { id, label, source };
}

export function installCellScriptNames(): void {
  if (installed) return;
  installed = true;
  const original = vm.runInThisContext;
  vm.runInThisContext = function runInThisContext(code: string, options?: vm.RunningScriptOptions | string) {
    const wrapper = CELL_WRAPPERS.find((prefix) => typeof code === 'string' && code.startsWith(prefix));
    if (current && wrapper && typeof options === 'object' && !options.filename) {
      const body = code.endsWith(CELL_WRAPPER_END) ? code.slice(wrapper.length, code.length - CELL_WRAPPER_END.length) : '';
      scripts.set(current.id, {
        label: current.label, source: current.source, wrapperLength: wrapper.length, callLine: lineCount(code),
        toEsm: takePositionMap(body), inline: lastInlineMap(code),
      });
      options = { ...options, filename: `__scs_cell_${current.id}__.js` };
    }
    return original.call(vm, code, options);
  } as typeof vm.runInThisContext;
}

function lineCount(code: string): number {
  let lines = 1;
  for (let i = code.indexOf('\n'); i >= 0; i = code.indexOf('\n', i + 1)) lines++;
  return lines;
}

/** The script's inline map (the emit's); decoding waits for a stack that needs it (most cells never throw). */
function lastInlineMap(code: string): string | undefined {
  let last: string | undefined;
  for (const m of code.matchAll(INLINE_MAP)) last = m[1];
  return last;
}

function decodedMap(script: CellScript): SourceMap | undefined {
  if (script.esmMap === undefined && script.inline) {
    try {
      script.esmMap = new SourceMap(JSON.parse(Buffer.from(script.inline, 'base64').toString('utf8')));
    } catch {
      script.esmMap = null;
    }
    script.inline = undefined;
  }
  return script.esmMap ?? undefined;
}

/** Maps "file:line:col" of a cell script (1-based) to the cell source. */
export function cellPosition(id: number, line: number, column: number): CellPosition | undefined {
  const script = scripts.get(id);
  const esm = script && decodedMap(script);
  if (!script || !esm || !script.toEsm || line >= script.callLine) return undefined;
  const col0 = column - 1 - (line === 1 ? script.wrapperLength : 0);
  const inEsm = script.toEsm(line - 1, Math.max(0, col0));
  if (!inEsm) return undefined;
  const inTs = esm.findEntry(inEsm.line, inEsm.column) as Partial<SourceMapEntry>;
  if (inTs.originalLine === undefined) return undefined;
  const cellLine = inTs.originalLine - CELL_PREFIX_LINES + 1;
  if (cellLine < 1) return undefined;
  return {
    label: script.label,
    line: cellLine,
    column: (inTs.originalColumn ?? 0) + 1,
    sourceLine: script.source.split('\n')[cellLine - 1],
  };
}

interface SourceMapEntry {
  originalLine: number;
  originalColumn: number;
}

export interface MappedStack {
  /** stack frame lines with cell positions rewritten, kernel internals dropped */
  frames: string[];
  /** the innermost frame that lies in a cell */
  innermost?: CellPosition;
}

/** Rewrites the frames of an error stack ("    at ..." lines). */
export function mapStackFrames(stack: string): MappedStack {
  const frames: string[] = [];
  let innermost: CellPosition | undefined;
  for (const line of stack.split('\n')) {
    if (!/^\s+at /.test(line)) continue;
    if (isBelowCell(line)) break;
    if (/[\\/]kernel[\\/](?:session|transport)[\\/]|node:internal\/process\/task_queues/.test(line)) continue;
    const match = FILE_PATTERN.exec(line);
    if (!match) {
      frames.push(line);
      continue;
    }
    const [id, line1, column1] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const script = scripts.get(id);
    // tslab's wrapper call: no cell line to show.
    if (script && line1 >= script.callLine) continue;
    const position = cellPosition(id, line1, column1);
    const where = position ? `${position.label}, line ${position.line}:${position.column}` : `${script?.label ?? 'a cell'} (compiled line ${line1})`;
    // Functions from earlier cells are called as properties of tslab's exports Proxy.
    frames.push(line.replace(FILE_PATTERN, where).replace(/^(\s+at (?:async )?)Proxy\./, '$1'));
    if (position && !innermost) innermost = position;
  }
  return { frames, innermost };
}

/** Frames below the cell: vm and tslab's executor, which called it. */
function isBelowCell(frame: string): boolean {
  return /\(node:vm:|at node:vm:|[\\/]tslab[\\/]dist[\\/]/.test(frame);
}

/** The lines that show a position: the source line and a caret under the column. */
export function sourceExcerpt(sourceLine: string | undefined, column: number): string[] {
  if (sourceLine === undefined) return [];
  return [`    ${sourceLine}`, `    ${' '.repeat(Math.max(0, column - 1))}^`];
}
