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

/** A value is out of range, inconsistent or unknown (dims, shapes, names). */
export class ToolBoxValueError extends ToolBoxError {}

/** A value has the wrong type or dtype. */
export class ToolBoxTypeError extends ToolBoxError {}

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
