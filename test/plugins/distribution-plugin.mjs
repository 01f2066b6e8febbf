// @ts-check
// web-test-runner plumbing for the distribution tests:
// - a third loopback origin, PAGE_ORIGIN, serving plain partner pages from test/fixtures/pages/ (no bundler, no
//   import rewriting) with an optional strict Content-Security-Policy header (`?csp=strict`), or one that refuses
//   to be framed (`?embed=deny`: frame-ancestors 'none'); `/hang` accepts a request and never answers it;
// - a fourth, CDN_ORIGIN: the script-tag file on a versioned path with CORS, bytes as built (the SRI test);
// - React and Vue as the browser sees them from a CDN or a bundler: react / react-dom are CommonJS, so they are
//   bundled once (development build, so StrictMode really double-invokes) into shared ES modules; `vue` maps to
//   its self-contained ES browser build (runtime + template compiler).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const r = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));
const PACKAGE_VERSION = JSON.parse(await readFile(r('../../package.json'), 'utf8')).version;

/**
 * The script-tag file as a CDN serves it for a pinned tag: its own loopback origin (CDN_ORIGIN, not the pages' and
 * not the test server's, whose esbuild plugin would lower the file and change its bytes), a versioned path, CORS,
 * the bytes exactly as built (demo/server/liqx/cdn.ts serves it the same way).
 */
function cdnServer() {
  const path = `/cdn/liqx-payout-widget@${PACKAGE_VERSION}/liqx-payout-widget.js`;
  const server = http.createServer(async (req, res) => {
    const cors = { 'access-control-allow-origin': '*', 'cross-origin-resource-policy': 'cross-origin', 'cache-control': 'no-store' };
    if (new URL(req.url ?? '/', 'http://x').pathname !== path) return void res.writeHead(404, cors).end();
    const body = await readFile(r('../../dist/cdn/liqx-payout-widget.js')).catch(() => null);
    if (!body) return void res.writeHead(404, cors).end('dist/cdn/liqx-payout-widget.js is not built: npm run build');
    res.writeHead(200, { ...cors, 'content-type': 'text/javascript; charset=utf-8' }).end(body);
  });
  return {
    async start() {
      await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
      return `http://127.0.0.1:${/** @type {import('node:net').AddressInfo} */ (server.address()).port}`;
    },
    stop: () =>
      new Promise((ok) => {
        server.close(() => ok(undefined));
        server.closeAllConnections();
      }),
  };
}

/** The strict policy of the script-tag test: scripts from the page and the CDN only, no inline anything. */
export function strictCsp(/** @type {{ page: string, cdn: string, frame: string }} */ o) {
  return [
    "default-src 'none'",
    `script-src ${o.page} ${o.cdn}`,
    "style-src 'self'",
    `frame-src ${o.frame}`,
    "base-uri 'none'",
    "object-src 'none'",
    "form-action 'none'",
  ].join('; ');
}

/**
 * Pages get the LIQX (fixture frame) origin in their query, `?frame=<origin>`: it is another plugin's server.
 * @param {() => string} wtrOrigin the test server origin, known after start
 * @param {() => string} [cdnOrigin] the CDN server's origin (cdnServer)
 */
function pageServer(wtrOrigin, cdnOrigin = () => '') {
  /** @type {string} */
  let self = '';
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    // A widget_url whose server never answers: the iframe never fires `load` (closed when the server stops).
    if (url.pathname === '/hang') return;
    const match = /^\/pages\/([\w-]+\.(html|js))$/.exec(url.pathname);
    if (!match) return void res.writeHead(404).end();
    const wtr = wtrOrigin();
    const frame = url.searchParams.get('frame') ?? '';
    if (frame && !/^http:\/\/127\.0\.0\.1:\d+$/.test(frame)) return void res.writeHead(400).end();
    // script-tag-sri.html: the integrity value under test (`?integrity=sha384-...`).
    const integrity = url.searchParams.get('integrity') ?? '';
    if (integrity && !/^sha(256|384|512)-[A-Za-z0-9+/]+={0,2}$/.test(integrity)) return void res.writeHead(400).end();
    let body;
    try {
      body = (await readFile(r(`../fixtures/pages/${match[1]}`), 'utf8'))
        .replaceAll('%WTR%', wtr)
        .replaceAll('%PAGE%', self)
        .replaceAll('%CDN%', cdnOrigin())
        .replaceAll('%VERSION%', PACKAGE_VERSION)
        .replaceAll('%INTEGRITY%', integrity);
    } catch {
      return void res.writeHead(404).end();
    }
    /** @type {Record<string, string>} */
    const headers = {
      'content-type': match[2] === 'html' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
      'cache-control': 'no-store',
    };
    if (match[2] === 'html' && url.searchParams.get('csp') === 'strict') {
      headers['content-security-policy'] = strictCsp({ page: self, cdn: match[1] === 'script-tag-sri.html' ? cdnOrigin() : wtr, frame });
    }
    // What LIQX sends for a partner origin it does not know: no page may frame this one.
    if (match[2] === 'html' && url.searchParams.get('embed') === 'deny') headers['content-security-policy'] = "frame-ancestors 'none'";
    res.writeHead(200, headers).end(body);
  });
  return {
    async start() {
      await new Promise((ok) => server.listen(0, '127.0.0.1', () => ok(undefined)));
      const addr = /** @type {import('node:net').AddressInfo} */ (server.address());
      self = `http://127.0.0.1:${addr.port}`;
      return self;
    },
    stop: () =>
      new Promise((ok) => {
        server.close(() => ok(undefined));
        server.closeAllConnections();
      }),
  };
}

