/**
 * CI smoke run of `npm run bench` (BENCH_SMOKE=1: a few iterations of everything). Asserts the table is complete,
 * every row with a number, goal and result; never asserts a timing (the figures of a smoke run mean nothing).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const ROWS = [
  /^script-tag bundle, minified$/,
  /^script-tag bundle, gzip$/,
  /^dependency floor \(.*\), gzip$/,
  /^frame SDK script \(src\/frame\), gzip$/,
  /^protocol overhead \(connected -> liqx-ready minus bare iframe load\), median of \d+$/,
  /^relay latency frame emit -> host callback \(upper bound, host clock\), p50 of \d+$/,
  /^relay latency frame emit -> host callback \(upper bound, host clock\), p99 of \d+$/,
  // bench/peers.ts: the widget beside its peers, one interleaved run.
  /^time to ready, bare floor .*, median of \d+ rounds$/,
  /^time to ready, penpal [\d.]+ raw .*, x bare floor, median of \d+ rounds$/,
  ...['post-robot', 'zoid', 'liqx-payout-widget'].flatMap((c) => [
    new RegExp(`^time to ready, ${c}.*, x bare floor, median of \\d+ rounds$`),
    new RegExp(`^time to ready, ${c}.*, x penpal raw, median of \\d+ rounds$`),
  ]),
  ...['penpal', 'post-robot', 'zoid', 'liqx-payout-widget'].map((c) => new RegExp(`^relay over the floor, ${c}.*, p50 of \\d+$`)),
  ...['bare floor', 'penpal', 'post-robot', 'zoid', 'liqx-payout-widget'].map((c) => new RegExp(`^host script cold evaluation, ${c}.*, p50 of \\d+$`)),
  ...['bare floor', 'penpal', 'post-robot', 'zoid', 'liqx-payout-widget'].map((c) => new RegExp(`^host script gzip, ${c}.*$`)),
  ...['bare floor', 'penpal', 'post-robot', 'zoid', 'liqx-payout-widget'].map((c) => new RegExp(`^frame script gzip, ${c}.*$`)),
  /^signed webhooks ingested .*$/,
  /^events read .* p95 of \d+$/,
  // bench/stores.ts: PostgreSQL beside SQLite.
  /^signed webhooks ingested \(HTTP \+ verify \+ PostgreSQL commit\), 1 instance, \d+ x \d+ in flight$/,
  /^signed webhooks ingested \(HTTP \+ verify \+ PostgreSQL commit\), 3 instances, round-robin, \d+ x \d+ in flight$/,
  ...['SQLite', 'PostgreSQL'].flatMap((engine) => [
    ...['no filter', 'provider only', 'intent_id', 'external_ref', 'type only', 'status only', 'since only', 'one owner', 'owner \\+ status', 'type \\+ status',
      'type \\+ status, no match together', 'provider \\+ type \\+ status, no match together', 'no match \\(type\\)'].map(
      (shape) => new RegExp(`^events read at \\w+ rows, ${engine}, ${shape} \\(HTTP, limit=20\\), p95 of \\d+$`),
    ),
    ...(engine === 'SQLite' ? [/^SQLite ingest with 2 readers hammering ".*" at \d+ rows, share of its rate alone \(\d+\/s\)$/] : []),
  ]),
];

test('npm run bench (BENCH_SMOKE=1) prints one complete table', { timeout: 300_000 }, () => {
  const res = spawnSync(process.execPath, ['--import', 'tsx', 'bench/run.ts'], {
    env: { ...process.env, BENCH_SMOKE: '1' },
    encoding: 'utf8',
    timeout: 290_000,
  });
  assert.equal(res.status, 0, `bench failed:\n${res.stdout}\n${res.stderr}`);
  const lines = res.stdout.split('\n').filter((l) => l.startsWith('| '));
  assert.equal(lines[0], '| Metric | Value | Goal | Result |');
  const body = lines.slice(1).filter((l) => !l.startsWith('|---'));
  assert.equal(body.length, ROWS.length, `rows:\n${body.join('\n')}`);
  for (const [i, line] of body.entries()) {
    const [metric, value, goal, result] = line.split('|').slice(1, -1).map((c) => c.trim());
    assert.match(metric, ROWS[i]);
    // A shape check only: a difference of two measured times can be negative on a busy machine.
    assert.match(value, /^-?\d+(\.\d+)? (B|ms|\/s|x)$/, `${metric}: value "${value}" is a number with a unit`);
    assert.ok(Number.isFinite(Number.parseFloat(value)), `${metric}: ${value}`);
    assert.ok(goal.length > 0, `${metric}: has a goal`);
    assert.match(result, /^(pass|FAIL|–)$/, `${metric}: result "${result}"`);
  }
  console.log(lines.map((l) => `# ${l}`).join('\n'));
});
