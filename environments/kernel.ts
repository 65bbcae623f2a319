/**
 * The environment's kernelspec `toolbox_<id>`. It is written by the
 * checkout's own `scs kernel install`, so argv, logos and metadata all point
 * at the checkout (its compiled kernel, which resolves its packages through
 * the checkout's node_modules link into the env), never at the toolbox
 * installation that created the environment.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { ToolBoxPathError } from '../toolbox/errors.js';
import type { KernelSpecJson } from '../kernel/kernelspec.js';
import { userDataDir } from '../protocol/index.js';
import { type CommandOptions, mustRun } from './command.js';
import type { EnvironmentLayout } from './layout.js';

/** The checkout's compiled `scs` command. */
export function checkoutCli(layout: EnvironmentLayout): string {
  return join(layout.checkout, 'dist', 'scripts', 'scs.js');
}

async function installWithCheckout(layout: EnvironmentLayout, where: string[], opts: CommandOptions = {}): Promise<void> {
  const cli = checkoutCli(layout);
  if (!existsSync(cli)) {
    throw new ToolBoxPathError(`${cli} is missing: the checkout of ${layout.name} is not built (run 'npm run build' in ${layout.checkout})`, cli);
  }
  await mustRun(`installing the kernelspec ${layout.name}`, process.execPath,
    [cli, 'kernel', 'install', layout.name, '--display-name', layout.displayName, ...where], opts);
}

/** Writes env/share/jupyter/kernels/toolbox_<id>: the spec travels with the environment. */
export async function writeEnvironmentKernelSpec(layout: EnvironmentLayout, opts: CommandOptions = {}): Promise<string> {
  await installWithCheckout(layout, ['--prefix', layout.env], opts);
  return join(layout.kernelPrefix, 'kernels', layout.name);
}

/** The kernelspec toolbox_<id> in the user's Jupyter data dir, if it is there. */
export function userKernelSpec(layout: EnvironmentLayout, env: NodeJS.ProcessEnv = process.env): { dir: string; spec: KernelSpecJson } | undefined {
  const dir = join(userDataDir(env), 'kernels', layout.name);
  try {
    return { dir, spec: JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8')) as KernelSpecJson };
  } catch {
    return undefined;
  }
}

/** Whether an installed spec runs this environment's checkout (and not another version's). */
export function specBelongsTo(spec: KernelSpecJson, layout: EnvironmentLayout): boolean {
  const real = (p: string) => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const path = spec.metadata?.scs_toolbox?.path;
  return !!path && real(path) === real(layout.checkout);
}

/** Installs toolbox_<id> for the current user (JUPYTER_DATA_DIR or ~/.local/share/jupyter). */
export async function activateKernel(layout: EnvironmentLayout): Promise<string> {
  if (!existsSync(layout.checkout) || !existsSync(layout.env)) {
    throw new ToolBoxPathError(`no environment ${layout.name} in ${layout.proposalPath}/scratch (create it with scs-create-toolbox-env)`, layout.env);
  }
  await installWithCheckout(layout, ['--user']);
  return join(userDataDir(), 'kernels', layout.name);
}
