/**
 * A synthetic run for a test suite: written once in before(), opened, and
 * removed in after(). Call inside describe(); read the fields inside tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DataCollection, runByPath } from '../../toolbox/index.js';
import { type MockRunOptions, type MockRunTruth, writeMockRun } from '../../toolbox/synthetic/run/mock-run.js';

export interface MockRunFixture {
  dir: string;
  truth: MockRunTruth;
  run: DataCollection;
}

export function useMockRun(options: MockRunOptions, prefix = 'scs-test-run-'): MockRunFixture {
  const fixture = {} as MockRunFixture;
  before(async () => {
    fixture.dir = mkdtempSync(join(tmpdir(), prefix));
    fixture.truth = await writeMockRun(fixture.dir, options);
    fixture.run = await runByPath(fixture.dir);
  });
  after(() => {
    fixture.run?.close();
    if (fixture.dir) rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
