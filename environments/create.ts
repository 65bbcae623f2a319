/**
 * `scs-create-toolbox-env`: a proposal's frozen toolbox. Everything is made
 * in an order that can be undone: on any failure the folders this call
 * created are removed again, so a proposal never holds half an environment.
 * SIGINT and SIGTERM count as failures: the running step is killed, the
 * folders removed, and the creation rejects saying which signal stopped it.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { ToolBoxError, ToolBoxPathError, ToolBoxValueError } from '../toolbox/errors.js';
import { packageRoot } from '../kernel/kernelspec.js';
import { cloneAt, resolveVersion } from './git.js';
import { buildCheckout, installDependencies, type InstallOptions } from './install.js';
import { writeEnvironmentKernelSpec } from './kernel.js';
import { environmentLayout, type EnvironmentLayout } from './layout.js';
import { findProposalPath } from './proposal.js';
import { checkTarball, unpackTarball } from './tarball.js';

export interface CreateOptions extends InstallOptions {
  proposal: string | number;
  /** Tag, branch or commit of the toolbox repository; default its HEAD. */
  version?: string;
  /** Default p<6-digit proposal>, giving toolbox_p002719. */
  identifier?: string;
  /** The toolbox git repository to clone (a path or URL); default the repository this toolbox runs from. */
  repository?: string;
  /** An `npm pack` tarball of the toolbox to unpack instead of cloning (no --version or --repository then). */
  tarball?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface CreatedEnvironment extends EnvironmentLayout {
  commit: string;
  version: string;
  /** env/share/jupyter/kernels/toolbox_<id>. */
  kernelSpecDir: string;
}

/** mkdir -p that says which folder it created first (undefined when all existed), for the undo. */
function makeDirs(dir: string): string | undefined {
  return mkdirSync(dir, { recursive: true }) ?? undefined;
}

export async function createEnvironment(opts: CreateOptions): Promise<CreatedEnvironment> {
  const log = opts.log ?? (() => {});
  const proposalPath = findProposalPath(opts.proposal);
  const layout = environmentLayout(proposalPath, opts.proposal, opts.identifier);
  for (const dir of [layout.checkout, layout.env]) {
    if (existsSync(dir)) {
      throw new ToolBoxPathError(`environment ${layout.name} already exists: ${dir} is there (remove it with 'scs env remove --proposal ${opts.proposal} --identifier ${layout.identifier}', or choose another --identifier)`, dir);
    }
  }
  if (opts.tarball && (opts.version || opts.repository)) {
    throw new ToolBoxValueError('--tarball replaces --version and --repository: the tarball is the version');
  }
  const tarball = opts.tarball && checkTarball(opts.tarball);
  const repository = opts.repository ?? packageRoot();
  let version = opts.version ?? 'HEAD';
  let commit = tarball ? '' : resolveVersion(repository, version);

  const made: string[] = [];
  const abort = new AbortController();
  let stoppedBy: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    stoppedBy = signal;
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const step = { signal: abort.signal };
  const checkSignal = () => {
    if (stoppedBy) throw new ToolBoxError(`creation of ${layout.name} stopped by ${stoppedBy}; removed what it had made`);
  };
  try {
    const checkoutsParent = makeDirs(dirname(layout.checkout));
    if (checkoutsParent) made.push(checkoutsParent);
    made.push(layout.checkout);
    if (tarball) {
      log(`unpacking ${tarball} into ${layout.checkout}`);
      mkdirSync(layout.checkout);
      ({ commit, version } = await unpackTarball(tarball, layout.checkout, step));
    } else {
      log(`cloning ${repository} at ${version} (${commit.slice(0, 12)}) into ${layout.checkout}`);
      await cloneAt(repository, layout.checkout, commit, step);
    }
    checkSignal();
    const envsParent = makeDirs(layout.env);
    made.push(envsParent ?? layout.env);
    log(`installing dependencies into ${layout.env}`);
    await installDependencies(layout.checkout, layout.env, { ...opts, ...step });
    checkSignal();
    log(`compiling ${layout.checkout}`);
    await buildCheckout(layout.checkout, step);
    checkSignal();
    const kernelSpecDir = await writeEnvironmentKernelSpec(layout, step);
    checkSignal();
    log(`kernelspec ${layout.name} ("${layout.displayName}") written to ${kernelSpecDir}`);
    return { ...layout, commit, version, kernelSpecDir };
  } catch (err) {
    // newest first: the env and checkout before the parents made for them
    for (const dir of made.reverse()) rmSync(dir, { recursive: true, force: true });
    checkSignal();
    throw err;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
