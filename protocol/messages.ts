/**
 * Jupyter messages as both sides handle them once the wire frames are
 * decoded: header, parent header, metadata, content and binary buffers.
 */
import { randomUUID } from 'node:crypto';
import { PROTOCOL_VERSION } from './version.js';

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 */
  date: string;
  msg_type: string;
  version: string;
}

/** JSON as received: which fields exist depends on msg_type, so readers check what they use. */
export type MessageContent = Record<string, unknown>;

export interface JupyterMessage {
  header: MessageHeader;
  /** empty for a message without parent (e.g. the kernel's starting status) */
  parent_header: MessageHeader | Record<string, never>;
  metadata: Record<string, unknown>;
  content: MessageContent;
  buffers?: Uint8Array[];
}

export type ShellChannel = 'shell' | 'control';

export function newHeader(msgType: string, session: string, username: string): MessageHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

/** A new message of this client or kernel session, `parent` naming the request it answers. */
export function newMessage(
  msgType: string, session: string, content: MessageContent, parent: MessageHeader | Record<string, never> = {}, username = currentUser(),
): JupyterMessage {
  return { header: newHeader(msgType, session, username), parent_header: parent, metadata: {}, content };
}

/** The msg_id of the request a message answers, if it has a parent. */
export function parentId(message: JupyterMessage): string | undefined {
  return 'msg_id' in message.parent_header ? message.parent_header.msg_id : undefined;
}

/** The header's username as jupyter_client's Session picks it: $USER, else 'username'. */
export function currentUser(): string {
  return process.env.USER || 'username';
}
