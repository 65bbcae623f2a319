/**
 * --help-notebook: the parameters a notebook declares, like papermill's
 * display of inferred parameters (name, type, default, comment).
 */
import type { DeclaredParameter } from './declared.js';

export function formatNotebookHelp(notebookPath: string, declared: DeclaredParameter[]): string {
  const lines = [`Usage: scs run [OPTIONS] ${notebookPath} [OUTPUT]`, '', `Parameters inferred for notebook '${notebookPath}':`];
  if (!declared.length) {
    lines.push("\n  Can't infer anything about this notebook's parameters. It may not have any parameter defined.");
    return lines.join('\n');
  }
  const width = Math.max(...declared.map((d) => `${d.name}: ${d.typeText}`.length));
  for (const d of declared) {
    const head = `${d.name}: ${d.typeText}`.padEnd(width);
    lines.push(`  ${head}  (default ${d.defaultText.replace(/\s*\n\s*/g, ' ')})${d.comment ? `  ${d.comment}` : ''}`);
  }
  return lines.join('\n');
}
