/**
 * The examples as a partner runs them: the package packed as a fresh clone packs it (prepack builds dist/),
 * each example installed from its own lock file (`npm ci`, the tarball's unpacked copy), type-checked with
 * skipLibCheck false and built; then, per pair, `npm run sandbox` (the mock LIQX), the example backend serving the
 * built page, and one payout in a real browser, ending with the signed webhook's receipt shown by the page from the
 * backend's own scoped receipts read. Decline and expiry run once each. The plain-HTML pair also completes on Firefox
 * (puppeteer-core over WebDriver BiDi) and WebKit (WebKitGTK's MiniBrowser over WebDriver classic under Xvfb), each
 * checked in the backend's scoped read too. The Vue example's development build (no isCustomElement, as a default
 * Vite app) shows that Vue's warning prints the session prop but never its token; svelte-check must reject the Svelte
 * example's marked misuses.
 *
 * LIQX_EXAMPLES_PACK=keep reuses .pack/ from an earlier `npm run pack:examples` (local runs only).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser as PwBrowser, type Page } from 'playwright-core';
import puppeteer from 'puppeteer-core';
// @ts-expect-error: plain ESM helpers without type declarations
import { CHROMIUM_ARGS, findChromium } from '../../scripts/find-chromium.mjs';
// @ts-expect-error: plain ESM helper without type declarations
import { ensureEngine, findWebKit } from '../../scripts/find-engines.mjs';
// @ts-expect-error: plain ESM helper without type declarations
import { packForExamples } from '../../scripts/pack-examples.mjs';
import { startPostgres, type PostgresServer } from '../../scripts/lib/postgres-server.js';
import { startWebKit, waitFor, type ElementRef } from './webkit-classic.js';

const ROOT = resolve(import.meta.dirname, '../..');
const EXAMPLES = join(ROOT, 'examples');
const STEP = 30_000;
/** The examples this test installs; each frontend's built page is served by the backend it pairs with. */
const INSTALL = ['hono-sqlite', 'express-postgres', 'plain-html', 'react-vite', 'vue-vite', 'svelte-vite', 'angular', 'nextjs'];
/**
 * The Vue example built as a default Vite + Vue app is in development: no isCustomElement, Vue's dev warnings on.
 * Vite's API run in the example's folder, so the example's own vite and plugin build it.
 */
const VUE_DEV_BUILD = `
import vue from '@vitejs/plugin-vue';
import { build } from 'vite';
await build({ configFile: false, mode: 'development', plugins: [vue()], logLevel: 'warn', build: { outDir: process.env.OUT_DIR, emptyOutDir: true, minify: false } });
`;
/** The sandbox's printed credentials (its defaults). */
const API_KEY = 'lqx_test_partner_demo_0001';

let work: string;
let postgres: PostgresServer | undefined;
const children: ChildProcess[] = [];
const timings: string[] = [];

const freePort = () =>
  new Promise<number>((ok, fail) => {
    const s = createServer();
    s.on('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => ok(port));
    });
  });

function run(cmd: string, args: string[], cwd: string, what: string, env: Record<string, string> = {}) {
  const t0 = performance.now();
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', ...env } });
  assert.equal(res.status, 0, `${what} failed:\n${res.stdout}\n${res.stderr}`);
  timings.push(`${what} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return res.stdout;
}

/**
 * better-sqlite3 compiles from source where its prebuilt binary cannot be downloaded (here: about 2 minutes idle,
 * over 5 on a busy machine). The root's own install compiled the same version for this Node: offered to the
 * examples' `npm ci` as a local prebuild (prebuild-install's `local-prebuilds`), as a CI cache of binaries would.
 */
function sqlitePrebuilds(): Record<string, string> {
  const root = join(ROOT, 'node_modules/better-sqlite3');
  const binary = join(root, 'build/Release/better_sqlite3.node');
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const wanted = (JSON.parse(readFileSync(join(EXAMPLES, 'hono-sqlite/package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['better-sqlite3'];
  if (!existsSync(binary) || wanted !== version) return {};
  const dir = join(work, 'prebuilds');
  mkdirSync(dir);
  const name = `better-sqlite3-v${version}-node-v${process.versions.modules}-${process.platform}-${process.arch}.tar.gz`;
  execFileSync('tar', ['czf', join(dir, name), '-C', root, 'build/Release/better_sqlite3.node']);
  return { npm_config_better_sqlite3_local_prebuilds: dir };
}

/** Starts a process and resolves with its stdout once `ready` matches it (fails naming `what` after STEP). */
function start(what: string, cmd: string, args: string[], cwd: string, env: Record<string, string>, ready: RegExp) {
  // Its own process group: `npm start` does not pass SIGTERM on to the server it started, so stop() signals the group.
  const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.push(child);
  let out = '';
  return new Promise<{ child: ChildProcess; out: () => string }>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`timed out waiting for ${what}:\n${out}`)), STEP * 4);
    const on = (d: Buffer) => {
      out += d.toString();
      if (ready.test(out)) {
        clearTimeout(timer);
        ok({ child, out: () => out });
      }
    };
    child.stdout!.on('data', on);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${what} exited (${code}):\n${out}`));
    });
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok();
    child.once('exit', () => ok());
    process.kill(-child.pid!, 'SIGTERM');
  });

