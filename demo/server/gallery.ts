/**
 * The widget gallery, served by the partner proxy (the partner page's own origin):
 *
 *   GET /gallery.html    every payout screen × locale × theme (demo/dist/gallery.html)
 *
 * Its tiles embed the mock LIQX's payout page in its gallery copy (GET <liqx origin>/gallery/frame, see
 * demo/server/liqx/frame-page.ts), cross-origin as in production; the page learns that origin from a meta tag
 * filled in here. Strict CSP: the gallery may frame the mock LIQX (and itself), nothing inline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Context, Hono } from 'hono';
import { pageCsp } from './csp.js';

export interface GalleryOptions {
  /** Built demo pages (demo/dist). */
  distDir: string;
  /** The mock LIQX origin, whose payout page the tiles embed. */
  liqxOrigin: () => string;
}

export function galleryCsp(liqxOrigin: string): string {
  return pageCsp({ frameSrc: ["'self'", liqxOrigin], frameAncestors: ["'self'"] });
}

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

async function page(c: Context, file: string, csp: string, liqxOrigin: string) {
  let html: string;
  try {
    html = (await readFile(file, 'utf8')).replace(/(<meta\s+name="liqx-origin"\s+content=")[^"]*(")/, `$1${escapeAttr(liqxOrigin)}$2`);
  } catch {
    return c.text('The demo pages are not built: run `npm run demo` (it runs vite build first).', 503);
  }
  c.header('content-security-policy', csp);
  c.header('cache-control', 'no-store');
  c.header('x-content-type-options', 'nosniff');
  return c.html(html);
}

export function registerGallery(app: Hono, opts: GalleryOptions): void {
  const gallery = (c: Context) => page(c, join(opts.distDir, 'gallery.html'), galleryCsp(opts.liqxOrigin()), opts.liqxOrigin());
  app.get('/gallery', gallery);
  app.get('/gallery.html', gallery);
}
