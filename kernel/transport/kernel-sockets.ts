/**
 * The kernel's five ZeroMQ sockets, made and bound the same way by the io
 * thread (when it binds them itself) and by the io relay (io-relay.ts).
 */
import * as zmq from 'zeromq';
import type { Frame } from '../../protocol/index.js';

/** How long pending sends may take to leave when sockets close. */
export const LINGER_MS = 1000;

export type Endpoints = { shell: string; iopub: string; stdin: string; control: string; hb: string };

export interface KernelSockets {
  shell: zmq.Router;
  control: zmq.Router;
  stdin: zmq.Router;
  iopub: zmq.Publisher;
  hb: zmq.Reply;
}

export function createKernelSockets(): KernelSockets {
  return {
    // No high-water mark either: a ROUTER drops a reply silently when its peer's queue is full,
    // which a frontend sending many requests at once on a loaded machine can reach.
    shell: new zmq.Router({ linger: LINGER_MS, sendHighWaterMark: 0 }),
    control: new zmq.Router({ linger: LINGER_MS, sendHighWaterMark: 0 }),
    // Mandatory: an input_request for a peer that is not connected fails instead of vanishing.
    stdin: new zmq.Router({ linger: LINGER_MS, mandatory: true }),
    // No high-water mark: a publisher drops silently when it is reached, and iopub must lose nothing.
    iopub: new zmq.Publisher({ linger: LINGER_MS, sendHighWaterMark: 0 }),
    hb: new zmq.Reply({ linger: LINGER_MS }),
  };
}

/** Binds all five; on failure closes them and throws naming the socket and its endpoint. */
export async function bindKernelSockets(sockets: KernelSockets, endpoints: Endpoints): Promise<void> {
  try {
    await Promise.all(
      (Object.keys(sockets) as (keyof KernelSockets)[]).map((channel) =>
        sockets[channel].bind(endpoints[channel]).catch((err: unknown) => {
          throw new Error(`cannot bind the ${channel} socket to ${endpoints[channel]}: ${(err as Error)?.message ?? err}`);
        }),
      ),
    );
  } catch (err) {
    closeKernelSockets(sockets);
    throw err;
  }
}

/** Closed sockets keep their pending messages for LINGER_MS; process exit waits for them. */
export function closeKernelSockets(sockets: KernelSockets): void {
  for (const socket of Object.values(sockets) as { closed: boolean; close(): void }[]) if (!socket.closed) socket.close();
}

/** Echoes every heartbeat until the socket closes. */
export async function echoHeartbeats(hb: zmq.Reply, closing: () => boolean, log: (line: string) => void): Promise<void> {
  try {
    for await (const frames of hb) await hb.send(frames as Frame[]);
  } catch (err) {
    if (!closing()) log(`heartbeat socket failed: ${(err as Error)?.message ?? err}`);
  }
}
