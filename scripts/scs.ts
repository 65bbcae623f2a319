#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
/**
 * `scs`: the command-line entry point. Each subcommand lives in scripts/cli/
 * as a thin shell over the libraries; this file only wires them together and
 * reports any failure (scripts/cli/failure.ts) as one readable line and an exit code.
 *
 * Subcommands are loaded only when asked for: `scs run` starts its kernel before
 * `scs bin-dssc` would have finished loading the toolbox (docs/benchmarks.md, "PERF — runner").
 */
import { Command } from 'commander';
import { enableCompileCache } from './cli/compile-cache.js';
import { reportFailure } from './cli/failure.js';
import { toolboxVersion } from './cli/version.js';

type Register = (program: Command) => void;

/* eslint-disable @typescript-eslint/no-require-imports -- a synchronous load on demand; the types come from the modules */
const SUBCOMMANDS: [names: string[], load: () => Register][] = [
  [['bin-dssc'], () => (require('./cli/bin-dssc.js') as typeof import('./cli/bin-dssc.js')).registerBinDssc],
  [['demo'], () => (require('./cli/demo.js') as typeof import('./cli/demo.js')).registerDemo],
  [['env'], () => (require('./cli/env.js') as typeof import('./cli/env.js')).registerEnv],
  [['kernel'], () => (require('./cli/kernel.js') as typeof import('./cli/kernel.js')).registerKernel],
  [['mock-run'], () => (require('./cli/mock-run.js') as typeof import('./cli/mock-run.js')).registerMockRun],
  [['run'], () => (require('./cli/run.js') as typeof import('./cli/run.js')).registerRun],
  [['run-info'], () => (require('./cli/run-info.js') as typeof import('./cli/run-info.js')).registerRunInfo],
  [['submit'], () => (require('./cli/submit.js') as typeof import('./cli/submit.js')).registerSubmit],
  [['jobs', 'cancel'], () => (require('./cli/jobs.js') as typeof import('./cli/jobs.js')).registerJobs],
];
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * The program with every subcommand, or only `only`'s when it names one (the others' modules,
 * the toolbox among them, are then never loaded; help and errors for other words need them all).
 */
export function buildProgram(only?: string): Command {
  const program = new Command('scs')
    .description('SCS ToolBox for TypeScript: analysis of European XFEL SCS data')
    .version(toolboxVersion(), '-V, --version')
    // program options only before the subcommand: `scs env create --version V` is the subcommand's
    .enablePositionalOptions()
    .showHelpAfterError();
  const one = SUBCOMMANDS.find(([names]) => only !== undefined && names.includes(only));
  for (const [, load] of one ? [one] : SUBCOMMANDS) load()(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram(argv[2]);
  let running: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => { running = actionCommand; });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportFailure(err, running);
  }
}

if (require.main === module) {
  // before the subcommand's modules load (they are the bulk); importing this file does not turn it on
  enableCompileCache();
  void main();
}
