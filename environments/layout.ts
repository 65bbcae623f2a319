/**
 * The folders of a proposal environment, in one place so create, activate,
 * list and remove agree: the checkout and the installed dependencies live in
 * the proposal's scratch folder, next to each other.
 */
import { join } from 'node:path';
import { ToolBoxValueError } from '../toolbox/errors.js';
import { proposalFolderName } from './proposal.js';

export interface EnvironmentLayout {
  proposalPath: string;
  /** 'p002719' unless given. */
  identifier: string;
  /** toolbox_<identifier>: the folder names and the kernel name. */
  name: string;
  /** <proposal>/scratch/checkouts/toolbox_<id>: a git checkout of the toolbox, editable. */
  checkout: string;
  /** <proposal>/scratch/envs/toolbox_<id>: node_modules of that checkout, and its kernelspec under share/jupyter. */
  env: string;
  /** env/share/jupyter: the kernelspec prefix (what `scs kernel install --prefix env` writes). */
  kernelPrefix: string;
  /** Launcher name, "SCS Toolbox (p002719)". */
  displayName: string;
}

const IDENTIFIER = /^[A-Za-z0-9._-]+$/;

export function environmentLayout(proposalPath: string, proposal: string | number, identifier?: string): EnvironmentLayout {
  const folder = proposalFolderName(proposal);
  const id = identifier ?? folder;
  // the identifier ends up in a kernel name, so Jupyter's rule for names applies
  if (!IDENTIFIER.test(id)) {
    throw new ToolBoxValueError(`invalid identifier '${id}': use only letters, digits, '.', '_' and '-' (it becomes the kernel name toolbox_<id>)`);
  }
  const name = `toolbox_${id}`.toLowerCase();
  const env = join(proposalPath, 'scratch', 'envs', name);
  return {
    proposalPath,
    identifier: id,
    name,
    checkout: join(proposalPath, 'scratch', 'checkouts', name),
    env,
    kernelPrefix: join(env, 'share', 'jupyter'),
    displayName: `SCS Toolbox (${folder})`,
  };
}
