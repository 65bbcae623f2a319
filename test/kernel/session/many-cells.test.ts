import assert from 'node:assert/strict';
import { startKernel, type StartedKernel } from '../../helpers/kernel-client.js';
import { run } from './cells.js';

describe('kernel session: many cells', () => {
  let kernel: StartedKernel;
  before(async () => {
    kernel = await startKernel();
  });
  after(async () => {
    await kernel?.stop();
  });

  it('answers 1000 cells with output, each with its reply and idle status', async () => {
    // kernel-client resolves a request only once both the reply and the idle status arrived.
    for (let i = 0; i < 1000; i++) {
      const cell = await run(kernel.client, `const v${i % 10} = ${i};\nconsole.log("cell", v${i % 10});\nv${i % 10} * 2`, {}, 20_000);
      assert.equal(cell.reply.content.status, 'ok');
      assert.equal(cell.stream('stdout'), `cell ${i}\n`);
      assert.equal(cell.of('execute_result')[0]!.content.data['text/plain'], String(i * 2));
    }
  });
});
