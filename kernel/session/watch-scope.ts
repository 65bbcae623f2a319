/**
 * Which files tslab's watch program watches. TypeScript's watch host puts a
 * file watcher (fs.watch: an inotify watch and a handle) on every file of the
 * program, ~350 of them for lib, @types/node and the toolbox's declarations:
 * ~20 ms of the start and of the first cell. Files under a node_modules
 * folder and the toolbox's own declarations cannot change what a session
 * runs (their modules are loaded once), so they are not watched; everything
 * else is, e.g. the notebook folder's own modules that cells import, whose
 * edits the next cell sees.
 */
import { sep } from 'node:path';
import type * as TS from '@tslab/typescript-for-tslab';

const NODE_MODULES = `${sep}node_modules${sep}`;

/** Whether a file stays as it is for the whole session (no watcher needed). */
export function isSessionConstant(path: string, toolboxDir: string): boolean {
  return path.includes(NODE_MODULES) || path.startsWith(toolboxDir.endsWith(sep) ? toolboxDir : toolboxDir + sep);
}

/** `system` with no file watchers for session constants. */
export function scopedWatchSystem(system: TS.System, toolboxDir: string): TS.System {
  const watchFile = system.watchFile;
  if (!watchFile) return system;
  const scoped = Object.create(system) as TS.System;
  scoped.watchFile = (path, callback, interval, options) => (isSessionConstant(path, toolboxDir) ? { close() {} } : watchFile.call(system, path, callback, interval, options));
  return scoped;
}
