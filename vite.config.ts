import { defineConfig, type UserConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { minifyCssTemplates } from './build/minify-css-templates.js';
import { terserPass } from './build/terser-pass.js';
import { BUILD_TARGET, SCRIPT_TAG_TARGET } from './build/browser-targets.js';
import { privateGlobals } from './build/private-globals.js';
import { subresourceIntegrity } from './build/sri.js';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Three builds (`npm run build` runs all three, then tsc for the declarations):
 * - default: ES modules for bundlers and Node, one per package entry (index, define, frame, react, vue, testing,
 *   webhooks, server), dependencies external so apps dedupe lit/penpal/zod and the server keeps its drivers;
 * - `--mode script-tag`: one self-contained, minified IIFE that defines the element from a plain <script>,
 *   with nothing bundled left out and no global variable (the entry has no exports; build/private-globals.ts
 *   keeps lit's cross-copy globals inside the bundle);
 * - `--mode testing-frame`: the fake LIQX page of `liqx-payout-widget/testing` (dist/testing/fake-frame.html and a
 *   self-contained fake-frame.js), which partners serve from their own test server.
 */
const testingFrameBuild: UserConfig = {
  build: {
    target: BUILD_TARGET,
    outDir: 'dist/testing',
    emptyOutDir: true,
    minify: true,
    lib: { entry: r('src/testing/fake-frame.ts'), formats: ['iife'], name: 'LiqxFakeFrame', fileName: () => 'fake-frame.js' },
  },
  plugins: [
    {
      name: 'fake-frame-html',
      generateBundle() {
        this.emitFile({
          type: 'asset',
          fileName: 'fake-frame.html',
          source:
            '<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"><title>Fake LIQX payout frame</title></head>\n' +
            '<body><main><p id="status">Fake LIQX payout frame: connecting</p></main>\n<script src="./fake-frame.js"></script></body>\n</html>\n',
        });
      },
    },
  ],
};

export default defineConfig(({ mode }) =>
  mode === 'testing-frame'
    ? testingFrameBuild
    : mode === 'script-tag'
    ? {
        // subresourceIntegrity: dist/cdn/liqx-payout-widget.js.sri, the file's sha384 for a pinned <script integrity>.
        plugins: [privateGlobals(), minifyCssTemplates(), terserPass(), subresourceIntegrity()],
        build: {
          // Lowered below the support matrix so older Safari parses it and gets UNSUPPORTED_BROWSER (build/browser-targets.ts).
          target: SCRIPT_TAG_TARGET,
          outDir: 'dist/cdn',
          emptyOutDir: true,
          sourcemap: true,
          minify: true,
          lib: {
            entry: r('src/script-tag.ts'),
            formats: ['iife'],
            name: 'LiqxPayoutWidgetScriptTag',
            fileName: () => 'liqx-payout-widget.js',
          },
        },
      }
    : {
        plugins: [minifyCssTemplates()],
        build: {
          // The support matrix: package.json "browserslist" (build/browser-targets.ts).
          target: BUILD_TARGET,
          outDir: 'dist',
          // First step of `npm run build`: start from an empty dist/ so no stale chunk is ever packed.
          emptyOutDir: true,
          sourcemap: true,
          lib: {
            entry: {
              index: r('src/index.ts'),
              define: r('src/define.ts'),
              frame: r('src/frame/index.ts'),
              react: r('src/react.ts'),
              vue: r('src/vue.ts'),
              testing: r('src/testing/index.ts'),
              webhooks: r('src/webhooks/index.ts'),
              server: r('src/server/index.ts'),
            },
            formats: ['es'],
          },
          rolldownOptions: {
            external: [/^lit($|\/)/, /^@lit\//, /^penpal$/, /^zod($|\/)/, /^react($|\/)/, /^node:/, 'standardwebhooks', 'better-sqlite3', 'pg'],
            // Chunks shared by several entries; named by content hash, not after whichever module came first.
            output: { chunkFileNames: 'shared-[hash].js' },
          },
        },
      },
);
