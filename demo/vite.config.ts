/**
 * Builds the two demo pages into demo/dist: the partner host page (demo/index.html, served by the
 * partner proxy at /) and the mock LIQX widget frame (demo/frame/index.html, served by the mock LIQX at
 * /widget/:session_id), and the widget gallery (demo/gallery.html, served by the partner proxy; its tiles embed
 * demo/frame/gallery.html, the frame page with fixed data, served by the mock LIQX at /gallery/frame). Shared
 * chunks land in demo/dist/assets, which both servers serve at /assets/.
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
        // Hosted mode: the same payout screens opened top-level (served by the mock LIQX at /hosted/:session_id).
        'frame-hosted': r('frame/hosted.html'),
        // The gallery's copy of the frame page: the same screen with fixed data and a frozen clock (/gallery/frame).
        'frame-gallery': r('frame/gallery.html'),
        // The widget gallery (every payout screen, locale and theme; its tiles embed frame/gallery.html).
        gallery: r('gallery.html'),
      },
    },
  },
});
