/** The text summary of a collection (EXtra-data's info()). */
import type { DataCollection } from './data-collection.js';

const NAT = -(2n ** 63n);

function duration(dc: DataCollection): string {
  const ts = dc.trainTimestamps().values as BigInt64Array;
  const valid = Array.from(ts).filter((t) => t !== NAT);
  let seconds: number;
  if (valid.length >= 2) seconds = Number(valid[valid.length - 1] - valid[0]) / 1e9 + 0.1;
  else seconds = dc.trainIdsExact.length / 10; // 10 Hz train rate
  const s = Math.round(seconds);
  const hh = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

export function summary(dc: DataCollection): string {
  const ids = dc.trainIdsExact;
  const lines = [
    `# of trains:    ${ids.length}`,
    `Duration:       ${duration(dc)}`,
    `First train ID: ${ids.length ? ids[0] : '-'}`,
    `Last train ID:  ${ids.length ? ids[ids.length - 1] : '-'}`,
    '',
  ];
  const inst = dc.instrumentSources;
  lines.push(`${inst.length} instrument sources:`);
  for (const s of inst) {
    const keys = dc.keysForSource(s);
    const groups = [...new Set(keys.map((k) => k.split('.')[0]))];
    lines.push(`  - ${s}`);
    for (const g of groups) {
      const counts = dc.dataCounts(s, keys.find((k) => k.startsWith(`${g}.`))!).values as Int32Array;
      const withData = counts.reduce((a, c) => a + (c > 0 ? 1 : 0), 0);
      lines.push(`    ${g}: ${keys.filter((k) => k.startsWith(`${g}.`)).length} keys, data in ${withData}/${ids.length} trains`);
    }
  }
  const ctrl = dc.controlSources;
  lines.push('', `${ctrl.length} control sources:`);
  for (const s of ctrl) lines.push(`  - ${s}`);
  if (dc.skippedFiles.length) {
    lines.push('', `${dc.skippedFiles.length} unreadable files skipped:`);
    for (const f of dc.skippedFiles) lines.push(`  - ${f.file}: ${f.reason}`);
  }
  return lines.join('\n');
}
