#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1 node
/**
 * `scs`: the command-line entry point. Each subcommand lives in scripts/cli/
 * as a thin shell over the libraries; this file only wires them together and
 * reports any failure (scripts/cli/failure.ts) as one readable line and an exit code.
 */
import { Command } from 'commander';
import { registerBinDssc } from './cli/bin-dssc.js';
import { registerDemo } from './cli/demo.js';
import { reportFailure } from './cli/failure.js';
import { registerJobs } from './cli/jobs.js';
import { registerEnv } from './cli/env.js';
import { registerKernel } from './cli/kernel.js';
import { registerMockRun } from './cli/mock-run.js';
import { registerRun } from './cli/run.js';
import { registerRunInfo } from './cli/run-info.js';
import { registerSubmit } from './cli/submit.js';
import { toolboxVersion } from './cli/version.js';

export function buildProgram(): Command {
  const program = new Command('scs')
    .description('SCS ToolBox for TypeScript: analysis of European XFEL SCS data')
    .version(toolboxVersion(), '-V, --version')
    // program options only before the subcommand: `scs env create --version V` is the subcommand's
    .enablePositionalOptions()
    .showHelpAfterError();
  registerBinDssc(program);
  registerDemo(program);
  registerEnv(program);
  registerKernel(program);
  registerMockRun(program);
  registerRun(program);
  registerRunInfo(program);
  registerSubmit(program);
  registerJobs(program);
  return program;
}

export async function main(argv: string[] = process.argv): Promise<void> {
  const program = buildProgram();
  let running: Command | undefined;
  program.hook('preAction', (_program, actionCommand) => { running = actionCommand; });
  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = reportFailure(err, running);
  }
}

if (require.main === module) void main();
