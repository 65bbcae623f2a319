/**
 * get_undulator_config: the SASE3 undulator as the run started — gap and K
 * of every cell, which cells were parked (open), which colour each lasing
 * cell made, the photon energy of each colour and the chicane delay — from
 * RUN-section values, as one Dataset over `cell`.
 *
 * Only SA3_XTD10_UND/DOOCS/PHOTON_ENERGY(actualPosition) and
 * …/PHOTON_ENERGY_COLOR2(calibratedActualPosition) are known from public
 * code. The cell and chicane device names below are unverified, so every
 * name is an option a scientist can change without touching this file.
 * Plotting is left to the plotting module.
 */
import { DataArray, type DataInput } from '../arrays/dataarray.js';
import { Dataset } from '../arrays/dataset.js';
import { MIME_BUNDLE, type DisplayOutput } from '../display/mime.js';
import { ToolBoxValueError } from '../errors.js';
import { checkOptions, optionNames } from '../options.js';
import type { Plot } from '../plots/plot.js';
import { scatter } from '../plots/scatter.js';
import type { DataCollection } from '../run/data-collection.js';

export interface SourceKey { source: string; key: string }

export interface UndulatorConfigOptions {
  /** Cells with gap ≥ parkPos (mm) are parked, i.e. open and not lasing (default 62, as the Python toolbox). */
  parkPos?: number;
  /** Cell source name with `{cell}` for the cell number; cells are the control sources matching it. Default 'SA3_XTD10_UND/DOOCS/CELL{cell}' (unverified). */
  cellSourceTemplate?: string;
  /** RUN key of a cell's gap in mm (default 'actualGap', unverified). */
  gapKey?: string;
  /** RUN key of a cell's K parameter (default 'kParameter', unverified). Cells without it get K from the undulator equation when the colour energy and electron energy are known. */
  kKey?: string;
  /** Only these cell numbers (default every matching source). */
  cells?: number[];
  /** Recorded photon energy (eV) of colour 1, 2, 3…; sources the run lacks are skipped. */
  photonEnergySources?: SourceKey[];
  /** Magnetic chicane delay (fs); default SA3_XTD10_UND/DOOCS/CHICANE actualDelay (unverified). */
  chicane?: SourceKey;
  /** Cells that start a new colour section (e.g. the first cell after the chicane); default none. */
  colorSplits?: number[];
  /** A new colour also starts where K of consecutive lasing cells differs by more than this fraction (default 0.01; taper steps are smaller). */
  kTolerance?: number;
  /** Electron energy (GeV); default derived from colour 1's recorded photon energy and K. */
  electronEnergyGeV?: number;
  /** Undulator period (cm); SASE3 U68: 6.8. */
  periodCm?: number;
  /** Show the result as the plot of the cells' gaps by colour (default true, as the Python toolbox); false: as the Dataset. */
  plot?: boolean;
}
const UNDULATOR_OPTIONS = optionNames<UndulatorConfigOptions>({
  parkPos: true, cellSourceTemplate: true, gapKey: true, kKey: true, cells: true, photonEnergySources: true, chicane: true, colorSplits: true,
  kTolerance: true, electronEnergyGeV: true, periodCm: true, plot: true,
});

export const UNDULATOR_DEFAULTS: Readonly<Required<Omit<UndulatorConfigOptions, 'cells' | 'colorSplits' | 'electronEnergyGeV' | 'plot'>>> = {
  parkPos: 62,
  cellSourceTemplate: 'SA3_XTD10_UND/DOOCS/CELL{cell}',
  gapKey: 'actualGap',
  kKey: 'kParameter',
  photonEnergySources: [
    { source: 'SA3_XTD10_UND/DOOCS/PHOTON_ENERGY', key: 'actualPosition' },
    { source: 'SA3_XTD10_UND/DOOCS/PHOTON_ENERGY_COLOR2', key: 'calibratedActualPosition' },
    // by analogy with COLOR2; unverified
    { source: 'SA3_XTD10_UND/DOOCS/PHOTON_ENERGY_COLOR3', key: 'calibratedActualPosition' },
  ],
  chicane: { source: 'SA3_XTD10_UND/DOOCS/CHICANE', key: 'actualDelay' },
  kTolerance: 0.01,
  periodCm: 6.8,
};

/** Undulator equation, E[eV] = 950·Ee[GeV]² / (λu[cm]·(1 + K²/2)). */
export function undulatorPhotonEnergy(k: number, electronEnergyGeV: number, periodCm = UNDULATOR_DEFAULTS.periodCm): number {
  return (950 * electronEnergyGeV ** 2) / (periodCm * (1 + (k * k) / 2));
}

