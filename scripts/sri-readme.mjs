// @ts-check
// `npm run sri:readme` (after `npm run build`): puts the built script-tag file's integrity value and the package
// version into the pinned script tags of README.md and its HTML snippet. test/node/repo/sri.test.ts fails until they match.
import { readFileSync, writeFileSync } from 'node:fs';
import { PINNED_FILES, pinned } from './sri.mjs';

for (const file of PINNED_FILES) {
  const before = readFileSync(file, 'utf8');
  const { text, integrity, version, tags } = pinned(before);
  if (tags === 0) throw new Error(`${file} has no pinned script tag (liqx-payout-widget@<version>/dist/cdn/liqx-payout-widget.js with integrity)`);
  if (text !== before) writeFileSync(file, text);
  console.log(`${file}: ${tags} script tag(s) pinned to ${version}, ${integrity}${text === before ? ' (unchanged)' : ''}`);
}
