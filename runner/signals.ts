/**
 * SIGTERM (SLURM's time limit, scancel) and SIGINT while a notebook runs:
 * the run stops at the running cell, saves and exits 143/130 instead of
 * dying with the notebook half-recorded. A second signal exits at once.
 */
export type RunnerSignal = 'SIGTERM' | 'SIGINT';

export interface SignalWatch { received: Promise<RunnerSignal>; got(): RunnerSignal | undefined; dispose(): void }

export function watchSignals(): SignalWatch {
  let fire!: (s: RunnerSignal) => void;
  let got: RunnerSignal | undefined;
  const received = new Promise<RunnerSignal>((r) => { fire = r; });
  let count = 0;
  const handler = (signal: RunnerSignal) => {
    count++;
    if (count > 1) process.exit(signal === 'SIGTERM' ? 143 : 130);
    got = signal;
    fire(signal);
  };
  process.on('SIGTERM', handler);
  process.on('SIGINT', handler);
  return {
    received,
    got: () => got,
    dispose() {
      process.off('SIGTERM', handler);
      process.off('SIGINT', handler);
    },
  };
}
