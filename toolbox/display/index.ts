export * from './mime.js';
export * from './sink.js';
export * from './progress.js';
export { mimeBundleOf } from './bundle.js';
export { DisplayHandle, display } from './show.js';
export { startProgress, trackProgress, type Progress, type StartProgressOptions } from './track.js';
export { TextProgressSink, formatProgress, type TextProgressOptions } from './progress-text.js';
export { displayProgressSink, progressOutput } from './progress-display.js';
