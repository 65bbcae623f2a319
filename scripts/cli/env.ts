/**
 * `scs env create|activate|list|remove|proposal-path`: proposal environments
 * (environments/). `scs-create-toolbox-env` and `scs-activate-toolbox-kernel`
 * are the Python-era names for the first two (environments/bin/).
 */
import type { Command } from 'commander';
import {
  activateKernel, createEnvironment, dataRoot, environmentLayout, findProposalPath, listEnvironments, removeEnvironment,
} from '../../environments/index.js';

interface CreateFlags {
  proposal: string; version?: string; identifier?: string; repository?: string; tarball?: string; offline?: boolean; npmCache?: string;
}

export function registerEnvCreate(cmd: Command): Command {
  return cmd
    .description('create a proposal environment: <proposal>/scratch/checkouts/toolbox_<id> (git checkout of the toolbox), '
      + 'scratch/envs/toolbox_<id> (its dependencies) and the kernelspec toolbox_<id> "SCS Toolbox (p00XXXX)"')
    .requiredOption('--proposal <number>', 'proposal number (2719, 002719 or p002719), found under $EXFEL_DATA_ROOT')
    .option('--version <tag|commit>', 'toolbox version to check out (default: HEAD of the repository)')
    .option('--identifier <id>', 'environment name suffix (default p<6-digit proposal>)')
    .option('--repository <path|url>', 'toolbox git repository (default: the one this toolbox runs from)')
    .option('--tarball <file>', "the toolbox from an 'npm pack' tarball instead of the git repository (committed as v<version> in a new repository)")
    .option('--offline', 'install only from the npm cache (npm ci --offline); default --prefer-offline')
    .option('--npm-cache <dir>', 'npm cache folder to install from')
    .action(async (o: CreateFlags) => {
      const env = await createEnvironment({ ...o, log: (line) => console.log(line) });
      console.log(`created ${env.name} (${env.version} = ${env.commit.slice(0, 12)}): checkout ${env.checkout}, env ${env.env}`);
      console.log(`activate the kernel with: scs-activate-toolbox-kernel --proposal ${o.proposal}${o.identifier ? ` --identifier ${o.identifier}` : ''}`);
    });
}

export function registerEnvActivate(cmd: Command): Command {
  return cmd
    .description("install the proposal environment's kernelspec toolbox_<id> for the current user")
    .requiredOption('--proposal <number>', 'proposal number')
    .option('--identifier <id>', 'environment name suffix (default p<6-digit proposal>)')
    .action(async (o: { proposal: string; identifier?: string }) => {
      const layout = environmentLayout(findProposalPath(o.proposal), o.proposal, o.identifier);
      console.log(`installed kernelspec ${layout.name} ("${layout.displayName}") in ${await activateKernel(layout)}`);
    });
}

export function registerEnv(program: Command): void {
  const env = program.command('env').description('proposal environments: a frozen, editable toolbox per proposal with its own kernel');
  registerEnvCreate(env.command('create'));
  registerEnvActivate(env.command('activate'));

  env.command('list')
    .description("environments, their versions and whether their kernel is activated: of one proposal, "
      + 'or without --proposal of every proposal under $EXFEL_DATA_ROOT')
    .option('--proposal <number>', 'proposal number (default: all proposals)')
    .option('--json', 'print JSON')
    .action((o: { proposal?: string; json?: boolean }) => {
      const envs = listEnvironments(o.proposal);
      if (o.json) {
        console.log(JSON.stringify(envs, null, 2));
      } else if (!envs.length) {
        console.log(o.proposal ? `no environments in ${findProposalPath(o.proposal)}/scratch` : `no environments under ${dataRoot()}`);
      } else {
        for (const e of envs) {
          const parts = [!e.hasCheckout && 'checkout missing', !e.hasEnv && 'env missing', e.activated && 'kernel activated'].filter(Boolean);
          console.log(`${e.name}  ${e.version}  ${e.checkout}${parts.length ? `  (${parts.join(', ')})` : ''}`);
        }
      }
    });

  env.command('remove')
    .description("remove a proposal environment: checkout, env and the user's kernelspec when it runs that checkout")
    .requiredOption('--proposal <number>', 'proposal number')
    .option('--identifier <id>', 'environment name suffix (default p<6-digit proposal>)')
    .action((o: { proposal: string; identifier?: string }) => {
      const r = removeEnvironment(o.proposal, o.identifier);
      for (const dir of r.removed) console.log(`removed ${dir}`);
    });

  env.command('proposal-path')
    .description("print a proposal's folder, <EXFEL_DATA_ROOT>/<instrument>/<cycle>/p<6 digits> (like findxfel)")
    .argument('<proposal>', 'proposal number')
    .action((proposal: string) => {
      console.log(findProposalPath(proposal));
    });
}
