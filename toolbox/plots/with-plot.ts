/**
 * Results that carry their plot, as the Python toolbox's plot=True functions
 * draw one: the plot is a property, and the result displays as the plot.
 */
import { type DisplayOutput, MIME_BUNDLE } from '../display/mime.js';
import type { Plot } from './plot.js';

/**
 * The result with its plot, shown as that plot (with `text` as its text) when
 * it is a cell's last expression; the display method is not enumerable, so
 * printing or JSON of the result shows the data only.
 */
export function withPlot<T extends object>(result: T, plot: Plot, text: string): T & { plot: Plot } {
  const out = { ...result, plot };
  Object.defineProperty(out, MIME_BUNDLE, {
    enumerable: false,
    value: async (): Promise<DisplayOutput> => {
      const bundle = await plot[MIME_BUNDLE]();
      return { ...bundle, data: { ...bundle.data, 'text/plain': text } };
    },
  });
  return out;
}