/** ES modules for React (one shared chunk, so react-dom and the wrapper see the same React). */
async function bundleReact() {
  // Export names read in a child process: loading React here would touch web-test-runner's patched console.
  const named = (/** @type {string} */ id) =>
    /** @type {string[]} */ (JSON.parse(execFileSync(process.execPath, ['-p', `JSON.stringify(Object.keys(require(${JSON.stringify(id)})))`], {
      cwd: r('../..'),
      env: { ...process.env, NODE_ENV: 'development' },
      encoding: 'utf8',
    }))).filter((k) => /^[A-Za-z_$][\w$]*$/.test(k));
  /** @type {Record<string, string>} */
  const entries = {
    react: `import m from 'react'; export default m; export const { ${named('react').join(', ')} } = m;`,
    'react-dom-client': `import m from 'react-dom/client'; export default m; export const { ${named('react-dom/client').join(', ')} } = m;`,
  };
  const result = await esbuild.build({
    entryPoints: Object.keys(entries).map((name) => ({ in: `vendor:${name}`, out: name })),
    bundle: true,
    splitting: true,
    format: 'esm',
    target: 'es2022',
    write: false,
    outdir: '/__vendor',
    define: { 'process.env.NODE_ENV': '"development"' },
    logLevel: 'silent',
    plugins: [
      {
        name: 'vendor-entries',
        setup(build) {
          build.onResolve({ filter: /^vendor:/ }, (a) => ({ path: a.path.slice('vendor:'.length), namespace: 'vendor' }));
          build.onLoad({ filter: /.*/, namespace: 'vendor' }, (a) => ({ contents: entries[a.path], resolveDir: r('../..') }));
        },
      },
    ],
  });
  return new Map(result.outputFiles.map((f) => [f.path, f.text]));
}

export function distributionPlugin() {
  let wtr = '';
  let CDN_ORIGIN = '';
  const pages = pageServer(() => wtr, () => CDN_ORIGIN);
  const cdn = cdnServer();
  let PAGE_ORIGIN = '';
  /** @type {Promise<Map<string, string>> | null} */
  let vendor = null;
  return {
    name: 'distribution',
    /** @param {{ config: { hostname?: string, port?: number } }} args */
    async serverStart({ config }) {
      wtr = `http://${config.hostname ?? 'localhost'}:${config.port}`;
      PAGE_ORIGIN = await pages.start();
      CDN_ORIGIN = await cdn.start();
    },
    async serverStop() {
      await Promise.all([pages.stop(), cdn.stop()]);
    },
    /** @param {{ source: string }} args */
    resolveImport({ source }) {
      if (source === 'liqx-test-pages') return '/__fixtures/pages.js';
      if (source === 'react') return '/__vendor/react.js';
      if (source === 'react-dom/client') return '/__vendor/react-dom-client.js';
      if (source === 'vue') return '/node_modules/vue/dist/vue.esm-browser.js';
    },
    /** @param {import('@web/dev-server-core').Context} ctx */
    async serve(ctx) {
      if (ctx.path === '/__fixtures/pages.js') {
        return { body: `export const PAGE_ORIGIN = ${JSON.stringify(PAGE_ORIGIN)};\nexport const CDN_ORIGIN = ${JSON.stringify(CDN_ORIGIN)};\n`, type: 'js' };
      }
      if (ctx.path.startsWith('/__vendor/')) {
        vendor ??= bundleReact();
        const body = (await vendor).get(ctx.path);
        if (body !== undefined) return { body, type: 'js' };
      }
    },
  };
}
