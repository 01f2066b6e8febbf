// @ts-check
// Quality-gate plumbing for web-test-runner:
// - `visualOptions`: the visual-regression settings (threshold, "probe" screenshots that are compared against a
//   real baseline but never written as one, so a deliberately broken screenshot cannot become a baseline);
// - `qualityPlugin()`: serves `/__quality/minimal-frame.js` (the real frame SDK bundled in one file) and
//   server commands the browser tests call with `executeServerCommand`:
//     `quality:visual-mode`  -> { update } (whether baselines are being refreshed);
//     `quality:cdp-counters` -> DevTools-protocol counters of the test page (after forced garbage collection):
//                               message listeners on window, all JS event listeners, documents, DOM nodes,
//                               JSHeapUsedSize, and the page's frame count (cross-origin iframes included).
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { bundleMinimalFrame } from '../fixtures/bundle-frame.mjs';

const UPDATE = process.argv.includes('--update-visual-baseline');

/**
 * Screenshot comparison: pixelmatch's per-pixel colour threshold at 0.01 (the default 0.1 misses a #eef -> #fee
 * background change) and at most 0.5 % of the pixels may differ (text anti-aliasing noise stays far below that;
 * a changed background changes most of them). A name `probe/<name>` is compared with the baseline `<name>`.
 */
export const visualOptions = {
  update: UPDATE,
  baseDir: 'screenshots',
  diffOptions: { threshold: 0.01 },
  failureThreshold: 0.5,
  failureThresholdType: /** @type {'percent'} */ ('percent'),
  /** @param {{ browser: string, name: string }} args */
  getBaselineName: ({ browser, name }) =>
    name.startsWith('probe/') ? path.join(browser, 'probe', name.slice('probe/'.length)) : path.join(browser, 'baseline', name),
  /** @param {{ filePath: string }} args */
  async getBaseline({ filePath }) {
    try {
      return await readFile(filePath.replace(`${path.sep}probe${path.sep}`, `${path.sep}baseline${path.sep}`));
    } catch {
      return undefined;
    }
  },
  /** @param {{ filePath: string, content: Buffer }} args */
  async saveBaseline({ filePath, content }) {
    if (filePath.includes(`${path.sep}probe${path.sep}`)) return;
    const { mkdir, writeFile } = await import('node:fs/promises');
    await mkdir(path.dirname(filePath), { recursive: true });
    await writeFile(filePath, content);
  },
};

export function qualityPlugin() {
  /** @type {Map<string, any>} */
  const cdpSessions = new Map();

  /** @param {any} session */
  async function cdpFor(session) {
    if (session.browser.type !== 'playwright') throw new Error('quality:cdp-counters needs the playwright launcher');
    const page = session.browser.getPage(session.id);
    let cdp = cdpSessions.get(session.id);
    if (!cdp) {
      cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      cdpSessions.set(session.id, cdp);
    }
    return cdp;
  }

  /** @type {Promise<string> | null} */
  let minimalFrame = null;

  return {
    name: 'quality',
    /** The bundled minimal frame (test/fixtures/minimal-frame.ts) for test/fixtures/frames/minimal-frame.html. */
    async serve(/** @type {{ path: string }} */ ctx) {
      if (ctx.path !== '/__quality/minimal-frame.js') return undefined;
      minimalFrame ??= bundleMinimalFrame();
      return { body: await minimalFrame, type: 'js' };
    },
    /** @param {{ command: string, session: any, payload: any }} args */
    async executeCommand({ command, session }) {
      if (command === 'quality:visual-mode') return { update: UPDATE };
      if (command !== 'quality:cdp-counters') return undefined;
      const cdp = await cdpFor(session);
      // Two rounds: the first may only queue finalizers (FinalizationRegistry, weak maps).
      for (let i = 0; i < 2; i++) await cdp.send('HeapProfiler.collectGarbage');
      const { result } = await cdp.send('Runtime.evaluate', { expression: 'window', objectGroup: 'quality' });
      const { listeners } = await cdp.send('DOMDebugger.getEventListeners', { objectId: result.objectId });
      await cdp.send('Runtime.releaseObjectGroup', { objectGroup: 'quality' });
      const counters = await cdp.send('Memory.getDOMCounters');
      const { metrics } = await cdp.send('Performance.getMetrics');
      const metric = (/** @type {string} */ name) => metrics.find((/** @type {any} */ m) => m.name === name)?.value ?? -1;
      return {
        windowMessageListeners: listeners.filter((/** @type {any} */ l) => l.type === 'message').length,
        windowListeners: listeners.length,
        jsEventListeners: counters.jsEventListeners,
        documents: counters.documents,
        nodes: counters.nodes,
        jsHeapUsedSize: metric('JSHeapUsedSize'),
        // Every frame Playwright knows in the page, out-of-process (cross-origin) iframes included.
        frames: session.browser.getPage(session.id).frames().length,
      };
    },
    async serverStop() {
      for (const cdp of cdpSessions.values()) await cdp.detach().catch(() => {});
      cdpSessions.clear();
    },
  };
}
