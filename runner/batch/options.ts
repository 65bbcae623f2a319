/**
 * Validation of what `scs submit` passes to SLURM. Checked before anything is
 * written, so a typo never leaves a half-made output folder or a queued job.
 */
import { BatchOptionError } from './errors.js';

/** A parameter sweep: one array task per value, the value injected as parameter `key`. */
export interface ArraySpec {
  key: string;
  values: string[];
}

/** `KEY=v1,v2,...` (values are taken as written; `-p`-style typing happens in the runner). */
export function parseArraySpec(text: string): ArraySpec {
  const eq = text.indexOf('=');
  const key = eq < 0 ? '' : text.slice(0, eq).trim();
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) {
    throw new BatchOptionError(`--array expects KEY=v1,v2,... with KEY a parameter name, got '${text}'`, '--array');
  }
  const values = text.slice(eq + 1).split(',').map((v) => v.trim());
  if (values.length === 0 || values.some((v) => v === '')) {
    throw new BatchOptionError(`--array ${key}: the value list is empty or has an empty item ('${text}')`, '--array');
  }
  if (new Set(values).size !== values.length) {
    throw new BatchOptionError(`--array ${key}: values repeat ('${text}'), two tasks would write the same notebook`, '--array');
  }
  return { key, values };
}

// SLURM's --time forms: M, M:S, H:M:S, D-H, D-H:M, D-H:M:S (or unlimited)
const TIME_RE = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/;

/** Returns the limit when SLURM accepts its form, else a BatchOptionError naming the forms. */
export function validateTimeLimit(text: string): string {
  const t = text.trim();
  if (/^(unlimited|infinite)$/i.test(t)) return t.toUpperCase();
  const m = TIME_RE.exec(t);
  // after the leading field (minutes, or hours with days) come minutes and seconds: under 60
  const ok = !!m
    && [m[3], m[4]].every((f) => f === undefined || Number(f) < 60)
    && m.slice(1).some((f) => f !== undefined && Number(f) > 0);
  if (!ok) {
    throw new BatchOptionError(`--time '${text}' is not a SLURM time limit: use minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (non-zero, minutes and seconds under 60)`, '--time');
  }
  return t;
}

const MAIL_TYPES = ['NONE', 'BEGIN', 'END', 'FAIL', 'REQUEUE', 'ALL', 'INVALID_DEPEND', 'STAGE_OUT', 'TIME_LIMIT', 'TIME_LIMIT_90', 'TIME_LIMIT_80', 'TIME_LIMIT_50', 'ARRAY_TASKS'];

/** `END,FAIL` style list, upper-cased; unknown words are an error listing the known ones. */
export function validateMailType(text: string): string {
  const words = text.split(',').map((w) => w.trim().toUpperCase());
  const bad = words.filter((w) => !MAIL_TYPES.includes(w));
  if (bad.length) throw new BatchOptionError(`--mail-type: unknown event(s) ${bad.join(', ')}; known: ${MAIL_TYPES.join(', ')}`, '--mail-type');
  return words.join(',');
}

/** Job ids `--after` accepts: SLURM ids (12, 12_3) of this cluster. */
export function validateJobId(text: string): string {
  if (!/^\d+(_\d+)?$/.test(text.trim())) throw new BatchOptionError(`--after expects a SLURM job id such as 1234, got '${text}'`, '--after');
  return text.trim();
}

/** Job names go into file names and #SBATCH lines: keep them to a safe alphabet. */
export function jobNameFor(notebook: string, explicit?: string): string {
  const base = explicit ?? `scs-${notebook.replace(/^.*\//, '').replace(/\.ipynb$/, '')}`;
  const safe = base.replace(/[^A-Za-z0-9._-]/g, '_');
  if (!safe) throw new BatchOptionError(`--job-name '${explicit}' has no usable characters`, '--job-name');
  return safe;
}

/**
 * Output notebook name for a task: `{value}` is the array value, `{key}` the
 * array parameter, `{task}` the task index, `{notebook}` the input's base name.
 */
export function outputNameFor(pattern: string, fields: { value?: string; key?: string; task?: number; notebook: string }): string {
  const name = pattern.replace(/\{(value|key|task|notebook)\}/g, (_m, f: string) => {
    const v = (fields as Record<string, unknown>)[f];
    if (v === undefined) throw new BatchOptionError(`--output-name '${pattern}' uses {${f}}, which only exists for --array jobs`, '--output-name');
    return String(v);
  });
  if (name.includes('/') || name === '' || name.startsWith('.')) {
    throw new BatchOptionError(`--output-name '${pattern}' must give a plain file name inside --output-dir, got '${name}'`, '--output-name');
  }
  return name;
}