/**
 * `npm run sandbox` and the backend serving `frontend`'s built page (`staticDir`: another build of it), on free
 * ports, wired to each other. `nextjs` is page and backend in one app (its route handlers).
 */
async function startPair(backend: 'hono-sqlite' | 'express-postgres' | 'nextjs', frontend: string, sandboxEnv: Record<string, string> = {}, staticDir = join(EXAMPLES, frontend, 'dist')) {
  const [liqxPort, port] = await Promise.all([freePort(), freePort()]);
  const origin = `http://localhost:${port}`;
  const sandbox = await start(
    'the sandbox',
    process.execPath,
    [join(ROOT, 'scripts/sandbox.mjs')],
    ROOT,
    { PARTNER_ORIGINS: origin, WEBHOOK_URL: `${origin}/webhooks/liqx`, LIQX_PORT: String(liqxPort), DEMO_DIST_DIR: join(work, 'frame'), CONFIRM_DELAY_MS: '100', ...sandboxEnv },
    /^Script tag integrity:/m,
  );
  const printed = (label: string) => new RegExp(`^${label}:\\s+(\\S+)`, 'm').exec(sandbox.out())?.[1] ?? '';
  assert.equal(printed('Partner API key'), API_KEY);
  const server = await start(
    `the ${backend} backend`,
    'npm',
    backend === 'nextjs' ? ['start', '--', '-p', String(port), '-H', '127.0.0.1'] : ['start'],
    join(EXAMPLES, backend),
    {
      PORT: String(port),
      LIQX_API_URL: printed('Mock LIQX sandbox').replace(/\/$/, ''),
      LIQX_API_KEY: printed('Partner API key'),
      LIQX_WEBHOOK_SECRET: printed('Webhook secret'),
      STATIC_DIR: staticDir,
      ...(backend !== 'express-postgres'
        ? { DATABASE_FILE: join(work, `${backend}-${port}.sqlite`) }
        : { DATABASE_URL: await (postgres ??= await startPostgres()).createDatabase(`payouts_${port}`) }),
    },
    backend === 'nextjs' ? /Ready in/ : /Partner backend on/,
  );
  return {
    url: `${origin}/`,
    sandboxOut: sandbox.out,
    backendOut: server.out,
    close: () => Promise.all([stop(server.child), stop(sandbox.child)]),
  };
}

type Pair = Awaited<ReturnType<typeof startPair>>;

/** The page's `<output>` once it shows `text` (the receipt read from the backend), or a failure naming it. */
const receiptText = /^Receipt: (completed|failed|expired)$/;

