/**
 * Jupyter's wire format: routing ids, the `<IDS|MSG>` delimiter, the HMAC
 * signature, four JSON frames (header, parent header, metadata, content) and
 * binary buffers. Shared by the io thread and the test client, so both sides
 * sign and check with the same code. Signatures cover the JSON frames exactly
 * as they travel; an empty key means unsigned messages.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import type { JupyterMessage, MessageHeader } from './types.js';

export const DELIMITER = '<IDS|MSG>';
export const PROTOCOL_VERSION = '5.3';

const delimiterBytes = Buffer.from(DELIMITER);

export type Frame = Buffer | Uint8Array | string;

export function sign(key: string, jsonFrames: readonly Frame[]): string {
  if (key === '') return '';
  const hmac = createHmac('sha256', key);
  for (const frame of jsonFrames) hmac.update(frame);
  return hmac.digest('hex');
}

export function newHeader(msgType: string, session: string, username: string): MessageHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** Frames of one message, ready for socket.send. */
export function encode(key: string, identities: readonly Frame[], message: JupyterMessage): Frame[] {
  const json: JsonFrames = [
    JSON.stringify(message.header),
    JSON.stringify(message.parent_header),
    JSON.stringify(message.metadata),
    JSON.stringify(message.content ?? {}),
  ];
  return encodeJson(key, identities, json, message.buffers);
}

/** header, parent_header, metadata, content as JSON text */
export type JsonFrames = [string, string, string, string];

/** Frames from JSON already serialised (the main thread serialises, so its callers see the errors). */
export function encodeJson(key: string, identities: readonly Frame[], json: JsonFrames, buffers: readonly Uint8Array[] = []): Frame[] {
  return [...identities, DELIMITER, sign(key, json), ...json, ...buffers];
}

export interface Decoded {
  identities: Uint8Array[];
  /** hex HMAC as received ('' when unsigned) */
  signature: string;
  message: JupyterMessage;
}

/** Why a message was refused, with its msg_type when the header was readable. */
export class WireError extends Error {
  constructor(readonly reason: string, readonly msgType: string | undefined) {
    super(reason);
    this.name = 'WireError';
  }
}

/** Parses and checks frames as received; throws WireError for anything not to be trusted. */
export function decode(key: string, frames: readonly Buffer[]): Decoded {
  const split = frames.findIndex((f) => f.equals(delimiterBytes));
  if (split < 0) throw new WireError('no <IDS|MSG> delimiter frame', undefined);
  if (frames.length < split + 6) throw new WireError(`${frames.length - split - 1} frames after the delimiter, need at least 5`, undefined);
  const [signature, ...rest] = frames.slice(split + 1);
  const json = rest.slice(0, 4);
  const msgType = peekMsgType(json[0]);
  if (key !== '') {
    const expected = Buffer.from(sign(key, json));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
      throw new WireError(signature.length === 0 ? 'missing signature' : 'bad signature', msgType);
    }
  }
  const parts = ['header', 'parent_header', 'metadata', 'content'].map((name, i) => {
    try {
      const value: unknown = JSON.parse(json[i].toString('utf8'));
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
      return value as Record<string, unknown>;
    } catch (err) {
      throw new WireError(`${name} frame: ${(err as Error).message}`, msgType);
    }
  });
  const header = parts[0] as unknown as MessageHeader;
  if (typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new WireError('header lacks msg_id or msg_type', msgType);
  }
  return {
    identities: frames.slice(0, split).map(copy),
    signature: key === '' ? '' : signature.toString('latin1'),
    message: {
      header,
      parent_header: parts[1] as JupyterMessage['parent_header'],
      metadata: parts[2],
      content: parts[3],
      buffers: rest.slice(4).map(copy),
    },
  };
}

/** A plain Uint8Array owning its bytes (ZeroMQ buffers may share memory; structured clone copies views). */
function copy(frame: Buffer): Uint8Array {
  return new Uint8Array(frame);
}

function peekMsgType(header: Buffer): string | undefined {
  try {
    const msgType: unknown = JSON.parse(header.toString('utf8'))?.msg_type;
    return typeof msgType === 'string' ? msgType : undefined;
  } catch {
    return undefined;
  }
}
