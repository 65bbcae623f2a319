/**
 * Putting per-train device arrays on the bunch-pattern pulse axis. Devices
 * record pulses in their own slots (XGM: the k-th pulse in slot k; BAM: pulse
 * ID p at 9 MHz index 2p); the result is indexed by pulse ID. When the
 * pattern changes during the run the axis is the union of the IDs used and a
 * train's absent pulses are NaN, so no value ever moves to another pulse.
 */
import { DataArray } from '../arrays/dataarray.js';
import { ToolBoxValueError } from '../errors.js';
import type { PulseLocation } from '../misc/bunch-pattern-bits.js';
import { pulseIdsPerTrain } from '../misc/bunch-pattern.js';
import type { DataCollection } from '../run/data-collection.js';

/** Dimension names of pulse-resolved results, as the Python toolbox names them. */
export const PULSE_DIMS: Readonly<Record<PulseLocation | 'all', string>> = {
  sase1: 'sa1_pId', sase3: 'sa3_pId', scs_ppl: 'ol_pId', sase2: 'sa2_pId', all: 'pId',
};

/** Pulse IDs per train of a location ('all': SASE1 and SASE3 together, in pulse order); null without a bunch pattern. */
export async function pulsesByTrain(run: DataCollection, what: PulseLocation | 'all'): Promise<Map<number, number[]> | null> {
  const locs: PulseLocation[] = what === 'all' ? ['sase1', 'sase3'] : [what];
  const parts = await Promise.all(locs.map((l) => pulseIdsPerTrain(run, l)));
  if (parts.some((p) => p === null)) return null;
  const out = new Map<number, number[]>();
  for (const p of parts) p!.trainIds.forEach((t, i) => out.set(t, [...(out.get(t) ?? []), ...p!.pulseIds[i]]));
  if (what === 'all') for (const ids of out.values()) ids.sort((a, b) => a - b);
  return out;
}

/**
 * (trainId, slot) → (trainId, dim): `slotOf(k, id)` gives the slot of the k-th
 * pulse (ID `id`) of a train. Trains the bunch pattern lacks are dropped.
 * `scale` converts units on the way (e.g. fs → ps).
 */
export function onPulseAxis(raw: DataArray, name: string, dim: string, pulses: Map<number, number[]>,
  slotOf: (k: number, id: number) => number, scale = 1): DataArray {
  const trains = Array.from(raw.coords.trainId.values as BigUint64Array, Number);
  const keep = trains.map((t, i) => [t, i] as const).filter(([t]) => pulses.has(t));
  const allIds = [...new Set(keep.flatMap(([t]) => pulses.get(t)!))].sort((a, b) => a - b);
  const pos = new Map(allIds.map((id, k) => [id, k]));
  const nslots = raw.shape[1];
  const src = raw.values as ArrayLike<number>;
  const out = new Float32Array(keep.length * allIds.length).fill(NaN);
  keep.forEach(([t, i], r) => {
    pulses.get(t)!.forEach((id, k) => {
      const slot = slotOf(k, id);
      if (slot >= nslots) throw new ToolBoxValueError(`${name}: train ${t} needs slot ${slot} for pulse ${id} but the device records ${nslots}`);
      out[r * allIds.length + pos.get(id)!] = src[i * nslots + slot] * scale;
    });
  });
  return new DataArray(out, {
    dims: ['trainId', dim], shape: [keep.length, allIds.length], name, attrs: raw.attrs,
    coords: { trainId: BigUint64Array.from(keep, ([t]) => BigInt(t)), [dim]: BigInt64Array.from(allIds, (v) => BigInt(v)) },
  });
}