/** The status of `intentId`'s receipt in the backend's scoped receipts read, once the backend holds one. */
function serverReceipt(pair: Pair, intentId: string): Promise<string> {
  return waitFor(
    `the backend's receipt of ${intentId}`,
    async () => {
      const res = await fetch(`${pair.url}api/receipts?intent_id=${encodeURIComponent(intentId)}`);
      assert.equal(res.status, 200, `the receipts read of ${intentId} answered ${res.status}`);
      const { rows } = (await res.json()) as { rows: { status: string }[] };
      return rows[0]?.status;
    },
    STEP * 2,
  );
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'liqx-examples-e2e-'));
  const t0 = performance.now();
  const keep = process.env.LIQX_EXAMPLES_PACK === 'keep' && existsSync(join(ROOT, '.pack/liqx-payout-widget/package.json'));
  if (!keep) {
    const files: string[] = packForExamples({ quiet: true });
    // What a publish from a fresh clone ships: prepack built dist/.
    for (const must of ['dist/index.js', 'dist/server.js', 'dist/cdn/liqx-payout-widget.js', 'dist/cdn/liqx-payout-widget.js.sri', 'dist/types/index.d.ts', 'custom-elements.json']) {
      assert.ok(files.includes(must), `the tarball from a fresh copy lacks ${must} (${files.length} files)`);
    }
    timings.push(`pack (fresh copy, prepack build) ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  // The plain-HTML page pins the script-tag file by its hash: the packed file must be the one it names.
  const packed = readFileSync(join(ROOT, '.pack/liqx-payout-widget/dist/cdn/liqx-payout-widget.js.sri'), 'utf8').trim();
  const pinned = /integrity="([^"]+)"/.exec(readFileSync(join(EXAMPLES, 'plain-html/public/index.html'), 'utf8'))?.[1];
  assert.equal(pinned, packed, 'examples/plain-html/public/index.html pins another build: run `npm run build && npm run sri:readme`');
  const prebuilds = sqlitePrebuilds();
  for (const name of INSTALL) {
    const dir = join(EXAMPLES, name);
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    run('npm', ['ci', '--prefer-offline'], dir, `${name}: npm ci`, prebuilds);
    run('npm', ['run', 'build'], dir, `${name}: type-check + build`);
  }
});

after(async () => {
  await Promise.all(children.map(stop));
  await postgres?.stop();
  console.log(timings.map((t) => `# examples: ${t}`).join('\n'));
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('examples on Chromium (playwright-core)', () => {
  let browser: PwBrowser;
  before(async () => {
    const executablePath = findChromium();
    assert.ok(executablePath, 'No Chromium found (set CHROME_PATH)');
    browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  });
  after(() => browser?.close());

  /**
   * One payout: Withdraw, then Confirm or Decline in the frame (or wait for expiry); returns the page's last status.
   * `watch` sees the page before it loads; the promise it returns is awaited before the page closes.
   */
  async function payout(pair: Pair, action: 'confirm' | 'decline' | 'expire', watch?: (page: Page) => () => Promise<void>) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const settle = watch?.(page);
    const url = pair.url;
    try {
      await page.goto(url);
      await page.getByRole('button', { name: /Withdraw/ }).click({ timeout: STEP });
      const frame = page.frameLocator('liqx-payout-widget iframe');
      await frame.locator('#confirm-button').waitFor({ state: 'visible', timeout: STEP });
      if (action === 'confirm') await frame.locator('#confirm-button').click({ timeout: STEP });
      if (action === 'decline') {
        await frame.locator('#decline-button').click({ timeout: STEP });
        await frame.locator('#decline-submit').click({ timeout: STEP });
      }
      const output = page.locator('output');
      await page.waitForFunction((re) => new RegExp(re).test(document.querySelector('output')?.textContent ?? ''), receiptText.source, { timeout: STEP * 2 });
      assert.deepEqual(errors, [], 'no uncaught page errors');
      await settle?.();
      return (await output.textContent()) ?? '';
    } catch (error) {
      // What the page, the backend and the sandbox said, to see which half failed.
      const shown = await page.locator('output').textContent().catch(() => '(no page)');
      throw new Error(`${(error as Error).message}\npage shows: ${shown}\nbackend:\n${pair.backendOut()}\nsandbox:\n${pair.sandboxOut()}`);
    } finally {
      await page.close();
    }
  }

  test('plain HTML (SRI-pinned script tag) + Hono and SQLite: Confirm -> receipt completed', async () => {
    const pair = await startPair('hono-sqlite', 'plain-html');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
    } finally {
      await pair.close();
    }
  });

  test('React + Vite (StrictMode) + Hono and SQLite: Confirm -> receipt completed', async () => {
    const pair = await startPair('hono-sqlite', 'react-vite');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
    } finally {
      await pair.close();
    }
  });

  test('Vue 3 + Vite (SFC) + Express and PostgreSQL: Confirm -> receipt completed; Decline -> receipt failed', async () => {
    const pair = await startPair('express-postgres', 'vue-vite');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
      assert.equal(await payout(pair, 'decline'), 'Receipt: failed');
    } finally {
      await pair.close();
    }
  });

  // Chromium only: what is checked is Vue's own dev-mode warning, the same on every engine; Playwright gives each
  // console argument's JSON and preview.
  test('Vue 3 development build without isCustomElement: the warning prints the session prop, never its token; Confirm -> receipt completed', async () => {
    // What a partner gets from a default Vite + Vue app that forgot isCustomElement, in development mode: Vue warns
    // "Failed to resolve component" with a trace of the components around the tag and their props.
    const outDir = join(work, 'vue-vite-development');
    run(process.execPath, ['--input-type=module', '-e', VUE_DEV_BUILD], join(EXAMPLES, 'vue-vite'), 'vue-vite: development build without isCustomElement', { NODE_ENV: 'development', OUT_DIR: outDir });
    const pair = await startPair('express-postgres', 'vue-vite', {}, outDir);
    const printed: string[] = [];
    const session = { token: '', id: '' };
    try {
      const status = await payout(pair, 'confirm', (page) => {
        const pending: Promise<unknown>[] = [];
        page.on('response', (res) => {
          if (new URL(res.url()).pathname === '/api/payouts') {
            pending.push(res.json().then((body: { widget_session: { session_token: string; session_id: string } }) => {
              session.token = body.widget_session.session_token;
              session.id = body.widget_session.session_id;
            }));
          }
        });
        // Each message as the console shows it (text with object previews), and each argument's JSON.
        page.on('console', (msg) => {
          printed.push(msg.text());
          for (const arg of msg.args()) pending.push(arg.evaluate((v) => JSON.stringify(v) ?? String(v)).then((json) => printed.push(json), () => undefined));
        });
        return async () => void (await Promise.all(pending));
      });
      assert.equal(status, 'Receipt: completed');
    } finally {
      await pair.close();
    }
    assert.match(session.token, /^lqxwst_/, 'the test saw the session the backend returned');
    const warnings = printed.filter((line) => line.includes('Failed to resolve component: liqx-payout-widget'));
    assert.ok(warnings.length > 0, `Vue's dev warning was printed:\n${printed.join('\n')}`);
    assert.ok(warnings.some((line) => line.includes('session=') && line.includes(session.id)), `the warning's trace printed the session prop:\n${warnings.join('\n')}`);
    assert.deepEqual(printed.filter((line) => line.includes(session.token)), [], 'no console output holds the session token');
  });

  test('Svelte 5 + Vite + Express and PostgreSQL: Confirm -> receipt completed', async () => {
    const pair = await startPair('express-postgres', 'svelte-vite');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
    } finally {
      await pair.close();
    }
  });

  test('Svelte typings: svelte-check rejects exactly the misused lines of examples/svelte-vite/type-errors', () => {
    // The right usages type-check in the example's own build (npm run build ran svelte-check on src/); this folder
    // holds the wrong ones, each marked `type error`, and every one must be an error.
    const dir = join(EXAMPLES, 'svelte-vite');
    const fixture = readFileSync(join(dir, 'type-errors/Wrong.svelte'), 'utf8').split('\n');
    const expected = fixture.flatMap((line, i) => (line.includes('<!-- type error') ? [i + 1] : []));
    assert.ok(expected.length >= 5, 'the fixture marks its wrong lines');
    const res = spawnSync('npx', ['svelte-check', '--tsconfig', 'type-errors/tsconfig.json', '--output', 'machine'], { cwd: dir, encoding: 'utf8' });
    const errors = [...res.stdout.matchAll(/^\d+ ERROR "type-errors\/Wrong\.svelte" (\d+):\d+ (.*)$/gm)];
    assert.notEqual(res.status, 0, `svelte-check passed the wrong usages:\n${res.stdout}${res.stderr}`);
    assert.deepEqual([...new Set(errors.map((m) => Number(m[1])))], expected, `errors on exactly the marked lines:\n${res.stdout}${res.stderr}`);
  });

  test('Angular 21 + Hono and SQLite: Confirm -> receipt completed', async () => {
    const pair = await startPair('hono-sqlite', 'angular');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
    } finally {
      await pair.close();
    }
  });

  test('Next.js App Router (client page + route handlers, SQLite): Confirm -> receipt completed', async () => {
    const pair = await startPair('nextjs', 'nextjs');
    try {
      assert.equal(await payout(pair, 'confirm'), 'Receipt: completed');
    } finally {
      await pair.close();
    }
  });

  test('plain HTML + Hono and SQLite: the reservation expires -> receipt expired', async () => {
    // A short reservation: the frame counts down to expiry and LIQX sends transaction.expired.
    const pair = await startPair('hono-sqlite', 'plain-html', { INTENT_TTL_MS: '12000', SESSION_TTL_MS: '12000' });
    try {
      assert.equal(await payout(pair, 'expire'), 'Receipt: expired');
    } finally {
      await pair.close();
    }
  });

  test("the backend's receipts read is scoped: another payout's intent is 404", async () => {
    const pair = await startPair('hono-sqlite', 'plain-html');
    try {
      const res = await fetch(`${pair.url}api/receipts?intent_id=pi_not_mine`);
      assert.equal(res.status, 404);
      const missing = await fetch(`${pair.url}api/receipts`);
      assert.equal(missing.status, 404);
    } finally {
      await pair.close();
    }
  });
});

