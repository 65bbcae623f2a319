/**
 * Connection files: the JSON a client writes before it starts a kernel, saying
 * where the five sockets bind and the key messages are signed with. Reading
 * checks every field a kernel needs and names the file and the field when one
 * is wrong, because a client would otherwise only see a kernel that never
 * answers. Writing picks free ports and a fresh key, as jupyter_client does.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { ConnectionFileError } from './errors.js';

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
  /** written by jupyter_client for the kernel's information; kernels do not need it */
  kernel_name?: string;
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
    throw new ConnectionFileError(`cannot read the kernel connection file ${file}: ${(err as Error).message}`, file, { cause: err });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConnectionFileError(`the kernel connection file ${file} is not JSON: ${(err as Error).message}`, file, { cause: err });
  }
  return parseConnectionInfo(raw, file);
}

/** Checks every field a kernel needs; `source` names the file in messages. */
export function parseConnectionInfo(raw: unknown, source: string): ConnectionInfo {
  const bad = (what: string) => new ConnectionFileError(`kernel connection file ${source}: ${what}`, source);
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

export const LOCALHOST = '127.0.0.1';

/** Ports the OS considers free right now on `ip`: all are held open together so they differ. */
export async function freePorts(count: number, ip = LOCALHOST): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, ip, () => resolve());
      });
    }
    return servers.map((s) => (s.address() as AddressInfo).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}

/** TCP on localhost with five free ports and a fresh key (a UUID, as jupyter_client makes it). */
export async function newConnectionInfo(options: { key?: string; kernelName?: string; ip?: string } = {}): Promise<ConnectionInfo> {
  const ip = options.ip ?? LOCALHOST;
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = await freePorts(5, ip);
  const info: ConnectionInfo = {
    transport: 'tcp', ip, key: options.key ?? randomUUID(), signature_scheme: 'hmac-sha256',
    shell_port, iopub_port, stdin_port, control_port, hb_port,
  };
  if (options.kernelName !== undefined) info.kernel_name = options.kernelName;
  return info;
}

/** Writes the file only its owner can read: the key in it lets anyone drive the kernel. */
export function writeConnectionFile(file: string, info: ConnectionInfo): void {
  try {
    writeFileSync(file, JSON.stringify(info, null, 1), { mode: 0o600 });
  } catch (err) {
    throw new ConnectionFileError(`cannot write the kernel connection file ${file}: ${(err as Error).message}`, file, { cause: err });
  }
}
