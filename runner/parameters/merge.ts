/**
 * papermill's parameter merge order: injected paths, then -b, -f, -y, -p, -r,
 * later sources overriding earlier ones ("last wins", also between two values
 * of different types: only the final value is checked). Each value remembers where it came
 * from and, for -p/-r, the text as typed, so typed parameters can convert the
 * text itself (`-p tag 0179` stays "0179" when `tag` is declared a string).
 */
import { decodeBase64Parameters, parseYamlParameters, readParametersFile } from './yaml.js';
import { resolvePapermillValue } from './resolve.js';

export type ParameterSource = 'path' | 'base64' | 'file' | 'yaml' | 'cli' | 'raw' | 'api';

export interface GivenParameter {
  value: unknown;
  source: ParameterSource;
  /** the command-line text for -p and -r */
  text?: string;
}

export interface ParameterInputs {
  injectInputPath?: string;
  injectOutputPath?: string;
  base64?: string[];
  files?: string[];
  yaml?: string[];
  /** -p NAME VALUE, in order */
  cli?: [string, string][];
  /** -r NAME VALUE, in order */
  raw?: [string, string][];
  /** library callers: already-typed values, applied last */
  values?: Record<string, unknown>;
}

export function mergeParameters(inputs: ParameterInputs): Map<string, GivenParameter> {
  const out = new Map<string, GivenParameter>();
  // Python's dict.update: a later value replaces an earlier one (whatever its type) in its
  // first position; only the final value is typed against the parameters cell.
  const put = (name: string, p: GivenParameter) => {
    out.set(name, p);
  };
  if (inputs.injectInputPath !== undefined) put('PAPERMILL_INPUT_PATH', { value: inputs.injectInputPath, source: 'path' });
  if (inputs.injectOutputPath !== undefined) put('PAPERMILL_OUTPUT_PATH', { value: inputs.injectOutputPath, source: 'path' });
  for (const b of inputs.base64 ?? []) for (const [k, v] of Object.entries(decodeBase64Parameters(b))) put(k, { value: v, source: 'base64' });
  for (const f of inputs.files ?? []) for (const [k, v] of Object.entries(readParametersFile(f))) put(k, { value: v, source: 'file' });
  for (const y of inputs.yaml ?? []) for (const [k, v] of Object.entries(parseYamlParameters(y, '--parameters_yaml value'))) put(k, { value: v, source: 'yaml' });
  for (const [k, text] of inputs.cli ?? []) put(k, { value: resolvePapermillValue(text), source: 'cli', text });
  for (const [k, text] of inputs.raw ?? []) put(k, { value: text, source: 'raw', text });
  for (const [k, v] of Object.entries(inputs.values ?? {})) put(k, { value: v, source: 'api' });
  return out;
}

const SOURCE_FLAG: Record<ParameterSource, string> = {
  path: '--inject-paths', base64: '-b', file: '-f', yaml: '-y', cli: '-p', raw: '-r', api: 'the API',
};

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return 'list';
  return typeof v === 'object' ? 'mapping' : typeof v;
}

export function describeGiven(p: GivenParameter): string {
  const shown = p.text !== undefined ? JSON.stringify(p.text) : JSON.stringify(p.value);
  return `${kindOf(p.value)} ${shown} (${SOURCE_FLAG[p.source]})`;
}
