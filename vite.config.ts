import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/**
 * Two builds:
 * - default: ES modules for bundlers (dependencies external so apps dedupe lit/penpal/zod);
 * - `--mode script-tag`: one self-contained, minified IIFE that defines the element from a plain <script>,
 *   with nothing bundled left out and no global variable (the entry has no exports).
 */
export default defineConfig(({ mode }) =>
  mode === 'script-tag'
    ? {
        build: {
          target: 'es2022',
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
        build: {
          target: 'es2022',
          outDir: 'dist',
          emptyOutDir: false,
          sourcemap: true,
          lib: {
            entry: {
              index: r('src/index.ts'),
              define: r('src/define.ts'),
              frame: r('src/frame/index.ts'),
              webhooks: r('src/webhooks/index.ts'),
            },
            formats: ['es'],
          },
          rolldownOptions: {
            external: [/^lit($|\/)/, /^@lit\//, /^penpal$/, /^zod($|\/)/, /^react($|\/)/, /^node:/, 'standardwebhooks'],
          },
        },
      },
);
