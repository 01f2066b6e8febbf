// @ts-check
// The browser engines web-test-runner can run the suite on, one per run (`npx wtr --engine=<name>` or LIQX_ENGINE;
// scripts/test-browser.mjs runs all three in turn):
// - chromium: Debian's Chromium through Playwright (the launcher the Chromium baselines were made with; CDP);
// - firefox:  Firefox ESR through puppeteer-core over WebDriver BiDi (@web/test-runner-chrome's launcher);
// - webkit:   WebKitGTK's MiniBrowser through WebKitWebDriver (@web/test-runner-webdriver), under an Xvfb
//             display this launcher starts and stops itself. Its element screenshots come back black under Xvfb,
//             so element screenshots are cropped out of a page screenshot.
// Screenshot folders: screenshots/Chromium, screenshots/Firefox, screenshots/WebKit.
import { spawn } from 'node:child_process';
import net from 'node:net';
import { PNG } from 'pngjs';
import puppeteer from 'puppeteer-core';
import { chromeLauncher } from '@web/test-runner-chrome';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { WebdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_ARGS } from '../../scripts/find-chromium.mjs';
import { ENGINES, findEngine, findWebKit } from '../../scripts/find-engines.mjs';

/** The engine of this run: `--engine <name>` / `--engine=<name>`, else LIQX_ENGINE, else chromium. */
export function selectedEngine(argv = process.argv, env = process.env) {
  let engine = env.LIQX_ENGINE || 'chromium';
  const i = argv.findIndex((a) => a === '--engine' || a.startsWith('--engine='));
  if (i >= 0) engine = argv[i].includes('=') ? argv[i].split('=')[1] : argv[i + 1];
  if (!(/** @type {readonly string[]} */ (ENGINES).includes(engine))) throw new Error(`--engine ${engine}: one of ${ENGINES.join(', ')}`);
  return /** @type {'chromium' | 'firefox' | 'webkit'} */ (engine);
}

/** @param {'chromium' | 'firefox' | 'webkit'} engine */
export function launcherFor(engine) {
  const executablePath = findEngine(engine);
  if (!executablePath) throw new Error(`No ${engine} found: run \`node scripts/find-engines.mjs ${engine}\` (installs it on Debian as root).`);
  if (engine === 'chromium') {
    return playwrightLauncher({ product: 'chromium', launchOptions: { executablePath, headless: true, args: CHROMIUM_ARGS } });
  }
  if (engine === 'firefox') {
    // Passing puppeteer-core itself is what makes the launcher honour `browser: 'firefox'` (and name it Firefox).
    return chromeLauncher({
      puppeteer: /** @type {any} */ (puppeteer),
      launchOptions: { browser: 'firefox', executablePath, headless: true, protocolTimeout: 60_000 },
    });
  }
  return new WebKitLauncher();
}

/** A free loopback TCP port. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** WebKitGTK's MiniBrowser, with its own Xvfb display and WebKitWebDriver started on initialize, stopped on stop. */
class WebKitLauncher extends WebdriverLauncher {
  constructor() {
    super({
      hostname: '127.0.0.1',
      port: 0,
      path: '/',
      logLevel: 'error',
      // Without the second key webdriverio asks for `webSocketUrl` (BiDi) and the driver fails to match capabilities.
      capabilities: /** @type {any} */ ({ browserName: 'MiniBrowser', 'wdio:enforceWebDriverClassic': true }),
    });
    /** @type {import('node:child_process').ChildProcess[]} */
    this.children = [];
    this.killChildren = () => {
      for (const child of this.children) if (child.exitCode === null && child.pid) child.kill('SIGTERM');
    };
  }

  /** @param {any} config */
  async initialize(config) {
    await super.initialize(config);
    this.name = 'WebKit';
    const found = findWebKit();
    if (!found) throw new Error('WebKitWebDriver or Xvfb missing: run `node scripts/find-engines.mjs webkit`.');
    process.once('exit', this.killChildren);
    // Xvfb picks a free display and writes its number to fd 3.
    const xvfb = spawn(found.xvfb, ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    this.children.push(xvfb);
    const display = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error('Xvfb did not report a display within 20 s')), 20_000);
      /** @type {import('node:stream').Readable} */ (xvfb.stdio[3]).on('data', (chunk) => {
        out += chunk;
        if (out.includes('\n')) {
          clearTimeout(timer);
          resolve(`:${out.trim()}`);
        }
      });
      xvfb.once('exit', (code) => reject(new Error(`Xvfb exited with ${code}`)));
    });
    const port = await freePort();
    const driver = spawn(found.driver, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore', env: { ...process.env, DISPLAY: display } });
    this.children.push(driver);
    // Ready when its /status answers (condition + timeout).
    const deadline = Date.now() + 20_000;
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/status`).then((r) => r.ok, () => false);
      if (ok) break;
      if (driver.exitCode !== null) throw new Error(`WebKitWebDriver exited with ${driver.exitCode}`);
      if (Date.now() > deadline) throw new Error('WebKitWebDriver did not answer /status within 20 s');
      await sleep(100);
    }
    /** @type {any} */ (this).options.port = port;
  }

  async stop() {
    await super.stop();
    this.killChildren();
    process.removeListener('exit', this.killChildren);
  }

  /**
   * Element screenshot cropped out of a page screenshot (this driver's element screenshots are black under Xvfb).
   * @param {string} _sessionId
   * @param {string} locator a script returning the element
   */
  async takeScreenshot(_sessionId, locator) {
    const driver = /** @type {any} */ (this).driver;
    const rect = await driver.execute(`
      var el = (function () { ${locator} })();
      el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      var r = el.getBoundingClientRect();
      return [r.left, r.top, r.width, r.height, window.devicePixelRatio || 1];
    `);
    const [left, top, width, height, dpr] = /** @type {number[]} */ (rect);
    const page = PNG.sync.read(Buffer.from(await driver.takeScreenshot(), 'base64'));
    const x = Math.max(0, Math.round(left * dpr));
    const y = Math.max(0, Math.round(top * dpr));
    const w = Math.min(page.width - x, Math.round(width * dpr));
    const h = Math.min(page.height - y, Math.round(height * dpr));
    const out = new PNG({ width: w, height: h });
    PNG.bitblt(page, out, x, y, w, h, 0, 0);
    return PNG.sync.write(out);
  }
}
