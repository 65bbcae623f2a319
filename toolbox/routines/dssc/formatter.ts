/**
 * DSSCFormatter and get_data_formatted: the per-module files that
 * processData writes (run_<run>_module<m>.h5, group 'data') combined into one
 * Dataset over 'module' and saved as one file, with extra groups and
 * attributes — the Python toolbox's last step of DSSC binning.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { Attrs, DataArray } from '../../arrays/dataarray.js';
import { Dataset } from '../../arrays/dataset.js';
import { attrValuesEqual } from '../../arrays/combine-attrs.js';
import { sameVariable } from '../../arrays/common.js';
import { ToolBoxFileError, ToolBoxPathError, ToolBoxValueError } from '../../errors.js';
import { replaceAtomically, resolveTarget } from '../../io/atomic.js';
import { loadXarray, saveAttributesH5, saveXarray } from '../../io/netcdf.js';
import { DSSC_MODULES } from '../../detectors/dssc/run-view.js';
import { type ModuleInput, combineModules, modulesOf } from './formatted-combine.js';
import { checkOptions, optionNames } from '../../options.js';

export interface GetDataFormattedOptions {
  /** Module files (group 'data' of each is read). */
  filenames?: string[];
  /** Module Datasets already in memory (used when no filenames are given). */
  dataList?: Dataset[];
}
const GET_DATA_FORMATTED_OPTIONS = optionNames<GetDataFormattedOptions>({ filenames: true, dataList: true });

async function loadModuleFile(file: string): Promise<ModuleInput> {
  if (!existsSync(file)) throw new ToolBoxFileError(`module file not found: ${file}`, file);
  return { ds: await loadXarray(file, { group: 'data' }), source: file };
}

/**
 * get_data_formatted: module files or Datasets → one Dataset over 'module'
 * (sorted), inner join on trainId/pulse, dims (trainId, pulse, module, x, y),
 * Dataset attributes cleared.
 */
export async function getDataFormatted(options: GetDataFormattedOptions = {}): Promise<Dataset> {
  const { filenames = [], dataList = [] } = checkOptions('getDataFormatted', options, GET_DATA_FORMATTED_OPTIONS);
  if (filenames.length) return combineModules(await Promise.all(filenames.map(loadModuleFile)));
  if (dataList.length) return combineModules(dataList.map((ds, i) => ({ ds, source: `dataList[${i}]` })));
  throw new ToolBoxValueError('getDataFormatted needs filenames or dataList (both are empty)');
}

export interface DSSCFormatterOptions {
  /** File names must start with this. */
  prefix?: string;
  /** File names must end with this (before '.h5'). */
  suffix?: string;
}
const FORMATTER_OPTIONS = optionNames<DSSCFormatterOptions>({ prefix: true, suffix: true });
const COMBINE_OPTIONS = optionNames<{ modules?: number[] }>({ modules: true });

/** Module numbers as text: "0–2, 4, 9–15". */
function ranges(ms: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < ms.length; i++) {
    let j = i;
    while (j + 1 < ms.length && ms[j + 1] === ms[j] + 1) j++;
    out.push(j > i ? `${ms[i]}–${ms[j]}` : `${ms[i]}`);
    i = j;
  }
  return out.join(', ');
}

/** The module number a file name says (…module<m>…), if it says one. */
function moduleInName(file: string): number | undefined {
  const m = /module(\d+)/.exec(file.slice(file.lastIndexOf('/') + 1));
  return m ? Number(m[1]) : undefined;
}

export class DSSCFormatter {
  readonly filepath: string;
  /** The module files found in `filepath` (full paths, in module order). */
  readonly filenames: string[];
  /** The combined Dataset, once combineFiles() ran. */
  data: Dataset | null = null;
  /** Extra groups read by addDataArray(), saved as groups of the same name. */
  dataXarray: Record<string, Dataset | DataArray> = {};
  /** Root attributes of the saved file. */
  attributes: Attrs = {};
  private combined: string[] = [];

  constructor(filepath: string, options: DSSCFormatterOptions = {}) {
    const { prefix = '', suffix = '' } = checkOptions('DSSCFormatter', options, FORMATTER_OPTIONS);
    this.filepath = resolve(filepath);
    if (!existsSync(this.filepath) || !statSync(this.filepath).isDirectory()) {
      throw new ToolBoxPathError(`DSSCFormatter: folder not found: ${this.filepath}`, this.filepath);
    }
    const ending = suffix.endsWith('.h5') ? suffix : `${suffix}.h5`;
    // Hidden names are the temporary files of writes in progress.
    this.filenames = readdirSync(this.filepath)
      .filter((f) => !f.startsWith('.') && f.startsWith(prefix) && f.endsWith(ending) && f.length >= prefix.length + ending.length)
      .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
      .map((f) => join(this.filepath, f));
  }

