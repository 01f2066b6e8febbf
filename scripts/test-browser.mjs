// `npm run test:browser`: the browser suite on every engine in turn (Chromium, Firefox, WebKit), one browser
// per engine, one test file at a time. Each engine is found or, on Debian as root, installed first
// (scripts/find-engines.mjs). Ends with one line per engine: passed, failed, skipped, time.
//
//   npm run test:browser                                 all three engines
//   npm run test:browser -- --engine firefox             one engine (repeat the flag, or a comma list, for more)
//   npm run test:browser -- --engine webkit --files test/browser/visual.test.ts --update-visual-baseline
//
// Everything but --engine is passed to web-test-runner. Exit code 1 when any engine failed or could not run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ENGINES, ensureEngine } from './find-engines.mjs';

/** @param {string[]} argv */
export function parseArgs(argv) {
  /** @type {string[]} */
  const engines = [];
  /** @type {string[]} */
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--engine' || a.startsWith('--engine=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      engines.push(...String(value ?? '').split(',').filter(Boolean));
    } else rest.push(a);
  }
  for (const e of engines) {
    if (!(/** @type {readonly string[]} */ (ENGINES)).includes(e)) throw new Error(`--engine ${e}: one of ${ENGINES.join(', ')}`);
  }
  return { engines: engines.length ? [...new Set(engines)] : [...ENGINES], rest };
}

/**
 * Runs web-test-runner once per engine.
 * @param {string[]} engines
 * @param {string[]} wtrArgs
 * @returns {{ engine: string, label: string, ok: boolean, passed: number, failed: number, skipped: number, fileErrors: number, seconds: number, failures: string[], skips: string[], note?: string }[]}
 */
export function runEngines(engines, wtrArgs = []) {
  const dir = mkdtempSync(path.join(tmpdir(), 'liqx-wtr-'));
  const results = [];
  try {
    for (const engine of engines) {
      const label = { chromium: 'Chromium', firefox: 'Firefox', webkit: 'WebKit' }[engine] ?? engine;
      const found = ensureEngine(engine);
      if (!found) {
        results.push({ engine, label, ok: false, passed: 0, failed: 0, skipped: 0, fileErrors: 0, seconds: 0, failures: [], skips: [], note: 'not installed' });
        continue;
      }
      console.log(`\n=== browser tests on ${label} (${found})`);
      const summaryFile = path.join(dir, `${engine}.json`);
      const started = Date.now();
      const { status } = spawnSync('npx', ['wtr', ...wtrArgs], {
        stdio: 'inherit',
        env: { ...process.env, LIQX_ENGINE: engine, LIQX_SUMMARY_FILE: summaryFile },
      });
      const seconds = Math.round((Date.now() - started) / 1000);
      let counts;
      try {
        counts = JSON.parse(readFileSync(summaryFile, 'utf8'));
      } catch {
        counts = { passed: 0, failed: 0, skipped: 0, fileErrors: 0, failures: [], skips: [], note: `web-test-runner exited with ${status} before reporting` };
      }
      results.push({ ...counts, engine, label, seconds, ok: status === 0 && counts.failed === 0 && counts.fileErrors === 0 });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return results;
}

/** One line per engine; skipped tests listed with their titles (which carry the reason). */
export function formatSummary(/** @type {ReturnType<typeof runEngines>} */ results) {
  const lines = ['Browser tests by engine:'];
  for (const r of results) {
    const extra = r.note ? ` (${r.note})` : r.fileErrors ? `, ${r.fileErrors} file(s) with errors` : '';
    lines.push(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.label.padEnd(9)} ${String(r.passed).padStart(4)} passed, ${String(r.failed).padStart(3)} failed, ${String(r.skipped).padStart(3)} skipped  ${String(r.seconds).padStart(4)} s${extra}`);
    for (const f of r.failures ?? []) lines.push(`         failed: ${f}`);
    for (const s of new Set(r.skips ?? [])) lines.push(`         skipped: ${s}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { engines, rest } = parseArgs(process.argv.slice(2));
  const results = runEngines(engines, rest);
  console.log(`\n${formatSummary(results)}`);
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
