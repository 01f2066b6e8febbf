// @ts-check
// The script-tag file's Subresource Integrity value and README's pinned tags (scripts/sri-readme.mjs,
// test/node/repo/sri.test.ts). build/sri.ts writes the same value to dist/cdn/liqx-payout-widget.js.sri.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export const SCRIPT_TAG_FILE = 'dist/cdn/liqx-payout-widget.js';

/** sha384 of the built file, as `integrity` takes it. */
export function builtIntegrity(file = SCRIPT_TAG_FILE) {
  return `sha384-${createHash('sha384').update(readFileSync(file)).digest('base64')}`;
}

/** A pinned tag in README: `<script src=".../liqx-payout-widget@<version>/dist/cdn/liqx-payout-widget.js" integrity="..." ...>`. */
export const PINNED_TAG = /<script src="([^"]*\/liqx-payout-widget@)([^/"]+)(\/dist\/cdn\/liqx-payout-widget\.js)"([^>]*?) integrity="([^"]*)"([^>]*)>/g;

/** Files whose pinned tags follow the build: README (whose quickstart shows the plain-HTML example's page), the frontend docs and that page. */
export const PINNED_FILES = ['README.md', 'docs/frontend.md', 'examples/plain-html/public/index.html'];

/** The text with every pinned tag set to the package version and the built file's integrity. */
export function pinned(source, integrity = builtIntegrity(), version = JSON.parse(readFileSync('package.json', 'utf8')).version) {
  let tags = 0;
  const text = source.replace(PINNED_TAG, (_, head, _v, tail, before, _i, after) => {
    tags++;
    return `<script src="${head}${version}${tail}"${before} integrity="${integrity}"${after}>`;
  });
  return { text, integrity, version, tags };
}
