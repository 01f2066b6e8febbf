/**
 * The mock LIQX origin as the widget's CDN: `GET /cdn/liqx-payout-widget@<version>/liqx-payout-widget.js` (and its
 * `.map` and `.sri`) from the package's build (dist/cdn/). A versioned path only, the package's own version, so a
 * pinned `integrity` never meets other bytes under the same URL. Served with CORS (`Access-Control-Allow-Origin: *`,
 * no credentials), which a `<script integrity crossorigin="anonymous">` on a partner's page needs, and
 * `Cross-Origin-Resource-Policy: cross-origin` for pages that require CORP.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { MiddlewareHandler } from 'hono';

const CDN_DIR = fileURLToPath(new URL('../../../dist/cdn/', import.meta.url));
const PACKAGE_JSON = fileURLToPath(new URL('../../../package.json', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.js.map': 'application/json; charset=utf-8',
  '.js.sri': 'text/plain; charset=utf-8',
};

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'cross-origin-resource-policy': 'cross-origin',
  'timing-allow-origin': '*',
} as const;

export function scriptTagCdn(): MiddlewareHandler {
  let version: Promise<string> | null = null;
  return async (c, next) => {
    const match = /^\/cdn\/liqx-payout-widget@([^/]+)\/liqx-payout-widget(\.js(?:\.map|\.sri)?)$/.exec(c.req.path);
    if (!match || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    version ??= readFile(PACKAGE_JSON, 'utf8').then((s) => (JSON.parse(s) as { version: string }).version);
    if (match[1] !== (await version)) return c.text('No such version on this CDN.', 404, CORS_HEADERS);
    const body = await readFile(`${CDN_DIR}liqx-payout-widget${match[2]}`).catch(() => null);
    if (body === null) return c.text('The script-tag file is not built: run `npm run build`.', 404, CORS_HEADERS);
    return c.body(new Uint8Array(body), 200, {
      ...CORS_HEADERS,
      'content-type': TYPES[match[2]]!,
      // A versioned file never changes.
      'cache-control': 'public, max-age=31536000, immutable',
      'x-content-type-options': 'nosniff',
    });
  };
}
