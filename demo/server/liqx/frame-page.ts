/**
 * Serves the built widget frame page (demo/dist/frame/index.html) for GET /widget/:session_id.
 *
 * The page is static; the server fills two meta tags (no inline script, the CSP forbids it): the
 * partner origins allowed to embed it (for connectToHost's allowedParentOrigins) and the intent the
 * session belongs to (so even a refused token can be reported as WIDGET_ERROR about that intent).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pageCsp } from '../csp.js';

const escapeAttr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

function setMeta(html: string, name: string, value: string): string {
  const re = new RegExp(`(<meta\\s+name="${name}"\\s+content=")[^"]*(")`);
  return html.replace(re, `$1${escapeAttr(value)}$2`);
}

/** Returns the page, or null when the demo pages have not been built yet. */
export async function renderFramePage(distDir: string, values: { parentOrigins: string[]; intentId: string }): Promise<string | null> {
  let html: string;
  try {
    html = await readFile(join(distDir, 'frame', 'index.html'), 'utf8');
  } catch {
    return null;
  }
  html = setMeta(html, 'liqx-parent-origins', values.parentOrigins.join(' '));
  return setMeta(html, 'liqx-intent-id', values.intentId);
}

/** CSP for the frame: own scripts/styles only, and only the registered partner origins may embed it (none: no page may). */
export function frameCsp(parentOrigins: string[]): string {
  return pageCsp({ frameSrc: [], frameAncestors: parentOrigins, formAction: "'none'" });
}

/**
 * GET /gallery/frame?screen=...: the gallery's copy of the frame page (demo/dist/frame/gallery.html), the same
 * payout screen with fixed data and a frozen clock, put into the screen the query names. Only the partner
 * origins may embed it, as the real page; it redeems no token and touches no payout. It is a route of its own,
 * so the real page at /widget/:session_id never runs the gallery's data or clock.
 */
export async function renderGalleryFramePage(distDir: string, parentOrigins: string[]): Promise<string | null> {
  let html: string;
  try {
    html = await readFile(join(distDir, 'frame', 'gallery.html'), 'utf8');
  } catch {
    return null;
  }
  return setMeta(html, 'liqx-parent-origins', parentOrigins.join(' '));
}
