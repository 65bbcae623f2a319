/**
 * The SASE3 undulator of a synthetic SCS run: one slow (CONTROL) source per
 * undulator cell with its gap and K parameter, the photon energy of each
 * colour as the DOOCS PHOTON_ENERGY devices record it, and the magnetic
 * chicane delay. All values are constant over the run (the machine does not
 * move the undulator during a run) and also written to the RUN section.
 *
 * Only the two PHOTON_ENERGY names and keys come from public code; the cell
 * and chicane device names, and the cell numbers, are this generator's
 * choice and match the defaults of getUndulatorConfig (misc/undulator.ts),
 * which are configurable because they are unverified.
 */
import { ToolBoxValueError } from '../../errors.js';
import type { RunContext } from './mock-sources.js';
import { presence } from './mock-sources.js';
import type { ControlSourceSpec, KeyArray } from './spec.js';

export const UNDULATOR_SOURCES = {
  /** `{cell}` is the cell number. Unverified. */
  cellTemplate: 'SA3_XTD10_UND/DOOCS/CELL{cell}',
  gapKey: 'actualGap',
  kKey: 'kParameter',
  photonEnergy: 'SA3_XTD10_UND/DOOCS/PHOTON_ENERGY',
  photonEnergyKey: 'actualPosition',
  photonEnergyColor2: 'SA3_XTD10_UND/DOOCS/PHOTON_ENERGY_COLOR2',
  photonEnergyColor2Key: 'calibratedActualPosition',
  /** Unverified. */
  chicane: 'SA3_XTD10_UND/DOOCS/CHICANE',
  chicaneDelayKey: 'actualDelay',
} as const;

/** SASE3 undulator period (U68), cm. */
export const SASE3_PERIOD_CM = 6.8;

export interface MockUndulatorOptions {
  /** Cell numbers along the beam (default 10…30, 21 cells; the real numbering is unverified). */
  cells?: number[];
  /** Parked (open) cells (default: the first two and the 16th). */
  parked?: number[];
  /** Cells after the chicane lase at colour 2 (default false: one colour). */
  twoColor?: boolean;
  /** First cell after the magnetic chicane (default: the middle cell). */
  chicaneCell?: number;
  /** Photon energy of colour 1 and colour 2 (eV), default 800 and 900. */
  photonEnergy?: number;
  photonEnergy2?: number;
  /** Electron beam energy (GeV), default 14. */
  electronEnergyGeV?: number;
  /** Relative K decrease per lasing cell within a colour (post-saturation taper), default 0.001. */
  taper?: number;
  /** Chicane delay (fs) written in two-colour mode (default 25; 0 in one-colour mode). */
  chicaneDelayFs?: number;
}

/** What the generator wrote, for tests (truth.json → undulator). */
export interface MockUndulatorTruth {
  sources: typeof UNDULATOR_SOURCES;
  periodCm: number;
  electronEnergyGeV: number;
  /** Gap of the parked cells (mm). */
  parkedGapMm: number;
  cells: number[];
  gapMm: number[];
  K: number[];
  parked: boolean[];
  /** Colour of each cell (1, 2; 0 for parked cells). */
  color: number[];
  /** Photon energy (eV) of each colour, from the K of its first lasing cell. */
  colorEnergies: number[];
  chicaneDelayFs: number;
}

/** Gap↔K of the mock magnet: K = K0·exp(−π·gap/λu), a Halbach-type decay with B0 = 3.4 T (generator's choice). */
const K0 = 0.934 * SASE3_PERIOD_CM * 3.4;
const kOfGap = (gapMm: number) => K0 * Math.exp((-Math.PI * gapMm) / (SASE3_PERIOD_CM * 10));
const gapOfK = (k: number) => (-(SASE3_PERIOD_CM * 10) / Math.PI) * Math.log(k / K0);
/** Undulator equation: K that makes `energyEv` resonant at `electronGeV`. */
const kFor = (energyEv: number, electronGeV: number) => Math.sqrt(2 * ((950 * electronGeV ** 2) / (SASE3_PERIOD_CM * energyEv) - 1));
const photonEnergyOf = (k: number, electronGeV: number) => (950 * electronGeV ** 2) / (SASE3_PERIOD_CM * (1 + (k * k) / 2));

