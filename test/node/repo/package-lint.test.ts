/**
 * The package resolves for every consumer: publint (exports, files, fields) and Are The Types Wrong on the packed
 * tarball, under TypeScript's node10 (typesVersions), node16 and bundler resolution. The package is ESM-only, so
 * the one rule ignored is "a require() resolves to ESM"; assets in the exports map (HTML, .sri) are not modules.
 * Reads the built package: `npm run build` first (`npm test` does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

// npm_config_ignore_scripts: attw's `npm pack` would otherwise run prepack (a full build) over the dist/ under test.
const run = (args: string[]) => spawnSync('npx', args, { encoding: 'utf8', timeout: 170_000, env: { ...process.env, npm_config_ignore_scripts: 'true' } });

test('publint --strict finds nothing', { timeout: 180_000 }, () => {
  const res = run(['publint', '--strict']);
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /All good!/);
});

test('attw: every code entry resolves with types under node10, node16 and bundler', { timeout: 180_000 }, () => {
  const exportsMap = JSON.parse(readFileSync('package.json', 'utf8')).exports as Record<string, unknown>;
  const assets = Object.entries(exportsMap)
    .filter(([, target]) => typeof target === 'string' && !/\.(js|json)$/.test(target))
    .map(([entry]) => entry);
  const res = run(['attw', '--pack', '.', '--ignore-rules', 'cjs-resolves-to-esm', '--format', 'table-flipped', ...(assets.length ? ['--exclude-entrypoints', ...assets] : [])]);
  assert.equal(res.status, 0, `${res.stdout}\n${res.stderr}`);
  assert.match(res.stdout, /No problems found/);
});
