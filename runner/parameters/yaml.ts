/**
 * YAML parameter sources (-f, -y, -b). papermill loads them with PyYAML's
 * safe loader minus the timestamp resolver so dates stay strings; the `yaml`
 * package's core schema has no timestamps at all, which gives the same
 * result for dates and JSON-compatible values.
 */
import { readFileSync } from 'node:fs';
import { ParameterError } from '../errors.js';

/** The `yaml` package, loaded on the first YAML source: most runs have none, and it is a good part of `scs run`'s start. */
export function yamlParse(): typeof import('yaml').parse {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a synchronous load on demand
  return (require('yaml') as typeof import('yaml')).parse;
}

/** Parses YAML text that must be a mapping (or empty); `origin` names the source in errors. */
export function parseYamlParameters(text: string, origin: string): Record<string, unknown> {
  let value: unknown;
  try {
    // PyYAML lets a repeated key replace the earlier one: last wins there too
    value = yamlParse()(text, { schema: 'core', uniqueKeys: false });
  } catch (err) {
    throw new ParameterError(`${origin} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ParameterError(`${origin} must be a YAML mapping of parameter names to values, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  return value as Record<string, unknown>;
}

export function readParametersFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ParameterError(`cannot read parameters file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message}`);
  }
  return parseYamlParameters(text, `parameters file ${path}`);
}

export function decodeBase64Parameters(b64: string): Record<string, unknown> {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  return parseYamlParameters(text, '--parameters_base64 value');
}
