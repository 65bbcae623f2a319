/**
 * Errors of the Jupyter protocol package. A family of its own, below both the
 * kernel and the runner: neither the science's ToolBoxError nor the runner's
 * RunnerError, so both sides can share the protocol and translate its errors
 * at their own boundary. Messages name the file, field or kernel at fault.
 */
export class ProtocolError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A received message that is not to be trusted: malformed, unsigned or wrongly signed. */
export class WireError extends ProtocolError {
  constructor(readonly reason: string, readonly msgType: string | undefined) {
    super(reason);
  }
}

/** A kernel connection file that cannot be read, is not JSON, or lacks a field a kernel needs. */
export class ConnectionFileError extends ProtocolError {
  constructor(message: string, readonly file: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A kernelspec (kernel.json) that is not valid, or a kernel name Jupyter would refuse. */
export class KernelSpecError extends ProtocolError {
  constructor(message: string, readonly path?: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No kernelspec of that name on the Jupyter data path; `available` lists the names that are. */
export class NoSuchKernelError extends ProtocolError {
  constructor(readonly kernelName: string, readonly available: string[]) {
    super(`no such kernel '${kernelName}'; available kernels: ${available.length ? available.join(', ') : '(none found on the Jupyter data path)'}`);
  }
}
