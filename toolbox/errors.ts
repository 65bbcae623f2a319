/**
 * The ToolBoxError family. Python toolbox users know ToolBoxValueError,
 * ToolBoxTypeError, ToolBoxFileError and ToolBoxPathError; the names and the
 * meaning carry over. Messages name what was wrong (file, path, variable,
 * parameter) so the user knows what to fix without a stack trace.
 */
export class ToolBoxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A value is out of range, inconsistent or unknown (dims, shapes, names). Python: ToolBoxValueError(msg, val). */
export class ToolBoxValueError extends ToolBoxError {
  /** The offending value, when there is one (Python's `val`). */
  declare readonly val?: unknown;

  constructor(message: string, options?: { cause?: unknown; val?: unknown }) {
    super(message, options);
    if (options && 'val' in options) this.val = options.val;
  }
}

/** A value has the wrong type or dtype. Python: ToolBoxTypeError(msg, dtype). */
export class ToolBoxTypeError extends ToolBoxError {
  /** The type or dtype that was wrong, when there is one (Python's `dtype`). */
  declare readonly dtype?: unknown;

  constructor(message: string, options?: { cause?: unknown; dtype?: unknown }) {
    super(message, options);
    if (options && 'dtype' in options) this.dtype = options.dtype;
  }
}

/**
 * An options object that is not one, or has a key the function does not
 * know: Python fails on an unknown keyword argument, and plain-JS callers get
 * no compile-time check, so this is checked at run time.
 */
export class OptionsError extends ToolBoxTypeError {
  /** The public function (or Class.method) called. */
  readonly functionName: string;
  /** The unknown keys; empty when the options were not an object at all. */
  readonly unknown: readonly string[];
  /** The keys the function accepts. */
  readonly accepted: readonly string[];
  /** Close matches of the first unknown key among the accepted ones. */
  readonly suggestions: readonly string[];

  constructor(message: string, details: { functionName: string; unknown: readonly string[]; accepted: readonly string[]; suggestions: readonly string[]; dtype?: string }) {
    super(message, { dtype: details.dtype });
    this.functionName = details.functionName;
    this.unknown = details.unknown;
    this.accepted = details.accepted;
    this.suggestions = details.suggestions;
  }
}

/** A file is missing, unreadable, not HDF5, or lacks the expected content. */
export class ToolBoxFileError extends ToolBoxError {
  constructor(message: string, readonly file?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A folder or path (run folder, output folder, group inside a file) is wrong. */
export class ToolBoxPathError extends ToolBoxError {
  constructor(message: string, readonly path?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The errors below name the thing at fault as a property, so callers branch
 * on the class and read the name instead of parsing messages. Each extends
 * ToolBoxValueError: code that catches that keeps working.
 */

/** A source name that the run (or the selection) does not have. EXtra-data: SourceNameError. */
export class SourceNameError extends ToolBoxValueError {
  /** The name asked for. */
  readonly source: string;
  /** The sources there are (the selection's, or the run's when the name came from a mnemonic). */
  readonly available: readonly string[];
  /** The mnemonic that named the source, when one did. */
  readonly mnemonic?: string;

  constructor(message: string, details: { source: string; available: readonly string[]; mnemonic?: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.source = details.source;
    this.available = details.available;
    this.mnemonic = details.mnemonic;
  }
}

/** A key (EXtra-data: property) that the source does not have. EXtra-data: PropertyNameError. */
export class PropertyNameError extends ToolBoxValueError {
  readonly source: string;
  /** The key asked for. */
  readonly key: string;
  /** The source's keys (CONTROL: property names without .value / .timestamp). */
  readonly available: readonly string[];
  /** The mnemonic that named the key, when one did. */
  readonly mnemonic?: string;

  constructor(message: string, details: { source: string; key: string; available: readonly string[]; mnemonic?: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.source = details.source;
    this.key = details.key;
    this.available = details.available;
    this.mnemonic = details.mnemonic;
  }
}

/**
 * An argument or option value that is not one of the accepted ones (a bad
 * call, as opposed to data the run lacks).
 */
export class ParameterError extends ToolBoxValueError {
  /** The argument or option at fault, e.g. 'chunksize' or 'data'. */
  readonly parameter: string;
  /** The value given. */
  readonly value: unknown;
  /** The accepted values, when they are a short list. */
  readonly expected?: readonly string[];

  constructor(message: string, details: { parameter: string; value: unknown; expected?: readonly string[]; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.parameter = details.parameter;
    this.value = details.value;
    this.expected = details.expected;
  }
}

/**
 * A mnemonic name that the table does not know (a bad argument). A known
 * mnemonic whose device this run lacks is a SourceNameError or a
 * PropertyNameError with `mnemonic` set instead.
 */
export class MnemonicError extends ParameterError {
  readonly mnemonic: string;
  /** The closest known mnemonic names. */
  readonly suggestions: readonly string[];

  constructor(message: string, details: { mnemonic: string; suggestions: readonly string[]; parameter?: string; cause?: unknown }) {
    super(message, { parameter: details.parameter ?? 'mnemonic', value: details.mnemonic, cause: details.cause });
    this.mnemonic = details.mnemonic;
    this.suggestions = details.suggestions;
  }
}

/** Train IDs none of which the data has. EXtra-data: TrainIDError. */
export class TrainIdError extends ToolBoxValueError {
  readonly trainIds: readonly bigint[];

  constructor(message: string, details: { trainIds: readonly bigint[]; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.trainIds = details.trainIds;
  }
}

/** A key with no data in the selected trains where a value is needed. EXtra-data: NoDataError. */
export class NoDataError extends ToolBoxValueError {
  readonly source: string;
  readonly key: string;

  constructor(message: string, details: { source: string; key: string; cause?: unknown }) {
    super(message, { cause: details.cause });
    this.source = details.source;
    this.key = details.key;
  }
}

/** A Dataset has no variable or coordinate of that name (xarray: KeyError). */
export class VariableNameError extends ToolBoxValueError {
  /** The name asked for. */
  readonly variable: string;
  /** Data variables and coordinates there are. */
  readonly available: readonly string[];
  /** Close matches of `variable` among them. */
  readonly suggestions: readonly string[];

  constructor(message: string, details: { variable: string; available: readonly string[]; suggestions: readonly string[] }) {
    super(message, { val: details.variable });
    this.variable = details.variable;
    this.available = details.available;
    this.suggestions = details.suggestions;
  }
}

/** Whether an error says the run lacks a source or key (as opposed to a bad argument or an unreadable file). */
export function isAbsent(err: unknown): err is SourceNameError | PropertyNameError {
  return err instanceof SourceNameError || err instanceof PropertyNameError;
}

/**
 * A least-squares fit did not converge, or converged to something unusable
 * (NaN, a singular covariance): reported with where it stopped, never
 * returned as if it were a result.
 */
export class FitError extends ToolBoxValueError {
  /** The model fitted, e.g. 'knife-edge erfc' or 'reflectivity double exponential'. */
  declare readonly model: string;
  /** The parameters when the fit stopped. */
  declare readonly lastParameters: readonly number[];
  declare readonly iterations: number;

  constructor(message: string, details: { model: string; lastParameters: readonly number[]; iterations: number; cause?: unknown }) {
    super(message, { cause: details.cause, val: details.lastParameters });
    this.model = details.model;
    this.lastParameters = details.lastParameters;
    this.iterations = details.iterations;
  }
}
