/** A command run to its end, its exit code and output kept (a non-zero exit is a result, not an error). */
import { execFile } from 'node:child_process';

export interface Result { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: string[], env: NodeJS.ProcessEnv, cwd?: string): Promise<Result> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { env, cwd, encoding: 'utf8', maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof (err as NodeJS.ErrnoException).code !== 'number') reject(Object.assign(err, { stdout, stderr }));
      else resolve({ code: err ? Number((err as NodeJS.ErrnoException).code) : 0, stdout, stderr });
    });
  });
}