describe('plain HTML example on Firefox (puppeteer-core, WebDriver BiDi)', () => {
  test('Confirm -> receipt completed, in the page and in the backend\'s scoped read', async () => {
    const executablePath = ensureEngine('firefox') as string | null;
    assert.ok(executablePath, 'No Firefox found (install firefox-esr)');
    const pair = await startPair('hono-sqlite', 'plain-html');
    const browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true, protocolTimeout: 60_000 });
    try {
      const page = await browser.newPage();
      await page.goto(pair.url);
      await page.click('button');
      // The widget frame on the sandbox's origin, once its Confirm button shows (a frame that navigates away while
      // it is being queried is looked up again).
      const deadline = Date.now() + STEP;
      for (;;) {
        const frame = page.frames().find((f) => f.url().includes('/widget/'));
        const button = await frame?.waitForSelector('#confirm-button', { visible: true, timeout: 2_000 }).catch(() => null);
        if (button) {
          await button.click();
          break;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for the widget's Confirm button; page shows: ${await page.$eval('output', (el) => el.textContent)}\n${pair.backendOut()}`);
        // Yield to the event loop: the browser's frame events arrive on it.
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const intentId = await page.$eval('liqx-payout-widget', (el) => (el as HTMLElement & { session: { intent_id?: string } | null }).session?.intent_id ?? '');
      assert.match(intentId, /^\S+$/, 'the session the page set names its intent');
      await page.waitForFunction((re: string) => new RegExp(re).test(document.querySelector('output')?.textContent ?? ''), { timeout: STEP * 2 }, receiptText.source);
      assert.equal(await page.$eval('output', (el) => el.textContent), 'Receipt: completed');
      assert.equal(await serverReceipt(pair, intentId), 'completed');
    } finally {
      await browser.close();
      await pair.close();
    }
  });
});

