/**
 * Results that carry their plot, as the Python toolbox's plot=True functions
 * draw one: the plot is a property, and the result displays as the plot.
 */
import type { Dataset } from '../arrays/dataset.js';
import { type DisplayOutput, MIME_BUNDLE } from '../display/mime.js';
import type { Plot } from './plot.js';

/**
 * Make `target` display as `plot` (with `text()` as its text/plain) when it
 * is a cell's last expression. The display method is not enumerable, so
 * printing or JSON of the target shows its data only.
 */
export function displayAsPlot(target: object, plot: Plot, text: () => string): void {
  Object.defineProperty(target, MIME_BUNDLE, {
    enumerable: false,
    value: async (): Promise<DisplayOutput> => {
      const bundle = await plot[MIME_BUNDLE]();
      return { ...bundle, data: { ...bundle.data, 'text/plain': text() } };
    },
  });
}

/** The result with its plot, shown as that plot (with `text` as its text) when it is a cell's last expression. */
export function withPlot<T extends object>(result: T, plot: Plot, text: string): T & { plot: Plot } {
  const out = { ...result, plot };
  displayAsPlot(out, plot, () => text);
  return out;
}

/** `ds` itself, given a non-enumerable `plot` and shown as that plot (its summary as text). */
export function datasetWithPlot(ds: Dataset, plot: Plot): Dataset & { readonly plot: Plot } {
  Object.defineProperty(ds, 'plot', { value: plot, enumerable: false });
  displayAsPlot(ds, plot, () => ds.toString());
  return ds as Dataset & { readonly plot: Plot };
}
