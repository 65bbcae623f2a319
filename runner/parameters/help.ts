/**
 * --help-notebook: the parameters a notebook declares, laid out exactly as
 * papermill lays out its inferred parameters, so its users read the same
 * text: a usage line, a blank line, the header, then one line per parameter,
 * `  name: type (default value)` with the help in a column at 34 characters
 * (on the next line when the definition is longer than 30). An unknown type
 * reads "Unknown type"; a multi-line default is joined without its line
 * breaks and inner comments; definitions papermill cannot inspect are left out.
 */
import type { DeclaredParameter } from './declared.js';

export const HELP_USAGE = 'Usage: scs run [OPTIONS] INPUT [OUTPUT]';

const HELP_COLUMN = 34;
const LONGEST_INLINE = 30;

/** Python's len(): code points, not UTF-16 units. */
const width = (s: string): number => Array.from(s).length;

/** A default written over several lines, as one line: each line trimmed, then joined. */
export function flattenDefault(text: string): string {
  return text.split('\n').map((l) => l.trim()).filter(Boolean).join('');
}

/** One parameter's line(s). */
export function formatParameterHelp(d: Pick<DeclaredParameter, 'name' | 'inferredTypeName' | 'annotation' | 'defaultText' | 'comment'>): string {
  const name = d.inferredTypeName ?? d.annotation ?? 'None';
  const type = name === 'None' ? 'Unknown type' : name;
  const definition = `  ${d.name}: ${type} (default ${flattenDefault(d.defaultText)})`;
  const help = d.comment ?? '';
  if (width(definition) > LONGEST_INLINE) return help ? `${definition}\n${' '.repeat(HELP_COLUMN)}${help}` : definition;
  return `${definition}${' '.repeat(HELP_COLUMN - width(definition))}${help}`;
}

/**
 * The whole text (without the final newline); `declared` is undefined when the
 * notebook has no `parameters` cell, empty when nothing could be read from it.
 */
export function formatNotebookHelp(notebookPath: string, declared: DeclaredParameter[] | undefined, usage = HELP_USAGE): string {
  const lines = [usage, `\nParameters inferred for notebook '${notebookPath}':`];
  const shown = declared?.filter((d) => !d.notInspected);
  if (!shown) lines.push("\n  No cell tagged 'parameters'");
  else if (!shown.length) lines.push("\n  Can't infer anything about this notebook's parameters. It may not have any parameter defined.");
  else lines.push(...shown.map(formatParameterHelp));
  return lines.join('\n');
}
