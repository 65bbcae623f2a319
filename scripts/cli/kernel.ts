import type { Command } from 'commander';
import { ToolBoxValueError } from 'scs-toolbox';
import {
  DEFAULT_KERNEL_NAME, type SpecLocation, installKernelSpec, jupyterPath, listKernelSpecs, removeKernelSpec,
} from '../../kernel/kernelspec.js';

interface LocationOpts { user?: boolean; prefix?: string; sysPrefix?: boolean }

function location(o: LocationOpts): SpecLocation | undefined {
  const chosen = [o.user && '--user', o.prefix !== undefined && '--prefix', o.sysPrefix && '--sys-prefix'].filter(Boolean);
  if (chosen.length > 1) throw new ToolBoxValueError(`choose one of --user, --prefix and --sys-prefix, got ${chosen.join(' and ')}`);
  if (o.prefix !== undefined) return { prefix: o.prefix };
  if (o.sysPrefix) return { sysPrefix: true };
  if (o.user) return { user: true };
  return undefined;
}

/** `KEY=VALUE`, repeatable. */
function envPair(v: string, acc: Record<string, string> = {}): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ToolBoxValueError(`--env expects KEY=VALUE, got '${v}'`);
  acc[v.slice(0, eq)] = v.slice(eq + 1);
  return acc;
}

function withLocationOptions(cmd: Command): Command {
  return cmd
    .option('--user', "the user's Jupyter data dir ($JUPYTER_DATA_DIR or ~/.local/share/jupyter)")
    .option('--prefix <dir>', 'DIR/share/jupyter (JUPYTER_PATH=DIR/share/jupyter finds it)')
    .option('--sys-prefix', 'the active Python environment, as its Jupyter sees it: $VIRTUAL_ENV/share/jupyter, else $CONDA_PREFIX/share/jupyter, else /usr/share/jupyter');
}

export function registerKernel(program: Command): void {
  const kernel = program.command('kernel').description('Jupyter kernelspecs for the TypeScript kernel with the toolbox preloaded as tb');

  withLocationOptions(kernel.command('install')
    .description('write a kernelspec (kernel.json + logos) starting this kernel with this toolbox version')
    .argument('[name]', `kernel name (default '${DEFAULT_KERNEL_NAME}'; e.g. toolbox_2719 for a proposal)`)
    .option('--name <name>', 'kernel name, same as the argument')
    .option('--display-name <text>', 'name shown in the launcher (default "TypeScript (SCS ToolBox <version>)")')
    .option('--env <KEY=VALUE>', 'environment variable for the kernel (repeatable)', envPair)
    .option('--no-snapshot', "do not build the kernel's startup snapshot now (the first kernel started builds it in the background)"))
    .action((nameArg: string | undefined, o: LocationOpts & { name?: string; displayName?: string; env?: Record<string, string>; snapshot?: boolean }) => {
      if (nameArg && o.name && nameArg !== o.name) throw new ToolBoxValueError(`two kernel names given: '${nameArg}' and --name '${o.name}'`);
      const r = installKernelSpec({ name: o.name ?? nameArg, displayName: o.displayName, env: o.env, location: location(o), snapshot: o.snapshot !== false });
      console.log(`installed kernelspec '${r.name}' (${r.spec.display_name}) in ${r.dir}`);
      if (r.snapshot) console.log(r.snapshot);
    });

  kernel.command('list')
    .description('SCS ToolBox kernelspecs on the Jupyter data path')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) => {
      const specs = listKernelSpecs();
      if (o.json) {
        console.log(JSON.stringify(specs.map((s) => ({ name: s.name, dir: s.dir, ...s.spec.metadata?.scs_toolbox })), null, 2));
        return;
      }
      if (!specs.length) {
        console.log(`no SCS ToolBox kernelspecs in ${jupyterPath().join(', ')}`);
        return;
      }
      const width = Math.max(...specs.map((s) => s.name.length));
      for (const s of specs) {
        const tb = s.spec.metadata?.scs_toolbox;
        console.log(`${s.name.padEnd(width)}  ${s.dir}  toolbox ${tb?.version} (${tb?.path})`);
      }
    });

  withLocationOptions(kernel.command('remove')
    .description('remove an SCS ToolBox kernelspec (the one Jupyter would use, unless a location is given)')
    .argument('<name>', 'kernel name'))
    .action((name: string, o: LocationOpts) => {
      console.log(`removed ${removeKernelSpec(name, location(o))}`);
    });
}
