export * from './mime.js';
export * from './sink.js';
export * from './progress.js';
