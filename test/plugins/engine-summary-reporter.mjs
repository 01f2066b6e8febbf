// @ts-check
// A web-test-runner reporter that counts the run's tests for the engine summary of `npm test`
// (scripts/test-browser.mjs): passed, failed, skipped (with the titles of skipped tests, which carry the
// reason, e.g. "[Chromium only: ...]"), and files that failed outside any test. With LIQX_SUMMARY_FILE set it
// writes the counts there as JSON.
import { writeFileSync } from 'node:fs';

/** @param {string} engine */
export function engineSummaryReporter(engine) {
  const started = Date.now();
  return {
    /** @param {{ sessions: any[] }} args */
    stop({ sessions }) {
      const counts = { engine, passed: 0, failed: 0, skipped: 0, fileErrors: 0, seconds: 0, failures: /** @type {string[]} */ ([]), skips: /** @type {string[]} */ ([]) };
      /** @param {any} suite @param {string[]} path @param {string} file */
      const walk = (suite, path, file) => {
        for (const t of suite.tests ?? []) {
          const title = [...path, t.name].join(' > ');
          if (t.skipped) {
            counts.skipped++;
            counts.skips.push(title);
          } else if (t.passed) counts.passed++;
          else {
            counts.failed++;
            counts.failures.push(`${file}: ${title}`);
          }
        }
        for (const s of suite.suites ?? []) walk(s, [...path, s.name], file);
      };
      for (const session of sessions) {
        const file = session.testFile.replace(`${process.cwd()}/`, '');
        if (session.testResults) walk(session.testResults, [], file);
        // A file that did not load or threw outside a test has errors and no failing test.
        if (session.errors?.length || (!session.passed && !session.testResults)) {
          counts.fileErrors++;
          counts.failures.push(`${file}: ${session.errors?.[0]?.message ?? 'did not finish'}`);
        }
      }
      counts.seconds = Math.round((Date.now() - started) / 1000);
      if (process.env.LIQX_SUMMARY_FILE) writeFileSync(process.env.LIQX_SUMMARY_FILE, JSON.stringify(counts, null, 2));
    },
  };
}
