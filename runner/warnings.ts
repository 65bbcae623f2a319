/**
 * Where the runner's warnings go when the caller names no `warn` channel:
 * Node's process warnings. Everything in runner/ that warns takes a `warn`
 * function and reaches this default only from the public entry points, so a
 * caller that passes its own (the CLI filtering by --log-level) hears every
 * warning there and nowhere else.
 */
export type Warn = (message: string) => void;

export function defaultWarn(message: string): void {
  process.emitWarning(message, 'RunnerWarning');
}
