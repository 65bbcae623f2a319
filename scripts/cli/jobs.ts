/**
 * `scs jobs [--watch]` (state, exit code, log and output notebook of each task
 * this tool submitted) and `scs cancel JOBID...`.
 */
import { Command } from 'commander';
import { TERMINAL_STATES, type TaskState, allRecords, cancelJobs, taskStates } from '../../runner/batch/index.js';

interface JobsCliOptions {
  outputDir?: string;
  watch?: boolean | string;
  json?: boolean;
  all?: boolean;
  limit: string;
}

/** One aligned table, one line per task. */
export function formatJobs(states: TaskState[]): string {
  const rows = [['JOBID', 'NAME', 'VALUE', 'STATE', 'EXIT', 'OUTPUT', 'LOG']];
  for (const t of states) {
    const exit = t.exitCode !== null ? String(t.exitCode) : t.signal !== null ? `sig${t.signal}` : '-';
    const state = t.reason && !TERMINAL_STATES.has(t.state) ? `${t.state}(${t.reason})` : t.state;
    rows.push([t.label, t.record.name, t.value !== undefined ? `${t.record.array!.key}=${t.value}` : '-', state, exit, t.output, t.log]);
  }
  const widths = rows[0].map((_c, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

/** A skipped registry line is reported once, not at every --watch poll. */
const warned = new Set<string>();
function warnOnce(message: string): void {
  if (!warned.has(message)) console.error(`scs jobs: warning: ${message}`);
  warned.add(message);
}

async function current(o: JobsCliOptions): Promise<TaskState[]> {
  const records = allRecords(process.env, o.outputDir, warnOnce).slice(o.all ? 0 : -Number(o.limit));
  return taskStates(records);
}

function print(states: TaskState[], json: boolean): void {
  if (json) {
    console.log(JSON.stringify(states.map(({ record, ...t }) => ({ id: record.id, name: record.name, backend: record.backend, ...t })), null, 1));
  } else {
    console.log(states.length ? formatJobs(states) : 'no jobs submitted with scs (submit, bin-dssc, demo)');
  }
}

export function registerJobs(program: Command): void {
  program.command('jobs')
    .description('state, exit code, log and output notebook of each job task scs submitted (scs submit, bin-dssc, demo); other SLURM jobs are not shown')
    .option('-o, --output-dir <dir>', 'also the jobs recorded in this output folder (DIR/scs-jobs.jsonl)')
    .option('-w, --watch [seconds]', 'print again whenever a state changes, until every task finished (poll every N s, default 2)')
    .option('--json', 'print JSON instead of a table')
    .option('--all', 'every recorded job (default: the last --limit)')
    .option('-n, --limit <n>', 'how many of the most recent jobs', '20')
    .action(async (o: JobsCliOptions) => {
      let states = await current(o);
      print(states, !!o.json);
      if (!o.watch) return;
      const every = typeof o.watch === 'string' ? Number(o.watch) * 1000 : 2000;
      let last = states.map((t) => t.state).join();
      while (!states.every((t) => TERMINAL_STATES.has(t.state))) {
        await new Promise((r) => setTimeout(r, every));
        states = await current(o);
        const now = states.map((t) => t.state).join();
        if (now !== last) {
          console.log(`--- ${new Date().toISOString()}`);
          print(states, !!o.json);
        }
        last = now;
      }
    });

  program.command('cancel')
    .description('cancel jobs submitted with scs submit (an array id cancels every task)')
    .argument('<jobid...>', 'job ids as scs submit / scs jobs print them')
    .action(async (ids: string[]) => {
      for (const rec of await cancelJobs(ids)) console.log(`cancelled ${rec.id} (${rec.name})`);
    });
}
