/**
 * Which engine this run is on (web-test-runner.config.mjs, `--engine=<name>`), and tests that only one engine can
 * run. A Chromium-only test carries its reason in its title; on other engines it is skipped, and the engine
 * summary of `npm test` lists it with that title.
 */
import { ENGINE } from '/__fixtures/env.js';

export { ENGINE };

/** `it` on Chromium; `it.skip` elsewhere. The title says why, e.g. "[Chromium only: DevTools heap counters]". */
export function itChromiumOnly(title: string, reason: string, fn: Mocha.Func): Mocha.Test {
  const titled = `${title} [Chromium only: ${reason}]`;
  return ENGINE === 'chromium' ? it(titled, fn) : it.skip(titled, fn);
}
