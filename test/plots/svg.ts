/**
 * Parse an SVG with Python's standard XML parser (a real parser, no npm
 * dependency) and count the vega mark groups by class.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Context } from 'mocha';
import { SYSTEM_PYTHON } from '../helpers/python.js';

const SCRIPT = String.raw`
import json, sys, xml.etree.ElementTree as ET
root = ET.fromstring(sys.stdin.read())
counts = {}
for el in root.iter():
    for c in (el.get('class') or '').split():
        if c.startswith('mark-') or c.startswith('role-'):
            counts[c] = counts.get(c, 0) + 1
tag = root.tag.split('}')[-1]
print(json.dumps({'tag': tag, 'width': root.get('width'), 'height': root.get('height'), 'counts': counts,
                  'paths': sum(1 for e in root.iter() if e.tag.endswith('path')),
                  'images': sum(1 for e in root.iter() if e.tag.endswith('image'))}))
`;

export interface SvgSummary {
  tag: string;
  width: string;
  height: string;
  counts: Record<string, number>;
  paths: number;
  images: number;
}

export function parseSvg(ctx: Context, svg: string): SvgSummary {
  if (!existsSync(SYSTEM_PYTHON)) {
    if (process.env.CI) throw new Error(`${SYSTEM_PYTHON} is missing: cannot parse the SVG`);
    ctx.skip();
  }
  return JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', SCRIPT], { input: svg, encoding: 'utf8' })) as SvgSummary;
}
