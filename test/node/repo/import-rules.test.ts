/**
 * Which way the imports run (DESIGN.md, README "Architecture"), checked on every source file's import specifiers:
 * the package never imports the demo or the tests; browser entries never import the server side; the protocol
 * imports nothing else of the package; neither the frame SDK nor the testing harness imports the element; the webhooks
 * layer does not import the server kit built on it; the demo's frame page and contract, and the bench, import
 * neither the demo's servers nor the tests.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');

function files(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return files(path);
    return /\.(ts|tsx|mjs|js)$/.test(name) ? [path] : [];
  });
}

/** Relative import targets of a file, as paths from the repository root. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((s) => s.startsWith('.'));
  return specs.map((s) => relative(ROOT, resolve(ROOT, dirname(file), s)));
}

const RULES: { from: string; except?: RegExp; never: RegExp; why: string }[] = [
  { from: 'src', never: /^(demo|test|bench)\//, why: 'the package is self-contained' },
  { from: 'src', except: /^src\/(server|webhooks)\//, never: /^src\/(server|webhooks)\//, why: 'browser entries never import the server side' },
  { from: 'src/webhooks', never: /^src\/server\//, why: 'the server kit builds on webhooks, not the reverse' },
  { from: 'src/frame', never: /^src\/(element\/|(index|define|script-tag|react)(\.[jt]s)?$)/, why: 'the frame SDK does not pay for the element' },
  { from: 'src/protocol', never: /^src\/(?!protocol\/)/, why: 'the protocol is the root of the browser side: it imports nothing else of src/' },
  { from: 'src/testing', never: /^src\/(element\/|(index|define|script-tag|react)(\.[jt]s)?$)/, why: 'the testing harness drives the real element from outside, through the frame SDK' },
  { from: 'demo/frame', never: /^(demo\/server|test)\//, why: 'the frame page shares only demo/contract with the servers' },
  { from: 'demo/contract', never: /^(demo\/(server|frame|app)|test)\//, why: 'the contract is the bottom of the demo' },
  { from: 'demo/app', never: /^(demo\/server|test)\//, why: 'the partner page talks to its proxy over HTTP' },
  { from: 'bench', never: /^test\//, why: 'the bench has its own fixtures' },
  { from: 'test/node/package', never: /^(demo|test\/node\/(demo|repo))\//, why: 'tests of the published code do not lean on the demo' },
];

for (const rule of RULES) {
  test(`${rule.from}: ${rule.why}`, () => {
    const sources = files(rule.from).filter((f) => !rule.except?.test(f));
    assert.ok(sources.length > 0, `no source files under ${rule.from}`);
    const bad = sources.flatMap((file) => importsOf(file).filter((target) => rule.never.test(target)).map((target) => `${file} -> ${target}`));
    assert.deepEqual(bad, []);
  });
}