/** The undulator configuration the options describe. */
export function makeUndulator(o: MockUndulatorOptions = {}): MockUndulatorTruth {
  const cells = o.cells ?? Array.from({ length: 21 }, (_, i) => 10 + i);
  if (!cells.length || cells.some((c) => !Number.isInteger(c) || c < 0)) throw new ToolBoxValueError(`mock undulator cells must be non-negative integers, got ${JSON.stringify(o.cells)}`);
  const parkedSet = new Set(o.parked ?? [cells[0], cells[1], cells[15]].filter((c) => c !== undefined));
  const chicaneCell = o.chicaneCell ?? cells[Math.floor(cells.length / 2)];
  const twoColor = o.twoColor ?? false;
  const electronEnergyGeV = o.electronEnergyGeV ?? 14;
  const energies = [o.photonEnergy ?? 800, ...(twoColor ? [o.photonEnergy2 ?? 900] : [])];
  const taper = o.taper ?? 0.001;
  const kRef = energies.map((e) => {
    const k = kFor(e, electronEnergyGeV);
    if (!(k > 0) || !(k < K0)) throw new ToolBoxValueError(`mock undulator cannot reach ${e} eV at ${electronEnergyGeV} GeV (K would be ${k})`);
    return k;
  });
  const parkedGapMm = 100;
  const lasingIndex = [0, 0];
  const color: number[] = [], K: number[] = [], gapMm: number[] = [], parked: boolean[] = [];
  for (const c of cells) {
    const isParked = parkedSet.has(c);
    const col = isParked ? 0 : twoColor && c >= chicaneCell ? 2 : 1;
    const k = isParked ? kOfGap(parkedGapMm) : kRef[col - 1] * (1 - taper * lasingIndex[col - 1]++);
    color.push(col);
    K.push(k);
    gapMm.push(isParked ? parkedGapMm : gapOfK(k));
    parked.push(isParked);
  }
  return {
    sources: UNDULATOR_SOURCES, periodCm: SASE3_PERIOD_CM, electronEnergyGeV, parkedGapMm, cells, gapMm, K, parked, color,
    colorEnergies: kRef.map((k) => photonEnergyOf(k, electronEnergyGeV)),
    chicaneDelayFs: twoColor ? o.chicaneDelayFs ?? 25 : 0,
  };
}

/** The undulator's CONTROL sources for trains [a, b): constant values, also in RUN. */
export function undulatorSources(ctx: RunContext, u: MockUndulatorTruth, a: number, b: number): Record<string, ControlSourceSpec> {
  const S = UNDULATOR_SOURCES;
  const constant = (source: string, values: Record<string, number>): ControlSourceSpec => {
    const { counts, rows } = presence(ctx, source, a, b);
    const keys = (n: number) => Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { dtype: 'float64', entryShape: [], values: new Float64Array(n).fill(v) } as KeyArray]));
    return { counts, keys: keys(rows.length), run: keys(1) };
  };
  const out: Record<string, ControlSourceSpec> = {};
  u.cells.forEach((c, i) => {
    const source = S.cellTemplate.replace('{cell}', String(c));
    out[source] = constant(source, { [S.gapKey]: u.gapMm[i], [S.kKey]: u.K[i] });
  });
  out[S.photonEnergy] = constant(S.photonEnergy, { [S.photonEnergyKey]: u.colorEnergies[0] });
  if (u.colorEnergies.length > 1) out[S.photonEnergyColor2] = constant(S.photonEnergyColor2, { [S.photonEnergyColor2Key]: u.colorEnergies[1] });
  out[S.chicane] = constant(S.chicane, { [S.chicaneDelayKey]: u.chicaneDelayFs });
  return out;
}