  private resolveName(f: string): string {
    return isAbsolute(f) ? f : join(this.filepath, f);
  }

  /**
   * Combine module files (default: all found) along 'module'. Relative
   * names are taken inside `filepath`. `modules` picks modules by the
   * number in the file names; one without a file is an error. Modules of
   * 0–15 absent from the result are reported with a ToolBoxWarning.
   * Attributes equal in every file (proposal, run, averaging, …) become
   * this.attributes.
   */
  async combineFiles(filenames: string[] = [], options: { modules?: number[] } = {}): Promise<Dataset> {
    checkOptions('DSSCFormatter.combineFiles', options, COMBINE_OPTIONS);
    let files = filenames.length ? filenames.map((f) => this.resolveName(f)) : this.filenames;
    if (files.length === 0) throw new ToolBoxFileError(`no module files (*.h5) in ${this.filepath}`, this.filepath);
    if (options.modules) {
      const byModule = new Map(files.map((f) => [moduleInName(f), f] as [number | undefined, string]));
      const missing = options.modules.filter((m) => !byModule.has(m));
      if (missing.length) {
        throw new ToolBoxFileError(`no file for module${missing.length > 1 ? 's' : ''} ${missing.join(', ')} in ${this.filepath} (files: ${files.map((f) => f.slice(f.lastIndexOf('/') + 1)).join(', ')})`, this.filepath);
      }
      files = options.modules.map((m) => byModule.get(m)!);
    }
    const inputs = await Promise.all(files.map(loadModuleFile));
    if (options.modules) {
      // Picked by name: the content must agree, or the wrong module would be combined under that name.
      for (const input of inputs) {
        const named = moduleInName(input.source)!, held = modulesOf(input);
        if (held.length !== 1 || held[0] !== named) throw new ToolBoxValueError(`${input.source} is named for module ${named} but holds module ${held.join(', ')}`);
      }
    }
    const have = new Set(inputs.flatMap(modulesOf));
    const absent = Array.from({ length: DSSC_MODULES }, (_, m) => m).filter((m) => !have.has(m));
    if (absent.length && !options.modules) {
      process.emitWarning(`DSSCFormatter: combining ${have.size} of ${DSSC_MODULES} DSSC modules from ${this.filepath}; missing module${absent.length > 1 ? 's' : ''}: ${ranges(absent)}`, 'ToolBoxWarning');
    }
    this.data = combineModules(inputs);
    this.combined = inputs.map((i) => i.source);
    this.attributes = { ...commonAttrs(inputs.map((i) => i.ds.attrs)), ...this.attributes };
    return this.data;
  }

  /** Read extra groups (e.g. a binned XGM saved as group 'xgm') from the module files; they must agree. */
  async addDataArray(groups: string | string[]): Promise<void> {
    const files = this.combined.length ? this.combined : this.filenames;
    if (files.length === 0) throw new ToolBoxFileError(`no module files (*.h5) in ${this.filepath} to read groups from`, this.filepath);
    for (const group of typeof groups === 'string' ? [groups] : groups) {
      let first: Dataset | undefined;
      for (const f of files) {
        const ds = await loadXarray(f, { group });
        if (!first) { first = ds; continue; }
        const differs = ds.dataVars.length !== first.dataVars.length
          || ds.dataVars.some((n) => !first!.has(n) || !sameVariable(ds.get(n), first!.get(n)));
        if (differs) throw new ToolBoxValueError(`group '${group}' differs between ${files[0]} and ${f}`);
      }
      const names = first!.dataVars;
      this.dataXarray[group] = names.length === 1 ? first!.get(names[0]) : first!;
    }
  }

  addAttributes(attrs: Attrs): void {
    Object.assign(this.attributes, attrs);
  }

  /**
   * Write the combined data (group 'data'), the extra groups and the
   * attributes (file root) as one new file, atomically: the whole file
   * appears at once or not at all.
   */
  async saveFormattedData(filename: string): Promise<void> {
    const data = this.data;
    if (!data) throw new ToolBoxValueError('DSSCFormatter.saveFormattedData: nothing to save yet; call combineFiles() first');
    const target = await resolveTarget(filename);
    await replaceAtomically(target, false, async (tmp) => {
      await saveXarray(tmp, data, { group: 'data', mode: 'w' });
      for (const [group, v] of Object.entries(this.dataXarray)) await saveXarray(tmp, v, { group, mode: 'a' });
      if (Object.keys(this.attributes).length) await saveAttributesH5(tmp, this.attributes);
    });
  }
}

/** Attributes every module file has with the same value ('module' excluded: it differs by design). */
function commonAttrs(list: Attrs[]): Attrs {
  const out: Attrs = {};
  for (const [k, v] of Object.entries(list[0] ?? {})) {
    if (k === 'module') continue;
    if (list.every((a) => k in a && attrValuesEqual(a[k], v))) out[k] = v;
  }
  return out;
}
