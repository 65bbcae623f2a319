/**
 * --stdout-file / --stderr-file: the cells' stream text appended to files as
 * it arrives, so `tail -f` follows a batch job.
 */
import { appendFileSync, closeSync, openSync } from 'node:fs';

export interface StreamFiles { write(name: 'stdout' | 'stderr', text: string): void; close(): void }

export function openStreamFiles(paths: { stdoutFile?: string; stderrFile?: string }): StreamFiles {
  const fds: Partial<Record<'stdout' | 'stderr', number>> = {};
  if (paths.stdoutFile) fds.stdout = openSync(paths.stdoutFile, 'w');
  if (paths.stderrFile) fds.stderr = paths.stderrFile === paths.stdoutFile ? fds.stdout : openSync(paths.stderrFile, 'w');
  return {
    write(name, text) {
      const fd = fds[name];
      if (fd !== undefined) appendFileSync(fd, text);
    },
    close() {
      for (const fd of new Set(Object.values(fds))) closeSync(fd);
    },
  };
}
