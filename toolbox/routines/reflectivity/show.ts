/**
 * A Dataset that carries its plot, as the Python toolbox's plot=True draws
 * one: `ds.plot` is the Plot, and the Dataset shows as that plot (with its
 * text form as text/plain) when it is a cell's last expression.
 */
import type { Dataset } from '../../arrays/dataset.js';
import { type DisplayOutput, MIME_BUNDLE } from '../../display/mime.js';
import type { Plot } from '../../plots/plot.js';

/** `ds` itself, given a non-enumerable `plot` and a display that is the plot's. */
export function attachPlot(ds: Dataset, plot: Plot): Dataset & { readonly plot: Plot } {
  Object.defineProperty(ds, 'plot', { value: plot, enumerable: false });
  Object.defineProperty(ds, MIME_BUNDLE, {
    enumerable: false,
    value: async (): Promise<DisplayOutput> => {
      const bundle = await plot[MIME_BUNDLE]();
      return { ...bundle, data: { ...bundle.data, 'text/plain': ds.toString() } };
    },
  });
  return ds as Dataset & { readonly plot: Plot };
}