/** The undulator equation solved for K (NaN when the energy is out of reach). */
export function undulatorK(photonEnergyEv: number, electronEnergyGeV: number, periodCm = UNDULATOR_DEFAULTS.periodCm): number {
  const x = (950 * electronEnergyGeV ** 2) / (periodCm * photonEnergyEv) - 1;
  return x >= 0 ? Math.sqrt(2 * x) : NaN;
}

/** The undulator equation solved for the electron energy (GeV). */
function electronEnergy(photonEnergyEv: number, k: number, periodCm: number): number {
  return Math.sqrt((photonEnergyEv * periodCm * (1 + (k * k) / 2)) / 950);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Cell number → source, for the control sources matching the template. */
function findCells(run: DataCollection, template: string, only?: number[]): [number, string][] {
  if (!template.includes('{cell}')) throw new ToolBoxValueError(`cellSourceTemplate '${template}' must contain '{cell}' where the cell number goes`);
  const re = new RegExp(`^${template.split('{cell}').map(escapeRegExp).join('(\\d+)')}$`);
  const found: [number, string][] = [];
  for (const s of run.controlSources) {
    const m = re.exec(s);
    if (m && (!only || only.includes(Number(m[1])))) found.push([Number(m[1]), s]);
  }
  if (!found.length) {
    throw new ToolBoxValueError(`no undulator cell source matching '${template}'${only ? ` for cells ${only.join(', ')}` : ''} in this run `
      + '(SA3 undulator device names are unverified: set cellSourceTemplate, gapKey and kKey to the names the run uses)');
  }
  return found.sort((a, b) => a[0] - b[0]);
}

/** A numeric RUN value, or undefined when the source or key is not in the run. */
function optionalRunNumber(run: DataCollection, { source, key }: SourceKey): number | undefined {
  if (!run.controlSources.includes(source)) return undefined;
  try {
    return Number(run.getRunValue(source, key));
  } catch {
    return undefined;
  }
}

/**
 * Colour of each cell: 0 when parked, else 1, 2, … by undulator section.
 * A section ends before a cell listed in colorSplits, or where K jumps by
 * more than kTolerance between consecutive lasing cells (two-colour mode sets
 * the cells after the chicane to another K; a taper changes K much less).
 */
function assignColors(cells: number[], K: number[], parked: boolean[], splits: number[], tol: number): number[] {
  const color: number[] = [];
  let current = 0;
  let lastK = NaN;
  let lastCell = -Infinity;
  for (let i = 0; i < cells.length; i++) {
    if (parked[i]) { color.push(0); continue; }
    const split = splits.some((s) => s > lastCell && s <= cells[i]);
    const jump = Number.isFinite(K[i]) && Number.isFinite(lastK) && Math.abs(K[i] - lastK) > tol * Math.abs(lastK);
    if (current === 0 || split || jump) current++;
    color.push(current);
    lastK = K[i];
    lastCell = cells[i];
  }
  return color;
}

/**
 * getUndulatorConfig(run, {parkPos, …}): the SASE3 undulator configuration as
 * a Dataset over `cell` (and `color`). Unless `plot: false`, the Dataset
 * shows in a notebook as plotUndulatorConfig's plot (its text stays the
 * Dataset's), as the Python toolbox draws it with plot=True.
 */
export function getUndulatorConfig(run: DataCollection, options: UndulatorConfigOptions = {}): Dataset {
  const { plot = true, ...rest } = checkOptions('getUndulatorConfig', options, UNDULATOR_OPTIONS);
  const cells = undulatorConfig(run, rest);
  if (!plot) return cells;
  const figure = plotUndulatorConfig(cells);
  // Not enumerable and on this Dataset only: its data, text and methods are unchanged.
  Object.defineProperty(cells, MIME_BUNDLE, {
    enumerable: false,
    value: async (): Promise<DisplayOutput> => {
      const bundle = await figure[MIME_BUNDLE]();
      return { ...bundle, data: { ...bundle.data, 'text/plain': cells.toString() } };
    },
  });
  return cells;
}

/** The gap of every cell, coloured by the colour it lases at (0 = parked), with the colours' photon energies in the title. */
export function plotUndulatorConfig(cells: Dataset): Plot {
  for (const v of ['gap', 'cellColor', 'photonEnergy']) {
    if (!cells.has(v)) throw new ToolBoxValueError(`plotUndulatorConfig needs getUndulatorConfig's Dataset; '${v}' is missing (it has ${cells.dataVars.join(', ')})`);
  }
  const energies = Array.from(cells.get('photonEnergy').values as Float64Array, (e, i) => `colour ${i + 1}: ${Number.isFinite(e) ? `${e.toFixed(1)} eV` : 'unknown'}`);
  return scatter(cells.get('cell'), cells.get('gap'), {
    color: cells.get('cellColor'), colorLabel: 'colour (0 = parked)', xLabel: 'cell', yLabel: 'gap [mm]',
    title: `undulator cells${energies.length ? ` (${energies.join(', ')})` : ''}`,
  });
}

function undulatorConfig(run: DataCollection, options: Omit<UndulatorConfigOptions, 'plot'>): Dataset {
  const o = { ...UNDULATOR_DEFAULTS, ...options };
  if (!(o.parkPos > 0)) throw new ToolBoxValueError(`parkPos must be a positive gap in mm, got ${o.parkPos}`);
  if (!(o.periodCm > 0)) throw new ToolBoxValueError(`periodCm must be positive, got ${o.periodCm}`);
  const found = findCells(run, o.cellSourceTemplate, options.cells);
  const cells = found.map(([c]) => c);
  const gap = found.map(([, s]) => {
    const g = Number(run.getRunValue(s, o.gapKey));
    if (!Number.isFinite(g)) throw new ToolBoxValueError(`undulator cell ${s}: gap '${o.gapKey}' is ${g}, not a number`);
    return g;
  });
  const kRecorded = found.map(([, s]) => optionalRunNumber(run, { source: s, key: o.kKey }) ?? NaN);
  const parked = gap.map((g) => g >= o.parkPos);
  const color = assignColors(cells, kRecorded, parked, options.colorSplits ?? [], o.kTolerance);
  const ncolors = Math.max(0, ...color);
  const colors = Array.from({ length: ncolors }, (_, i) => i + 1);
  const recorded = colors.map((c) => (o.photonEnergySources[c - 1] ? optionalRunNumber(run, o.photonEnergySources[c - 1]) ?? NaN : NaN));
  // The resonance is set where lasing starts: the first lasing cell of a colour; later cells may be tapered.
  const kRef = colors.map((c) => kRecorded.find((k, i) => color[i] === c && Number.isFinite(k)) ?? NaN);
  let ee = options.electronEnergyGeV ?? NaN;
  let eeFrom = options.electronEnergyGeV !== undefined ? 'option' : '';
  if (!eeFrom) {
    const c = colors.findIndex((_, i) => Number.isFinite(recorded[i]) && Number.isFinite(kRef[i]));
    if (c >= 0) { ee = electronEnergy(recorded[c], kRef[c], o.periodCm); eeFrom = `colour ${c + 1} photon energy and K`; }
  }
  const energy = colors.map((_, i) => (Number.isFinite(kRef[i]) && Number.isFinite(ee) ? undulatorPhotonEnergy(kRef[i], ee, o.periodCm) : recorded[i]));
  const K = kRecorded.map((k, i) => (Number.isFinite(k) || color[i] === 0 ? k : undulatorK(energy[color[i] - 1], ee, o.periodCm)));
  const chicaneDelay = optionalRunNumber(run, o.chicane);
  const cellDa = (values: DataInput, attrs: Record<string, string | number> = {}) =>
    new DataArray(values, { dims: ['cell'], coords: { cell: Int32Array.from(cells) }, attrs });
  const colorDa = (values: number[], attrs: Record<string, string | number>) =>
    new DataArray(Float64Array.from(values), { dims: ['color'], coords: { color: Int32Array.from(colors) }, attrs });
  return new Dataset({
    gap: cellDa(Float64Array.from(gap), { units: 'mm' }),
    K: cellDa(Float64Array.from(K)),
    kRecorded: cellDa(kRecorded.map(Number.isFinite)),
    parked: cellDa(parked, { parkPos: o.parkPos }),
    cellColor: cellDa(Int32Array.from(color), { description: '0 = parked, else the colour (index of dim color) the cell lases at' }),
    photonEnergy: colorDa(energy, { units: 'eV', description: 'undulator equation with the K of the colour\'s first lasing cell' }),
    recordedPhotonEnergy: colorDa(recorded, { units: 'eV', description: 'as the PHOTON_ENERGY devices recorded it' }),
  }, {
    attrs: {
      source: o.cellSourceTemplate, gapKey: o.gapKey, kKey: o.kKey, parkPos: o.parkPos, periodCm: o.periodCm,
      ...(Number.isFinite(ee) ? { electronEnergyGeV: ee, electronEnergyFrom: eeFrom } : {}),
      ...(chicaneDelay !== undefined ? { chicaneDelayFs: chicaneDelay } : {}),
    },
  });
}
