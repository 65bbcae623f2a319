/**
 * A Jupyter server starts a session's kernel in the folder of the session path, relative to its
 * root_dir, which it does not tell clients. To run the kernel in `cwd`, a uniquely named marker
 * file is put there and looked up through the contents API under each tail of `cwd` (longest
 * first): the first hit is `cwd` as the server sees it.
 */
import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type * as Services from '@jupyterlab/services';

/** The server-relative path of `cwd` ('' for the root), or undefined when the server cannot see it. */
export async function serverPathOf(services: typeof Services, settings: Services.ServerConnection.ISettings, cwd: string): Promise<string | undefined> {
  const marker = `scs-runner-cwd-${randomUUID()}.tmp`;
  try {
    writeFileSync(join(cwd, marker), '');
  } catch {
    return undefined; // read-only folder: nothing to probe with
  }
  try {
    const parts = resolve(cwd).split(sep).filter(Boolean);
    for (let start = 0; start <= parts.length; start++) {
      const rel = parts.slice(start);
      const url = `${settings.baseUrl.replace(/\/*$/, '/')}api/contents/${[...rel, marker].map(encodeURIComponent).join('/')}?content=0`;
      const response = await services.ServerConnection.makeRequest(url, {}, settings);
      if (response.ok) return rel.join('/');
    }
    return undefined;
  } finally {
    rmSync(join(cwd, marker), { force: true });
  }
}
