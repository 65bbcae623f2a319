/**
 * The Jupyter messaging protocol, shared by the kernel (server side), the
 * notebook runner (client side) and the tests: message types, the wire format
 * and its signing, connection files, the send queue, the client's sockets,
 * Jupyter's data paths and kernelspec discovery, the protocol version, and
 * this package's own error family. It imports neither the toolbox nor the
 * runner, so both can build on it.
 */
export { PROTOCOL_VERSION } from './version.js';
export { ProtocolError, WireError, ConnectionFileError, KernelSpecError, NoSuchKernelError } from './errors.js';
export {
  newHeader, newMessage, parentId, currentUser,
  type JupyterMessage, type MessageContent, type MessageHeader, type ShellChannel,
} from './messages.js';
export { DELIMITER, decode, encode, encodeJson, sign, type Decoded, type Frame, type JsonFrames } from './wire.js';
export {
  CHANNELS, LOCALHOST, endpoint, freePorts, newConnectionInfo, parseConnectionInfo, readConnectionFile, writeConnectionFile,
  type Channel, type ConnectionInfo,
} from './connection.js';
export { SendQueue } from './send-queue.js';
export { KernelChannels, type ClientOptions, type SentRequest } from './client.js';
export {
  SYSTEM_JUPYTER_PATH, SYSTEM_PYTHON_PREFIX, dataDirFor, jupyterPath, pythonPrefix, userDataDir, type Env, type SpecLocation,
} from './paths.js';
export {
  VALID_KERNEL_NAME, expandVars, findKernelSpec, kernelArgv, kernelEnvironment, kernelSpecDirs, listKernelSpecs, readKernelSpec,
  type KernelSpec, type LookupOptions,
} from './kernelspecs.js';
