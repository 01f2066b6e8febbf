/** Size budget of the script-tag build, read from the built file (`npm run build` first; `npm test` does). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

import { SCRIPT_TAG_SIZE } from '../../../build/size-budget.js';

const FILE = SCRIPT_TAG_SIZE.file;
/**
 * The budget: 17 KB gzip (level 9, as a CDN serves it), the constant `npm run bench` reads too. The one library
 * is lit's ReactiveElement (the channel is the platform's MessageChannel, the schemas the protocol's own builders);
 * what keeps the rest small: no lit-html, no zod, minified CSS, a second terser pass.
 */
const BUDGET_GZIP = SCRIPT_TAG_SIZE.budgetGzip;

test(`script-tag bundle ${FILE} is within ${BUDGET_GZIP} bytes gzip`, () => {
  const raw = readFileSync(FILE);
  const gzip = gzipSync(raw, { level: 9 }).length;
  console.log(`# ${FILE}: ${raw.length} bytes min, ${gzip} bytes gzip (budget ${BUDGET_GZIP}, ${BUDGET_GZIP - gzip} bytes to spare)`);
  assert.ok(gzip <= BUDGET_GZIP, `${gzip} bytes gzip exceeds the budget of ${BUDGET_GZIP}`);
});

test('script-tag bundle defines no global and has no inline-eval constructs', () => {
  const code = readFileSync(FILE, 'utf8');
  // An IIFE whose entry exports nothing: it must not assign a `var X =` global.
  assert.match(code, /^\(function\(\)\{|^\(\(\)=>\{|^!function|^\(function\s*\(\)/);
  assert.doesNotMatch(code, /\bnew Function\(|\beval\(/);
});
