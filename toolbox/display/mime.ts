/**
 * Rich display contract between the toolbox and whatever shows its results
 * (the Jupyter kernel, a plain terminal). Objects that can show themselves
 * carry a method under MIME_BUNDLE; the kernel asks for it instead of printing.
 */

/** Mime type → payload: strings for text formats, JSON values for JSON formats. */
export type MimeBundle = { [mime: string]: unknown };

/** One display: the mime bundle and its per-mime metadata, as in Jupyter's display_data. */
export interface DisplayOutput {
  /** The representations by mime type. */
  data: MimeBundle;
  /** Per mime type metadata (e.g. image sizes). */
  metadata?: { [mime: string]: unknown };
}

/** A registered symbol, so copies of the toolbox loaded twice still agree. */
export const MIME_BUNDLE: unique symbol = Symbol.for('scs-toolbox.mimeBundle') as never;

/** An object that shows itself richly in a notebook. */
export interface Displayable {
  /** Its representations (vega-lite, PNG, HTML, text…) for display. */
  [MIME_BUNDLE](): DisplayOutput | Promise<DisplayOutput>;
}

/** Whether `value` carries a MIME_BUNDLE method. */
export function isDisplayable(value: unknown): value is Displayable {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    && typeof (value as Partial<Displayable>)[MIME_BUNDLE] === 'function';
}
