/**
 * display(): show a value now, in the notebook through the installed sink or
 * as text on stdout without one, and keep a handle to replace it later
 * (an updating display, e.g. a plot redrawn as data arrive).
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { mimeBundleOf } from './bundle.js';
import type { DisplayOutput } from './mime.js';
import { type DisplayOptions, displaySink } from './sink.js';
import { checkOptions, optionNames } from '../options.js';

const DISPLAY_OPTIONS = optionNames<DisplayOptions>({ displayId: true, update: true });

function send(output: DisplayOutput, options: DisplayOptions): void {
  const sink = displaySink();
  if (sink) sink.display(output, options);
  else process.stdout.write(`${String(output.data['text/plain'])}\n`);
}

/** A display shown by display(), to be replaced later with update(). */
export class DisplayHandle {
  /** `displayId`: transient.display_id of this display. */
  constructor(readonly displayId: string) {}

  /** Replace what this display shows. */
  async update(value: unknown): Promise<void> {
    send(await mimeBundleOf(value), { displayId: this.displayId, update: true });
  }

  /** `<DisplayHandle id>`. */
  toString(): string {
    return `<DisplayHandle ${this.displayId}>`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/**
 * Show `value` now (rich output in a notebook, text on stdout elsewhere) and
 * return a handle to replace it; `options.displayId` reuses an existing id.
 */
export async function display(value: unknown, options: DisplayOptions = {}): Promise<DisplayHandle> {
  checkOptions('display', options, DISPLAY_OPTIONS);
  const handle = new DisplayHandle(options.displayId ?? randomUUID());
  send(await mimeBundleOf(value), { ...options, displayId: handle.displayId });
  return handle;
}
