import { createHash } from 'node:crypto';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';

/** The Subresource Integrity value of some bytes: `sha384-<base64>`, as a `<script integrity>` attribute takes it. */
export function integrityOf(bytes: Uint8Array): string {
  return `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
}

/**
 * Writes `<file>.sri` next to every JS file of the build: the sha384 integrity value of the file as shipped, so a
 * partner can pin the script tag (`integrity` + `crossorigin="anonymous"`). The package exports it as
 * `liqx-payout-widget/script-tag.sri`; README's pinned tag carries the same value (test/node/repo/sri.test.ts checks it,
 * `npm run sri:readme` refreshes it).
 *
 * It hashes the files on disk in `closeBundle`, after every `writeBundle` hook has finished: build/terser-pass.ts
 * rewrites the file there, and those hooks run in parallel.
 */
export function subresourceIntegrity(): Plugin {
  let outDir = '';
  return {
    name: 'liqx:sri',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      for (const name of await readdir(outDir)) {
        if (!name.endsWith('.js')) continue;
        const file = join(outDir, name);
        await writeFile(`${file}.sri`, `${integrityOf(await readFile(file))}\n`);
      }
    },
  };
}
