/**
 * Binned FastCCD data on disk: `<saveFolder>/run<run>.h5`, group 'data',
 * netCDF-4 as the toolbox's other saved data (the Python class's to_netcdf),
 * written under a temporary name and renamed (saveXarray). loadBinned
 * subtracts the dark run's images and normalises by the XGM.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dataset } from '../../arrays/dataset.js';
import { ToolBoxFileError, ToolBoxValueError } from '../../errors.js';
import { loadXarray, saveXarray } from '../../io/netcdf.js';

export const binnedFile = (folder: string, run: number) => join(folder, `run${run}.h5`);

/** Write, or leave an existing file alone (a ToolBoxWarning) unless `overwrite`; resolves with whether it wrote. */
export async function saveBinned(ds: Dataset, folder: string, run: number, overwrite: boolean): Promise<{ file: string; written: boolean }> {
  const file = binnedFile(folder, run);
  if (existsSync(file) && !overwrite) {
    process.emitWarning(`file ${file} exists and will not be overwritten: pass {overwrite: true}`, 'ToolBoxWarning');
    return { file, written: false };
  }
  await mkdir(folder, { recursive: true });
  await saveXarray(file, ds, { mode: 'w', group: 'data' });
  return { file, written: true };
}

async function readBinned(folder: string, run: number, what: string): Promise<Dataset> {
  const file = binnedFile(folder, run);
  if (!existsSync(file)) throw new ToolBoxFileError(`no binned FastCCD data of ${what} run ${run}: ${file} does not exist (bin and save it first)`, file);
  return loadXarray(file, { group: 'data' });
}

/** Dark-subtracted (when a dark run is given) and XGM-normalised binned data. */
export async function loadBinnedData(folder: string, run: number, darkRun: number | undefined, xgmNorm: boolean): Promise<Dataset> {
  let ds = await readBinned(folder, run, 'the');
  if (darkRun !== undefined) {
    const dark = await readBinned(folder, darkRun, 'dark');
    const shape = (d: Dataset) => [d.sizes.x, d.sizes.y];
    if (shape(dark).join() !== shape(ds).join()) {
      throw new ToolBoxValueError(`dark run ${darkRun} has images of [${shape(dark).join(', ')}], run ${run} of [${shape(ds).join(', ')}]`);
    }
    const mean = (d: Dataset, v: string) => d.get(v).mean('scan_variable');
    ds = ds.assign({ pumped: ds.get('pumped').sub(mean(dark, 'pumped')), unpumped: ds.get('unpumped').sub(mean(dark, 'unpumped')) });
  }
  if (xgmNorm) ds = ds.assign({ pumped: ds.get('pumped').div(ds.get('xgm_pumped')), unpumped: ds.get('unpumped').div(ds.get('xgm_unpumped')) });
  return ds.assignAttrs({ dark_run: darkRun ?? -1, xgm_norm: xgmNorm ? 1 : 0 });
}
