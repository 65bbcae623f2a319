/**
 * papermill's `-p NAME VALUE` / `-r NAME VALUE` take two words, which
 * commander cannot express: the pair is folded into one JSON word before
 * commander parses (so a VALUE such as `-5` or `--x` is still a value, as
 * with click's nargs=2). Shared by `scs run` and `scs submit`.
 */
import { Command, InvalidArgumentError } from 'commander';

const PAIR_OPTIONS = new Map([['-p', '--parameters'], ['--parameters', '--parameters'], ['-r', '--parameters_raw'], ['--parameters_raw', '--parameters_raw']]);

export class PairOptionsCommand extends Command {
  override parseOptions(args: string[]): { operands: string[]; unknown: string[] } {
    const folded: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const long = PAIR_OPTIONS.get(args[i]);
      if (args[i] === '--') {
        folded.push(...args.slice(i));
        break;
      }
      if (!long) {
        folded.push(args[i]);
        continue;
      }
      if (i + 2 >= args.length) this.error(`error: option '${args[i]}' needs NAME VALUE`);
      folded.push(long, JSON.stringify([args[i + 1], args[i + 2]]));
      i += 2;
    }
    return super.parseOptions(folded);
  }
}

/** commander argument parser of a folded pair (repeatable). */
export const pair = (v: string, acc: [string, string][] = []): [string, string][] => {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch { /* not folded: `--parameters=x` */ }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidArgumentError('expects two words: NAME VALUE');
  return [...acc, parsed as [string, string]];
};

/** commander argument parser of a repeatable option. */
export const many = (v: string, acc: string[] = []): string[] => [...acc, v];

/** papermill's -p/-r/-f/-y, declared alike by every command that passes parameters to a notebook (scs run, scs submit). */
export function addParameterOptions<C extends Command>(cmd: C, parametersHelp: string): C {
  return cmd
    .option('-p, --parameters <name value>', parametersHelp, pair)
    .option('-r, --parameters_raw <name value>', 'parameter NAME VALUE kept as a string; repeatable', pair)
    .option('-f, --parameters_file <path>', 'YAML or JSON file of parameters; repeatable', many)
    .option('-y, --parameters_yaml <yaml>', 'inline YAML of parameters; repeatable', many);
}
