/** Running cells on a test kernel and picking out what they published. */
import type { KernelClient, ReceivedMessage, RequestResult } from '../../helpers/kernel-client.js';

export interface CellRun extends RequestResult {
  /** iopub messages other than status and execute_input, in order */
  outputs: ReceivedMessage[];
  /** all stream text of one stream, joined */
  stream(name: 'stdout' | 'stderr'): string;
  of(msgType: string): ReceivedMessage[];
}

export async function run(client: KernelClient, code: string, content: Record<string, unknown> = {}, timeoutMs?: number): Promise<CellRun> {
  const result = await client.request('shell', 'execute_request', {
    code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: false, ...content,
  }, timeoutMs ? { timeoutMs } : {});
  const outputs = result.iopub.filter((m) => m.header.msg_type !== 'status' && m.header.msg_type !== 'execute_input');
  return {
    ...result,
    outputs,
    of: (msgType) => outputs.filter((m) => m.header.msg_type === msgType),
    stream: (name) => outputs.filter((m) => m.header.msg_type === 'stream' && m.content.name === name).map((m) => m.content.text).join(''),
  };
}

/** The text/plain of the cell's execute_result (undefined without one). */
export function resultText(cell: CellRun): string | undefined {
  return cell.of('execute_result')[0]?.content.data['text/plain'];
}
