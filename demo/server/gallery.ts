/**
 * The widget gallery's two pages, served by the partner proxy (the partner page's own origin):
 *
 *   GET /gallery.html               every widget state × locale × theme (demo/dist/gallery.html)
 *   GET /gallery/fake-frame.html    the fake LIQX frame of liqx-payout-widget/testing, which the tiles embed.
 *
 * The fake frame is served from this same origin on purpose: the test harness (`connectFakeFrame`) reaches its
 * driver inside the iframe, which a browser allows only same-origin (see the README's testing section). The
 * element still talks to it only through the verified channel (allowedOrigins = this origin). Both pages get a
 * strict CSP; the gallery may frame itself ('self') and the mock LIQX, the fake frame only lets this origin embed it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { pageCsp } from './csp.js';

export interface GalleryOptions {
  /** Built demo pages (demo/dist). */
  distDir: string;
  /** The mock LIQX origin (the gallery may embed its frame too). */
  liqxOrigin: () => string;
}

export function galleryCsp(liqxOrigin: string): string {
  return pageCsp({ frameSrc: ["'self'", liqxOrigin], frameAncestors: ["'self'"] });
}

export function fakeFrameCsp(): string {
  return pageCsp({ frameSrc: [], frameAncestors: ["'self'"] });
}

async function page(c: Context, file: string, csp: string) {
  let html: string;
  try {
    html = await readFile(file, 'utf8');
  } catch {
    return c.text('The demo pages are not built: run `npm run demo` (it runs vite build first).', 503);
  }
  c.header('content-security-policy', csp);
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  return c.html(html);
}

export function registerGallery(app: Hono, opts: GalleryOptions): void {
  const gallery = (c: Context) => page(c, join(opts.distDir, 'gallery.html'), galleryCsp(opts.liqxOrigin()));
  app.get('/gallery', gallery);
  app.get('/gallery.html', gallery);
  app.get('/gallery/fake-frame.html', (c) => page(c, join(opts.distDir, 'gallery', 'fake-frame.html'), fakeFrameCsp()));
}
