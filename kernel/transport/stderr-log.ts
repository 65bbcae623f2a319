/**
 * Log lines of the io thread and the io relay, written straight to fd 2 (a
 * worker's console output is relayed by the main thread, which may be stuck
 * in a cell). Writing never throws: once stderr's reader is gone (a runner
 * SIGKILLed), a write fails with EPIPE, and what the caller does next, such
 * as ending an orphaned kernel, must still happen.
 */
import { writeSync } from 'node:fs';

export function stderrLog(prefix: string): (line: string) => void {
  return (line) => {
    try {
      writeSync(2, `${prefix} ${line}\n`);
    } catch {
      // nobody reads the kernel's stderr any more: the line has nowhere to go
    }
  };
}
