/**
 * Rich display and progress: what cells call (display, startProgress, ...)
 * and the host side a frontend installs (setDisplaySink, setProgressSink).
 */
export { MIME_BUNDLE, isDisplayable } from './mime.js';
export type { DisplayOutput, Displayable, MimeBundle } from './mime.js';
export { setDisplaySink } from './sink.js';
export type { DisplayOptions, DisplaySink } from './sink.js';
export { setProgressSink } from './progress.js';
export type { ProgressSink, ProgressState } from './progress.js';
export { mimeBundleOf } from './bundle.js';
export { DisplayHandle, display } from './show.js';
export { clearOutput, type ClearOutputOptions } from './clear.js';
export { startProgress, trackProgress, type Progress, type StartProgressOptions } from './track.js';
export { displayProgressSink } from './progress-display.js';
