/**
 * Builds the two demo pages into demo/dist: the partner host page (demo/index.html, served by the
 * partner proxy at /) and the mock LIQX widget frame (demo/frame/index.html, served by the mock LIQX at
 * /widget/:session_id). Shared chunks land in demo/dist/assets, which both servers serve at /assets/.
 *
 *   vite build --config demo/vite.config.ts
 *
 * No inline scripts or styles in the output (both pages run under a strict CSP). Lit's decorators need
 * the repository tsconfig (experimentalDecorators, useDefineForClassFields: false), which vite finds
 * by walking up from each source file.
 */
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: r('.'),
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    target: 'es2022',
    outDir: r('dist'),
    emptyOutDir: true,
    sourcemap: true,
    // Every asset as a file: inlined data: URLs would still pass the CSP, but modules must stay external.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        main: r('index.html'),
        frame: r('frame/index.html'),
      },
    },
  },
});
