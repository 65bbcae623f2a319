/**
 * Jupyter wire format (messaging 5.3): routing identities, `<IDS|MSG>`, the HMAC-SHA256 hex
 * signature over the four JSON frames as sent, header, parent header, metadata, content, then
 * binary buffers. An empty key means unsigned messages (empty signature).
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { userInfo } from 'node:os';

export const DELIMITER = '<IDS|MSG>';
export const PROTOCOL_VERSION = '5.3';

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export interface Message {
  header: Header;
  parent_header: Partial<Header>;
  metadata: Record<string, unknown>;
  content: any;
  buffers: Buffer[];
}

function username(): string {
  try {
    return userInfo().username;
  } catch {
    return 'runner';
  }
}
const USER = username();

export function newMessage(msgType: string, session: string, content: unknown, parent: Partial<Header> = {}): Message {
  const header: Header = {
    msg_id: randomUUID(), session, username: USER, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION,
  };
  return { header, parent_header: parent, metadata: {}, content, buffers: [] };
}

export function sign(key: string, parts: Buffer[]): string {
  if (!key) return '';
  const hmac = createHmac('sha256', key);
  for (const p of parts) hmac.update(p);
  return hmac.digest('hex');
}

/** The frames of `msg` (after `identities`), signed with `key`. */
export function encode(msg: Message, key: string, identities: Buffer[] = []): Buffer[] {
  const parts = [msg.header, msg.parent_header, msg.metadata, msg.content].map((p) => Buffer.from(JSON.stringify(p ?? {})));
  return [...identities, Buffer.from(DELIMITER), Buffer.from(sign(key, parts)), ...parts, ...msg.buffers];
}

export class WireError extends Error {}

/** Parses received frames; throws WireError for a malformed message or a wrong signature. */
export function decode(frames: Buffer[], key: string): { identities: Buffer[]; message: Message } {
  const at = frames.findIndex((f) => f.length === DELIMITER.length && f.toString() === DELIMITER);
  if (at < 0) throw new WireError('no <IDS|MSG> delimiter');
  if (frames.length < at + 6) throw new WireError(`only ${frames.length - at - 1} frames after the delimiter, need 5`);
  const signature = frames[at + 1];
  const parts = frames.slice(at + 2, at + 6);
  if (key) {
    const expected = Buffer.from(sign(key, parts));
    if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) throw new WireError('bad message signature');
  }
  let json: any[];
  try {
    json = parts.map((p) => JSON.parse(p.toString('utf8')));
  } catch (err) {
    throw new WireError(`message JSON does not parse: ${(err as Error).message}`);
  }
  const [header, parent_header, metadata, content] = json;
  if (!header || typeof header.msg_type !== 'string') throw new WireError('message header has no msg_type');
  return {
    identities: frames.slice(0, at),
    message: { header, parent_header: parent_header ?? {}, metadata: metadata ?? {}, content: content ?? {}, buffers: frames.slice(at + 6) },
  };
}
