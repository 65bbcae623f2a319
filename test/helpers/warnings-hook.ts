/**
 * Mocha root hook (.mocharc `require`), for a passing run that prints only
 * the test results. Progress: the toolbox reports long steps (writing a mock
 * run on a loaded machine) on stderr unless a sink is set; here a silent sink
 * is set, and set again after each test (tests that install their own sink
 * reset it to null). Warnings: the toolbox and the runner warn
 * (ToolBoxWarning, RunnerWarning) on exactly the odd data and failing kernels
 * many tests provoke on purpose, and Node prints every warning to stderr. This
 * counts those two kinds instead of printing them and says so once at the end,
 * so the output of a passing run holds nothing unexplained; any other warning
 * (a deprecation, a leak) is printed as Node would. SCS_TEST_WARNINGS=1 prints
 * them all. Tests that check a warning listen for it themselves.
 */
import { type ProgressSink, progressSink, setProgressSink } from '../../toolbox/display/progress.js';

const OURS = new Set(['ToolBoxWarning', 'RunnerWarning']);
const SILENT: ProgressSink = { update: () => undefined };
const quietProgress = () => { if (progressSink() === null) setProgressSink(SILENT); };
const counts = new Map<string, number>();

if (process.env.SCS_TEST_WARNINGS !== '1') {
  // Node's own printer is the 'warning' listener installed at startup: keep it for the other kinds
  const printers = process.listeners('warning');
  process.removeAllListeners('warning');
  process.on('warning', (w: Error) => {
    if (OURS.has(w.name)) {
      counts.set(w.name, (counts.get(w.name) ?? 0) + 1);
      return;
    }
    for (const print of printers) print.call(process, w);
  });
}

export const mochaHooks = {
  beforeAll: quietProgress,
  afterEach: quietProgress,
  afterAll(): void {
    if (!counts.size) return;
    const what = [...counts].map(([name, n]) => `${n} ${name}${n > 1 ? 's' : ''}`).join(' and ');
    console.log(`\n  (${what} from the code under test not printed: tests provoke them on purpose; SCS_TEST_WARNINGS=1 prints them)`);
  },
};
