import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { minify } from 'terser';
import type { Plugin } from 'vite';

/**
 * A second, terser pass over the written, already-minified script-tag file: terser's compressor finds ~250 B
 * gzip that Vite's minifier leaves, which the size budget needs. Safe options only (no `unsafe_*`; `keep_fargs:
 * false` drops unused parameters, which only code reading Function.length would notice: lit and
 * the element do not). It runs on
 * the files on disk, with their source map as input, so the CDN file still maps to src/.
 */
export function terserPass(): Plugin {
  return {
    name: 'liqx:terser-pass',
    apply: 'build',
    async writeBundle(options, bundle) {
      const dir = options.dir!;
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        const file = join(dir, chunk.fileName);
        const mapFile = `${file}.map`;
        const map = await readFile(mapFile, 'utf8').catch(() => null);
        const result = await minify(await readFile(file, 'utf8'), {
          ecma: 2020,
          toplevel: true,
          compress: { passes: 3, keep_fargs: false },
          mangle: true,
          format: { comments: false },
          sourceMap: map ? { content: map, url: `${chunk.fileName.split('/').pop()}.map` } : false,
        });
        if (result.code === undefined) throw new Error(`terser produced no output for ${chunk.fileName}`);
        await writeFile(file, result.code);
        if (map && typeof result.map === 'string') await writeFile(mapFile, result.map);
      }
    },
  };
}
