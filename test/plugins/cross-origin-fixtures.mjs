// @ts-check
// Two loopback servers (127.0.0.1:<random>) for the browser tests' fixture frames, so every iframe is truly
// cross-origin: FRAME_ORIGIN plays LIQX, OTHER_ORIGIN an attacker or a redirect target. The test page reads both
// origins (and the engine's name) from the virtual module `/__fixtures/env.js`.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const r = (/** @type {string} */ p) => fileURLToPath(new URL(`../../${p}`, import.meta.url));

/** Pretendard (OFL, from npm), the one font every screenshot in the browser tests renders with. */
const FIXTURE_FONT_PATH = 'node_modules/pretendard/dist/web/variable/woff2/PretendardVariable.woff2';
/** @type {Promise<Buffer> | undefined} */
let fixtureFontBytes;
const fixtureFont = () => (fixtureFontBytes ??= readFile(r(FIXTURE_FONT_PATH)));

/** A loopback server for fixture pages in test/fixtures/frames; `%WTR%` in them becomes the test server origin. */
function fixtureServer(/** @type {() => string} */ wtrOrigin) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: url.searchParams.get('to') ?? '/' }).end();
      return;
    }
    const name = url.pathname.replace(/^\/+/, '');
    // The frames' own font, from this origin (a cross-origin font would need CORS): screenshots of the frame
    // must not depend on which fonts the machine has.
    if (name === 'fixture-sans.woff2') {
      res.writeHead(200, { 'content-type': 'font/woff2', 'cache-control': 'max-age=3600' }).end(await fixtureFont());
      return;
    }
    if (name === 'fixture.css') {
      res.writeHead(200, { 'content-type': 'text/css', 'cache-control': 'no-store' }).end(await readFile(r('test/fixtures/frames/fixture.css')));
      return;
    }
    if (!/^[\w-]+\.html$/.test(name)) return void res.writeHead(404).end();
    try {
      const html = (await readFile(r(`test/fixtures/frames/${name}`), 'utf8')).replaceAll('%WTR%', wtrOrigin());
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(html);
    } catch {
      res.writeHead(404).end();
    }
  });
  return {
    /** @returns {Promise<string>} the origin */
    async start() {
      await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
      const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
      return `http://127.0.0.1:${addr.port}`;
    },
    stop: () => new Promise((ok) => server.close(() => ok(undefined))),
  };
}

/** @param {string} ENGINE the engine this run drives, told to the tests */
export function crossOriginFixtures(ENGINE) {
  let wtr = '';
  const frames = fixtureServer(() => wtr);
  const other = fixtureServer(() => wtr);
  let FRAME_ORIGIN = '';
  let OTHER_ORIGIN = '';
  return {
    name: 'cross-origin-fixtures',
    /** @param {{ config: { hostname?: string, port?: number } }} args */
    async serverStart({ config }) {
      wtr = `http://${config.hostname ?? 'localhost'}:${config.port}`;
      FRAME_ORIGIN = await frames.start();
      OTHER_ORIGIN = await other.start();
    },
    async serverStop() {
      await Promise.all([frames.stop(), other.stop()]);
    },
    /** @param {import('@web/dev-server-core').Context} ctx */
    serve(ctx) {
      if (ctx.path === '/__fixtures/env.js') {
        return {
          body: `export const FRAME_ORIGIN = ${JSON.stringify(FRAME_ORIGIN)};\nexport const OTHER_ORIGIN = ${JSON.stringify(OTHER_ORIGIN)};\nexport const ENGINE = ${JSON.stringify(ENGINE)};\n`,
          type: 'js',
        };
      }
    },
  };
}

