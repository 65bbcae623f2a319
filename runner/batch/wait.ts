/**
 * `--wait`: polls the tasks' states (squeue every half second is cheap, and
 * much finer than `sbatch --wait`, which backs off to 10 s) until every task
 * has finished; reports each state change as it happens.
 */
import type { JobRecord } from './records.js';
import { TERMINAL_STATES, type TaskState, taskStates } from './state.js';

export async function waitForJobs(records: JobRecord[], onChange: (t: TaskState) => void = () => undefined, pollMs = 500): Promise<TaskState[]> {
  const seen = new Map<string, string>();
  for (;;) {
    const states = await taskStates(records);
    for (const t of states) {
      if (seen.get(t.label) !== t.state) onChange(t);
      seen.set(t.label, t.state);
    }
    if (states.every((t) => TERMINAL_STATES.has(t.state))) return states;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** True when every task ran to the end with exit code 0. */
export function allSucceeded(states: TaskState[]): boolean {
  return states.length > 0 && states.every((t) => t.state === 'COMPLETED' && t.exitCode === 0);
}
