/**
 * The runs of the everyday routines, by name, for `scs mock-run --routine`
 * and the notebook tests: a reflectivity delay scan, an XAS energy scan (one
 * field direction per run, for XMCD) and a knife-edge scan, each with the
 * physics it drew in truth.json (small-run.ts).
 */
import { ToolBoxValueError } from '../../errors.js';
import type { SmallRunTruth } from './small-run.js';
import { checkOptions, optionNames } from '../../options.js';
import { writeKnifeEdgeRun } from './knife-edge-run.js';
import { writePesRun } from './pes-run.js';
import { writeReflectivityRun } from './reflectivity-run.js';
import { writeXasRun } from './xas-run.js';

export const ROUTINE_RUN_KINDS = ['reflectivity', 'xas', 'knife-edge', 'pes'] as const;
export type RoutineRunKind = (typeof ROUTINE_RUN_KINDS)[number];

/** Options every routine run takes; each writer documents its defaults. */
export interface RoutineRunOptions {
  proposal?: number;
  run?: number;
  seed?: number;
  trains?: number;
  scanPoints?: number;
  /** XAS only: the magnetic field direction, +1 or −1 (XMCD needs one run of each). */
  field?: 1 | -1;
}
const ROUTINE_RUN_OPTIONS = optionNames<RoutineRunOptions>({ proposal: true, run: true, seed: true, trains: true, scanPoints: true, field: true });

/** Write the `kind` run into `outDir`. */
export async function writeRoutineRun(kind: RoutineRunKind, outDir: string, options: RoutineRunOptions = {}): Promise<SmallRunTruth & { physics: unknown }> {
  checkOptions('writeRoutineRun', options, ROUTINE_RUN_OPTIONS);
  switch (kind) {
    case 'reflectivity': return writeReflectivityRun(outDir, options);
    case 'knife-edge': return writeKnifeEdgeRun(outDir, options);
    case 'xas': return writeXasRun(outDir, options);
    case 'pes': return writePesRun(outDir, { proposal: options.proposal, run: options.run, seed: options.seed, trains: options.trains });
    default:
      throw new ToolBoxValueError(`unknown routine run '${String(kind)}'; routine runs are: ${ROUTINE_RUN_KINDS.join(', ')}`);
  }
}
