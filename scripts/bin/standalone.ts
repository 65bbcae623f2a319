/**
 * Runs one `scs` subcommand as a command of its own (the Python-era names
 * scientists type: scs-create-toolbox-env, scs-activate-toolbox-kernel),
 * with the same one-line ToolBox error reporting as `scs`.
 */
import { Command } from 'commander';
import { ToolBoxError } from 'scs-toolbox';

export async function runStandalone(name: string, register: (cmd: Command) => Command, argv: string[] = process.argv): Promise<void> {
  try {
    await register(new Command(name).showHelpAfterError()).parseAsync(argv);
  } catch (err) {
    if (!(err instanceof ToolBoxError)) throw err;
    console.error(`${name}: ${err.name}: ${err.message}`);
    process.exitCode = 1;
  }
}
