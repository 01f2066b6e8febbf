/**
 * Subresource Integrity of the script-tag file (`npm run build` first; `npm test` does): the build writes the
 * file's sha384 next to it, the package exports it, README's pinned tags carry it (refresh: `npm run sri:readme`),
 * and the demo's mock LIQX serves the file on a versioned path with CORS, as a pinned tag needs.
 * The browser half (right hash runs, wrong hash refused) is in test/browser/script-tag.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
// @ts-expect-error: plain ESM helper without type declarations
import { PINNED_FILES, PINNED_TAG, SCRIPT_TAG_FILE, builtIntegrity } from '../../../scripts/sri.mjs';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string; exports: Record<string, unknown> };

test('the build writes the sha384 integrity of the script-tag file next to it, and the package exports it', () => {
  const integrity: string = builtIntegrity();
  assert.match(integrity, /^sha384-[A-Za-z0-9+/]{64}$/);
  assert.equal(readFileSync(`${SCRIPT_TAG_FILE}.sri`, 'utf8').trim(), integrity, `${SCRIPT_TAG_FILE}.sri is the hash of the file as built`);
  assert.equal(pkg.exports['./script-tag.sri'], `./${SCRIPT_TAG_FILE}.sri`);
});

test("README's script tags are pinned to this build: versioned path, integrity, crossorigin=anonymous", () => {
  const integrity: string = builtIntegrity();
  for (const file of PINNED_FILES as string[]) {
    const text = readFileSync(file, 'utf8');
    const tags = [...text.matchAll(PINNED_TAG as RegExp)];
    assert.ok(tags.length > 0, `${file} shows a pinned script tag`);
    for (const [tag, , version, , beforeIntegrity, value, afterIntegrity] of tags) {
      assert.equal(version, pkg.version, `${file}: the CDN path names this version (${tag})`);
      assert.equal(value, integrity, `${file}: integrity is not the hash of ${SCRIPT_TAG_FILE}; run \`npm run build && npm run sri:readme\``);
      assert.match(`${beforeIntegrity} ${afterIntegrity}`, /\bcrossorigin="anonymous"/, `${file}: ${tag}`);
    }
    // Every script tag README shows for the CDN file is a pinned one.
    const unpinned = [...text.matchAll(/<script [^>]*liqx-payout-widget\.js"[^>]*>/g)].filter(([t]) => !/ integrity="/.test(t));
    assert.deepEqual(unpinned.map(([t]) => t), [], `${file}: unpinned script tags`);
  }
});

let sandbox: RunningSandbox;
before(async () => {
  sandbox = await startSandbox({ port: 0, confirmDelayMs: 0 });
});
after(async () => {
  await sandbox?.close();
});

test('the demo serves the file on a versioned CDN path with CORS headers; another version is 404', async () => {
  const base = `${sandbox.url}/cdn/liqx-payout-widget@${pkg.version}/liqx-payout-widget.js`;
  const res = await fetch(base, { headers: { origin: 'http://localhost:1234' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), '*');
  assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
  assert.match(res.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.deepEqual(Buffer.from(await res.arrayBuffer()), readFileSync(SCRIPT_TAG_FILE));
  const sri = await fetch(`${base}.sri`);
  assert.equal((await sri.text()).trim(), builtIntegrity());
  const other = await fetch(`${sandbox.url}/cdn/liqx-payout-widget@0.0.0-other/liqx-payout-widget.js`);
  assert.equal(other.status, 404);
  await other.arrayBuffer();
});
