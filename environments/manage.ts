/**
 * Listing and removing proposal environments. An environment is the pair of
 * folders scratch/checkouts/toolbox_<id> and scratch/envs/toolbox_<id>;
 * either one alone (a remove interrupted by hand) is still listed, so it can
 * be removed.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { ToolBoxPathError } from '../toolbox/errors.js';
import { removeKernelSpec } from '../kernel/kernelspec.js';
import { describeCheckout } from './git.js';
import { specBelongsTo, userKernelSpec } from './kernel.js';
import { environmentLayout, type EnvironmentLayout } from './layout.js';
import { allProposalPaths, findProposalPath } from './proposal.js';

export interface EnvironmentInfo extends EnvironmentLayout {
  /** git describe of the checkout ('missing' without one). */
  version: string;
  hasCheckout: boolean;
  hasEnv: boolean;
  /** The user's kernelspec toolbox_<id> runs this checkout. */
  activated: boolean;
}

function names(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => n.startsWith('toolbox_'));
  } catch {
    return [];
  }
}

export function describeEnvironment(layout: EnvironmentLayout): EnvironmentInfo {
  const hasCheckout = existsSync(layout.checkout);
  const spec = userKernelSpec(layout);
  return {
    ...layout,
    version: hasCheckout ? describeCheckout(layout.checkout) : 'missing',
    hasCheckout,
    hasEnv: existsSync(layout.env),
    activated: !!spec && specBelongsTo(spec.spec, layout),
  };
}

function environmentsIn(proposalPath: string, proposal: string | number): EnvironmentInfo[] {
  const found = new Set([...names(join(proposalPath, 'scratch', 'checkouts')), ...names(join(proposalPath, 'scratch', 'envs'))]);
  return [...found].sort().map((name) => describeEnvironment(environmentLayout(proposalPath, proposal, name.slice('toolbox_'.length))));
}

/** The environments of one proposal, or without one those of every proposal under EXFEL_DATA_ROOT. */
export function listEnvironments(proposal?: string | number): EnvironmentInfo[] {
  if (proposal !== undefined) return environmentsIn(findProposalPath(proposal), proposal);
  return allProposalPaths().flatMap((path) => environmentsIn(path, basename(path)));
}

export interface RemovedEnvironment {
  layout: EnvironmentLayout;
  removed: string[];
}

/** Removes the checkout, the env and the user's kernelspec toolbox_<id> when it runs this checkout. */
export function removeEnvironment(proposal: string | number, identifier?: string): RemovedEnvironment {
  const layout = environmentLayout(findProposalPath(proposal), proposal, identifier);
  const info = describeEnvironment(layout);
  if (!info.hasCheckout && !info.hasEnv) {
    throw new ToolBoxPathError(`no environment ${layout.name} in ${join(layout.proposalPath, 'scratch')} (neither ${layout.checkout} nor ${layout.env} exists)`, layout.env);
  }
  const removed: string[] = [];
  // the kernelspec first: a spec left pointing at a deleted checkout would fail at every start
  if (info.activated) removed.push(removeKernelSpec(layout.name, { user: true }));
  for (const dir of [layout.checkout, layout.env]) {
    if (!existsSync(dir)) continue;
    rmSync(dir, { recursive: true, force: true });
    removed.push(dir);
  }
  return { layout, removed };
}
