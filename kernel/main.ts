/**
 * The kernel process: `node kernel/main.js <connection_file>` (what the
 * kernelspec's argv runs). It checks the connection file, starts the io
 * thread (which answers kernel_info from then on), preloads the toolbox into
 * tslab, then serves requests until the frontend shuts it down.
 */
import Module from 'node:module';
import { join } from 'node:path';
import { Command } from 'commander';
import { readConnectionFile } from '../protocol/index.js';
import { startTransport } from './transport/index.js';
// Only what the io thread needs is loaded before it starts; the session (and with it the
// toolbox, ~0.2 s) is loaded while the thread binds its sockets.
import { kernelInfo, toolboxVersion } from './session/kernel-info.js';
import { tslabVersions } from './session/tslab.js';

// The kernel's own log lines go to the real stderr (the kernel log), never into a cell's output:
// the session replaces process.stderr.write for cells.
const stderrWrite = process.stderr.write.bind(process.stderr);
const log = (line: string) => void stderrWrite(`[scs-kernel] ${line}\n`);

/**
 * Node >= 22.1 can keep V8's compiled code of the modules it loads on disk (the session and the
 * toolbox, ~0.3 s of compiling otherwise); beside the startup snapshot when launch.sh named its
 * folder, else in Node's default place. Node 20 has no such cache: nothing happens there.
 */
function enableCompileCache(): void {
  const enable = (Module as unknown as { enableCompileCache?: (dir?: string) => unknown }).enableCompileCache;
  if (typeof enable !== 'function' || process.env.SCS_KERNEL_SNAPSHOT === 'off') return;
  const dir = process.env.SCS_KERNEL_SNAPSHOT_DIR;
  try {
    enable(dir ? join(dir, 'compile-cache') : undefined);
  } catch (err) {
    log(`no module compile cache: ${(err as Error).message}`);
  }
}

async function main(argv: string[]): Promise<void> {
  enableCompileCache();
  const program = new Command()
    .name('scs-kernel')
    .description('Jupyter kernel for TypeScript with the SCS ToolBox preloaded as `tb` (started by Jupyter from kernel.json)')
    .version(toolboxVersion())
    .argument('<connection_file>', 'the connection file Jupyter wrote (ports, key, transport)')
    .showHelpAfterError();
  program.parse(argv);
  const connectionFile = program.args[0]!;

  // Fail before anything starts when the file is missing or invalid.
  readConnectionFile(connectionFile);
  // The io thread starts first and answers kernel_info while this thread loads the compiler and
  // type-checks the preload (about a second): the frontend sees a live kernel at once, and
  // execute requests wait in order until the preload is done.
  // An interrupt before the session serves (a runner's timeout on the first cell, which waits for
  // the preload) finds no cell to stop; without a listener SIGINT would kill the kernel.
  const earlyInterrupt = () => log('interrupt while starting: no cell runs yet, ignored');
  process.on('SIGINT', earlyInterrupt);
  const info = kernelInfo(tslabVersions());
  const transport = startTransport({ connectionFile, kernelInfo: info });
  const { CellRunner, Session, installProcessGuards, loadTslab, maxOutputFromEnv, preload, preloadSource, tslabStart } = await import('./session/index.js');
  const { adoptedPreload, refreshSnapshotLater, startKind, warmTypeScript } = await import('./snapshot/snapshot.js');
  const tslab = loadTslab(warmTypeScript);
  // Cells run relative to the notebook folder, which Jupyter makes our cwd. The preload cell's
  // conversion, checked when the snapshot was built, is taken from it when its inputs still match.
  const adopted = adoptedPreload(tslab.expandShorthandProperties(preloadSource()));
  const runner = new CellRunner(tslab, process.cwd(), adopted);
  installProcessGuards();
  await preload(runner);
  const session = new Session({ transport: await transport, tslab, runner, kernelInfo: info, maxOutput: maxOutputFromEnv(), log });
  session.start();
  // While the client connects and asks for kernel_info (the io thread answers that), the compiler
  // takes in the preload's declarations; a request already waiting is served first.
  setImmediate(() => {
    const t0 = performance.now();
    if (runner.warmUp() && process.env.SCS_KERNEL_LOG_START) log(`compiler warmed up with the preload's declarations in ${(performance.now() - t0).toFixed(0)} ms`);
  });
  process.off('SIGINT', earlyInterrupt);
  if (process.env.SCS_KERNEL_LOG_START) log(`${tslabStart()}; preload ${adopted ? 'checked when the snapshot was built' : 'type-checked'}; ready ${performance.now().toFixed(0)} ms after process start`);
  if (startKind() !== 'warm') refreshSnapshotLater(log);
}

main(process.argv).catch((err: unknown) => {
  log(`cannot start the kernel: ${(err as Error)?.message ?? err}`);
  process.exit(1);
});
