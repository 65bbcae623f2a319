/**
 * The connection file a Jupyter client writes before it starts the kernel:
 * where to bind the five sockets and the key messages are signed with. A bad
 * file stops the kernel before any socket exists, with a message naming the
 * file and the field, because the client would otherwise only see a kernel
 * that never answers.
 */
import { readFileSync } from 'node:fs';
import { ToolBoxFileError, ToolBoxValueError } from '../../toolbox/index.js';

export const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  /** empty: messages are neither signed nor checked */
  key: string;
  signature_scheme: 'hmac-sha256';
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
}

/** ZeroMQ address of one channel, as jupyter_client forms it. */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'tcp' ? `tcp://${info.ip}:${port}` : `ipc://${info.ip}-${port}`;
}

export function readConnectionFile(file: string): ConnectionInfo {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ToolBoxFileError(`cannot read the kernel connection file ${file}: ${(err as Error).message}`, file, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ToolBoxFileError(`the kernel connection file ${file} is not JSON: ${(err as Error).message}`, file, { cause: err });
  }
  return parseConnectionInfo(raw, file);
}

/** Checks every field a kernel needs; `source` names the file in messages. */
export function parseConnectionInfo(raw: unknown, source: string): ConnectionInfo {
  const bad = (what: string) => new ToolBoxValueError(`kernel connection file ${source}: ${what}`);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw bad('expected a JSON object');
  const obj = raw as Record<string, unknown>;

  const transport = obj.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') throw bad(`transport must be "tcp" or "ipc", got ${JSON.stringify(transport)}`);
  if (typeof obj.ip !== 'string' || obj.ip === '') throw bad(`ip must be a non-empty string, got ${JSON.stringify(obj.ip)}`);
  const key = obj.key ?? '';
  if (typeof key !== 'string') throw bad(`key must be a string, got ${JSON.stringify(key)}`);
  const scheme = obj.signature_scheme ?? 'hmac-sha256';
  if (scheme !== 'hmac-sha256') throw bad(`signature_scheme ${JSON.stringify(scheme)} is not supported (only "hmac-sha256")`);

  const port = (channel: Channel): number => {
    const value = obj[`${channel}_port`];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 65535) {
      throw bad(`${channel}_port must be an integer port 1..65535, got ${JSON.stringify(value)}`);
    }
    return value;
  };
  return {
    transport,
    ip: obj.ip,
    key,
    signature_scheme: scheme,
    shell_port: port('shell'),
    iopub_port: port('iopub'),
    stdin_port: port('stdin'),
    control_port: port('control'),
    hb_port: port('hb'),
  };
}
