import assert from 'node:assert/strict';
import { startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { resultText, run, type CellRun } from './cells.js';

/** Starts a cell, waits until it is running (its output "started" arrived), interrupts it and returns its result. */
async function interrupted(kernel: StartedKernel, code: string, how: 'signal' | 'message'): Promise<CellRun> {
  let started!: () => void;
  const running = new Promise<void>((resolve) => (started = resolve));
  kernel.client.onIopub((m) => {
    if (m.header.msg_type === 'stream' && m.content.text.includes('started')) started();
  });
  const cell = run(kernel.client, code);
  await running;
  if (how === 'signal') kernel.process.kill('SIGINT');
  else await kernel.client.request('control', 'interrupt_request', {});
  return cell;
}

describe('kernel session: interrupt', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  for (const how of ['message', 'signal'] as const) {
    it(`stops a synchronous infinite loop (${how}) and keeps the state`, async () => {
      await run(kernel.client, 'let kept = 41;');
      // Printing from inside the loop proves it runs (output is flushed from a busy loop too);
      // interrupting before the loop started would leave it to block the kernel later.
      const loop = 'let t0 = Date.now();\nwhile (true) {\n  if (Date.now() - t0 > 100) { console.log("started"); t0 = Date.now(); }\n}';
      const cell = await interrupted(kernel, loop, how);
      assert.equal(cell.reply.content.status, 'error');
      assert.equal(cell.reply.content.ename, 'Interrupted');
      assert.equal(cell.of('error')[0]!.content.ename, 'Interrupted');
      assert.equal(resultText(await run(kernel.client, 'kept + 1')), '42');
      // t0 was assigned before the interrupt: it stays, as Python keeps names after a KeyboardInterrupt
      assert.equal(resultText(await run(kernel.client, 'typeof t0')), 'number');
    });

    it(`stops a top-level await that never settles (${how})`, async () => {
      const cell = await interrupted(kernel, 'console.log("started");\nawait new Promise(() => {});', how);
      assert.equal(cell.reply.content.ename, 'Interrupted');
      // The next awaiting cell is not hit by a stale interrupt.
      const next = await run(kernel.client, 'await new Promise((r) => setTimeout(r, 20));\n"after"');
      assert.equal(next.reply.content.status, 'ok', JSON.stringify(next.reply.content));
      assert.equal(resultText(next), 'after');
    });
  }

  it('ignores an interrupt while idle', async () => {
    await kernel.client.request('control', 'interrupt_request', {});
    const next = await run(kernel.client, 'await Promise.resolve(5)');
    assert.equal(resultText(next), '5');
  });

  it('survives interrupts while it is still starting (the io thread already answered kernel_info)', async () => {
    const starting = await startKernel();
    try {
      // startKernel returns once kernel_info is answered, which the io thread does before the preload ends.
      for (let i = 0; i < 3; i++) {
        starting.process.kill('SIGINT');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const cell = await run(starting.client, 'tb.DataArray.name');
      assert.equal(cell.reply.content.status, 'ok', JSON.stringify(cell.reply.content));
      assert.equal(resultText(cell), 'DataArray');
      assert.equal(starting.process.exitCode, null);
    } finally {
      await starting.stop();
    }
  });
});