const webkit = findWebKit() as { driver: string; xvfb: string } | null;

describe('plain HTML example on WebKit (WebKitGTK MiniBrowser, WebDriver classic under Xvfb)', () => {
  test('Confirm -> receipt completed, in the page and in the backend\'s scoped read', { skip: !webkit && 'WebKitWebDriver or Xvfb missing (apt-get install webkit2gtk-driver xvfb)' }, async () => {
    const pair = await startPair('hono-sqlite', 'plain-html');
    const browser = await startWebKit(webkit!, STEP);
    const shown = () => browser.execute<string>("return document.querySelector('output').textContent").catch((e: Error) => `(${e.message})`);
    try {
      await browser.wd('POST', '/url', { url: pair.url });
      await browser.click(await waitFor('the Withdraw button', () => browser.displayed('button'), STEP));
      // The widget's iframe is in the element's shadow root; its page is on the sandbox's origin. If the frame
      // navigates while it is being looked into, the driver loses it: go back to the top page and find it again.
      const confirm = await waitFor(
        "the widget's Confirm button",
        async () => {
          await browser.switchToFrame(null);
          const frame = await browser.execute<ElementRef | null>("const w = document.querySelector('liqx-payout-widget'); return (w && w.shadowRoot && w.shadowRoot.querySelector('iframe')) || null");
          if (!frame) return undefined;
          try {
            await browser.switchToFrame(frame);
            return await browser.displayed('#confirm-button');
          } catch {
            return undefined;
          }
        },
        STEP,
      ).catch(async (error: Error) => {
        await browser.switchToFrame(null).catch(() => undefined);
        throw new Error(`${error.message}; page shows: ${await shown()}\n${pair.backendOut()}`);
      });
      // Still in the widget's frame: the button found there is the one to click.
      await browser.click(confirm);
      await browser.switchToFrame(null);
      const intentId = await browser.execute<string>("const s = document.querySelector('liqx-payout-widget').session; return (s && s.intent_id) || ''");
      assert.match(intentId, /^\S+$/, 'the session the page set names its intent');
      // The page reads the same scoped endpoint; the backend's own answer is what says the receipt arrived.
      assert.equal(await serverReceipt(pair, intentId), 'completed');
      const status = await waitFor('the page to show the receipt', async () => {
        const text = await shown();
        return receiptText.test(text) ? text : undefined;
      }, STEP * 2);
      assert.equal(status, 'Receipt: completed');
    } finally {
      await browser.close();
      await pair.close();
    }
  });
});
