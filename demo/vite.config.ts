/**
 * Builds the two demo pages into demo/dist: the partner host page (demo/index.html, served by the
 * partner proxy at /) and the mock LIQX widget frame (demo/frame/index.html, served by the mock LIQX at
 * /widget/:session_id), and the widget gallery (demo/gallery.html with its fake frame demo/gallery/fake-frame.html,
 * both served by the partner proxy). Shared chunks land in demo/dist/assets, which both servers serve at /assets/.
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

const FAKE_FRAME = /[\\/]src[\\/]testing[\\/]fake-frame\.ts$/;

export default defineConfig({
  root: r('.'),
  plugins: [
    {
      // The gallery's fake frame page runs src/testing/fake-frame.ts for its side effects, which package.json's
      // `sideEffects` does not list (partners get the built dist/testing/fake-frame.js): keep it in the bundle.
      name: 'gallery-fake-frame-side-effects',
      transform(code, id) {
        return FAKE_FRAME.test(id) ? { code, map: null, moduleSideEffects: true } : null;
      },
    },
  ],
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
        // Hosted mode: the same payout screens opened top-level (served by the mock LIQX at /hosted/:session_id).
        'frame-hosted': r('frame/hosted.html'),
        // The widget gallery (every state, locale and theme) and its fake LIQX frame (liqx-payout-widget/testing).
        gallery: r('gallery.html'),
        'gallery-frame': r('gallery/fake-frame.html'),
      },
    },
  },
});
