import type { Command } from 'commander';
import { resolve } from 'node:path';
import { runDemo } from '../../toolbox/synthetic/demo.js';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a small synthetic binned DSSC dataset, save it as per-module HDF5 files, reload and summarise it')
    .option('-o, --out <dir>', 'output folder', 'demo-output')
    .option('-m, --modules <n>', 'number of DSSC modules', (v) => parseInt(v, 10), 4)
    .option('-s, --seed <n>', 'random seed', (v) => parseInt(v, 10), 1)
    .action(async (opts: { out: string; modules: number; seed: number }) => {
      await runDemo({ outDir: resolve(opts.out), modules: opts.modules, seed: opts.seed, log: (s) => console.log(s) });
    });
}
