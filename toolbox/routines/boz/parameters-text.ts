/** The text form of the BOZ parameters (Python's parameters.__str__): one line per field. */
import type { BozParametersState } from './parameters-file.js';

function fmt(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return `[${v.map(fmt).join(', ')}]`;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function roisText(rois: BozParametersState['rois']): string {
  if (rois === null) return 'None';
  return Object.entries(rois).map(([k, r]) => `${k}: x [${r.xl}, ${r.xh}) y [${r.yl}, ${r.yh})`).join('; ');
}

function fnlText(f: Float64Array | null): string {
  if (f === null) return 'None';
  let dev = 0;
  for (let v = 0; v < f.length; v++) dev = Math.max(dev, Math.abs(f[v] - v));
  return dev === 0 ? 'identity (512 values)' : `512 values, max |F(v) − v| = ${dev.toPrecision(4)}`;
}

/** The lines of `toString`: run identification, mask, ROIs, flat field, non-linearity. */
export function describeParameters(p: BozParametersState, version: string): string {
  const bad = p.mask.reduce((a, b) => a + b, 0);
  return [
    `BOZ parameters (version ${version})`,
    `proposal: ${p.proposal}, darkrun: ${p.darkrun}, run: ${p.run}, module: ${p.module}, gain: ${p.gain} ph/bin, drop intra darks: ${p.dropIntraDarks}`,
    `mask: ${bad} bad pixels; dark mean_th ${fmt(p.meanTh)}, std_th ${fmt(p.stdTh)}`,
    `rois threshold: ${fmt(p.roisTh)}; rois: ${roisText(p.rois)}`,
    `saturation level: ${fmt(p.satLevel)}`,
    `flat field: ${fmt(p.ffType)} ${fmt(p.flatField)}; prod_th ${fmt(p.ffProdTh)}, ratio_th ${fmt(p.ffRatioTh)}; guess ${fmt(p.planeGuessFit)}; use_hex ${p.useHex}, mirror ${p.forceMirror}`,
    `flat field refinement: alpha ${fmt(p.ffAlpha)}, max iter ${fmt(p.ffMaxIter)}; fit ${p.ffFit === null ? 'None' : fmt(p.ffFit.message ?? 'done')}`,
    `non-linearity: Fnl ${fnlText(p.Fnl)}; domain ${fmt(p.nlDomain)}; alpha ${fmt(p.nlAlpha)}, max iter ${fmt(p.nlMaxIter)}; fit ${p.nlFit === null ? 'None' : fmt(p.nlFit.message ?? 'done')}`,
  ].join('\n');
}
