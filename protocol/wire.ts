/**
 * The Jupyter wire format: routing identities, the `<IDS|MSG>` delimiter,
 * the HMAC-SHA256 hex signature over the four JSON frames as sent, header,
 * parent header, metadata, content, then binary buffers. An empty key means
 * unsigned messages (empty signature), which are then not checked either.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { WireError } from './errors.js';
import type { JupyterMessage, MessageHeader } from './messages.js';

export const DELIMITER = '<IDS|MSG>';

const delimiterBytes = Buffer.from(DELIMITER);

export type Frame = Buffer | Uint8Array | string;

/** header, parent_header, metadata, content as JSON text */
export type JsonFrames = [string, string, string, string];

export interface Decoded {
  identities: Uint8Array[];
  /** hex HMAC as received ('' when unsigned) */
  signature: string;
  message: JupyterMessage;
}

export function sign(key: string, jsonFrames: readonly Frame[]): string {
  if (key === '') return '';
  const hmac = createHmac('sha256', key);
  for (const frame of jsonFrames) hmac.update(frame);
  return hmac.digest('hex');
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

/** Frames from JSON already serialised (a kernel serialises on its main thread, so its callers see the errors). */
export function encodeJson(key: string, identities: readonly Frame[], json: JsonFrames, buffers: readonly Uint8Array[] = []): Frame[] {
  return [...identities, DELIMITER, sign(key, json), ...json, ...buffers];
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
  const [header, parent, metadata, content] = ['header', 'parent_header', 'metadata', 'content'].map((name, i) => jsonObject(name, json[i], msgType));
  if (typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new WireError('header lacks msg_id or msg_type', msgType);
  }
  return {
    identities: frames.slice(0, split).map(copy),
    signature: key === '' ? '' : signature.toString('latin1'),
    message: {
      header: header as unknown as MessageHeader,
      parent_header: parent as JupyterMessage['parent_header'],
      metadata,
      content,
      buffers: rest.slice(4).map(copy),
    },
  };
}

function jsonObject(name: string, frame: Buffer, msgType: string | undefined): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString('utf8'));
  } catch (err) {
    throw new WireError(`${name} frame: ${(err as Error).message}`, msgType);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WireError(`${name} frame: not a JSON object`, msgType);
  return value as Record<string, unknown>;
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
