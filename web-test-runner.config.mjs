// @ts-check
// Browser tests on one engine per run: Chromium (default), Firefox or WebKit (`--engine=<name>` or LIQX_ENGINE;
// test/plugins/engines.mjs; `npm run test:browser` runs all three in turn). The test page runs on http://localhost:<port>;
// the fixture frames on two more loopback origins (test/plugins/cross-origin-fixtures.mjs).
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { visualRegressionPlugin } from '@web/test-runner-visual-regression/plugin';
import { qualityPlugin, visualOptions } from './test/plugins/quality-plugin.mjs';
import { distributionPlugin } from './test/plugins/distribution-plugin.mjs';
import { launcherFor, selectedEngine } from './test/plugins/engines.mjs';
import { engineSummaryReporter } from './test/plugins/engine-summary-reporter.mjs';
import { crossOriginFixtures } from './test/plugins/cross-origin-fixtures.mjs';

const r = (/** @type {string} */ p) => fileURLToPath(new URL(p, import.meta.url));
const ENGINE = selectedEngine();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  hostname: 'localhost',
  browsers: [launcherFor(ENGINE)],
  // One browser, one test file at a time (a 2-core machine); Firefox's first start builds a profile (~24 s).
  concurrency: 1,
  browserStartTimeout: 120_000,
  // A file's bound (default 120 s): the leak cycles alone took longer than that on a 2-core machine at load 20.
  testsFinishTimeout: 600_000,
  reporters: [defaultReporter(), engineSummaryReporter(ENGINE)],
  // Fixture frames on other origins load their modules from this server.
  middleware: [
    function cors(ctx, next) {
      ctx.set('Access-Control-Allow-Origin', '*');
      return next();
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: r('./tsconfig.json'), target: 'es2022' }),
    // FRAME_ORIGIN and OTHER_ORIGIN: the fixture frames on two more loopback origins.
    crossOriginFixtures(ENGINE),
    // PAGE_ORIGIN (plain partner pages, optional strict CSP) and browser builds of React and Vue.
    distributionPlugin(),
    // Baselines in screenshots/<Chromium|Firefox|WebKit>/baseline/; `npm run test:visual:update` refreshes them (test/plugins/quality-plugin.mjs).
    visualRegressionPlugin({ ...visualOptions, update: process.argv.includes('--update-visual-baseline') }),
    qualityPlugin(),
  ],
  // A bound for a busy 2-core machine (a cold frame load plus handshake can take seconds), not a speed goal.
  testFramework: { config: { timeout: 30000 } },
};
