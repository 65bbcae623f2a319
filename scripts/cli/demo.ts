/**
 * `scs demo` (`npm start`): the command line over the demo workflow
 * (workflows/demo.ts), which gets our kernel installed under the demo folder
 * from here.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { installKernelSpec } from '../../kernel/kernelspec.js';
import { type DemoOptions, runDemo } from 'scs-toolbox/workflows';

const int = (v: string): number => {
  if (!/^[1-9]\d*$/.test(v)) throw new InvalidArgumentError('expects a positive integer');
  return Number(v);
};
const pixels = (v: string): [number, number] => {
  const p = v.split(',').map(int);
  if (p.length !== 2) throw new InvalidArgumentError('expects SLOW,FAST, e.g. 32,64');
  return [p[0], p[1]];
};

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('bin a synthetic DSSC delay scan end to end (binning notebooks for 4 module groups, then the summary) and compare the recovered pump-probe signal with the truth')
    .option('-o, --out <dir>', 'output folder: new, empty, or an earlier demo\'s (its data/, kernel/ and results/ are replaced)', 'demo-output')
    .option('-s, --seed <n>', 'random seed of the synthetic runs', int, 1)
    .option('--trains <n>', 'trains per run', int, 40)
    .option('--frames <n>', 'DSSC frames per train', int, 8)
    .option('--pixels <slow,fast>', 'pixels of a DSSC module (real: 128,512)', pixels, [32, 64] as [number, number])
    .option('--local', 'run the notebooks as local background jobs even when a SLURM cluster answers')
    .action(async (opts: Omit<DemoOptions, 'installKernel'>) => {
      const { ok } = await runDemo({ ...opts, installKernel });
      if (!ok) process.exitCode = 1;
    });
}

function installKernel(name: string, prefix: string): string {
  return installKernelSpec({ name, location: { prefix }, displayName: 'TypeScript (SCS ToolBox demo)' }).dir;
}
