/** How `scs submit --wait` and `scs bin-dssc` print a task's state: " key=value STATE exit N (reason)". */
import type { TaskState } from '../../runner/batch/index.js';

export function taskStateText(t: TaskState): string {
  const value = t.value !== undefined ? ` ${t.record.array!.key}=${t.value}` : '';
  const exit = t.exitCode !== null ? ` exit ${t.exitCode}` : t.signal !== null ? ` signal ${t.signal}` : '';
  const reason = t.reason ? ` (${t.reason})` : '';
  return `${value} ${t.state}${exit}${reason}`;
}
