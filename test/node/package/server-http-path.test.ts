/**
 * `pathnameOf` (src/server/http.ts), the webhook handler's reading of the request path: for every URL a Request
 * can hold it is `new URL(url).pathname`, whether it takes its shortcut (a plain path) or parses.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pathnameOf } from '../../../src/server/http.js';

const parsed = (url: string) => new URL(url).pathname;

test('the paths a webhook endpoint sees, and the ones the URL parser rewrites', () => {
  for (const url of [
    'http://127.0.0.1:3000/webhooks/liqx',
    'https://partner.example/webhooks/cashout-reference/?x=1#f',
    'http://h',
    'http://h?x',
    'http://user:pw@h:8080/a/b',
    'http://h/a/../b',
    'http://h/a/%2e%2e/liqx',
    'http://h/webhooks/li%78x',
    'http://h/a b',
    'http://h/\u00e9',
    'http://h/a\tb',
    'HTTP://H/X',
    'http://h\\x/y',
    'http://h//x//',
  ]) {
    assert.equal(pathnameOf(url), parsed(url), url);
  }
});

test('property: equal to new URL(url).pathname on valid URLs and on paths of awkward characters', () => {
  fc.assert(
    fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), (url) => pathnameOf(url) === parsed(url)),
    { numRuns: 2000 },
  );
  const awkward = fc.constantFrom('a', 'B', '/', '.', '%', '2', 'e', '?', '#', '\\', '~', '-', '_', ' ', '\u00e9', '\t', ':', '@');
  fc.assert(
    fc.property(fc.array(awkward, { maxLength: 24 }).map((a) => `http://h/${a.join('')}`), (url) => pathnameOf(url) === parsed(url)),
    { numRuns: 5000 },
  );
});
