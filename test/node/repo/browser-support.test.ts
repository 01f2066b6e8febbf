/**
 * The support matrix (README "Browser support") is package.json's browserslist, and the build honours it:
 * - the ES builds' target is derived from it (build/browser-targets.ts);
 * - the script-tag file parses in Safari 16.0-16.3, below the matrix, so such a browser gets `liqx-error`
 *   UNSUPPORTED_BROWSER (test/browser/script-tag.test.ts) instead of a SyntaxError: no class static blocks, no
 *   regular-expression syntax newer than Safari 16.0 (lookbehind, the `v` flag), no `using` declarations.
 * Reads dist/ (`npm run build` first; `npm test` does).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { BUILD_TARGET, SCRIPT_TAG_TARGET, targetsFrom } from '../../../build/browser-targets.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { browserslist: string[] };

test('browserslist declares Chrome, Edge, Firefox, Safari and iOS Safari minimums, and the build targets follow it', () => {
  const engines = pkg.browserslist.map((q) => q.split(' ')[0]);
  assert.deepEqual(engines.sort(), ['chrome', 'edge', 'firefox', 'ios_saf', 'safari']);
  assert.deepEqual(BUILD_TARGET, targetsFrom(pkg.browserslist));
  assert.ok(BUILD_TARGET.includes('safari16.4') && BUILD_TARGET.includes('ios16.4'), 'Safari 16.4 is the floor (adoptedStyleSheets)');
  for (const t of BUILD_TARGET.filter((t) => !/^(safari|ios)/.test(t))) assert.ok(SCRIPT_TAG_TARGET.includes(t));
  assert.throws(() => targetsFrom(['> 0.5%']), /expected/);
});

test('the script-tag file has no syntax Safari 16.0 cannot parse', () => {
  const code = readFileSync('dist/cdn/liqx-payout-widget.js', 'utf8');
  const file = ts.createSourceFile('cdn.js', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassStaticBlockDeclaration(node)) found.push('class static block');
    if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
      const text = node.getText(file);
      const flags = text.slice(text.lastIndexOf('/') + 1);
      if (/\(\?<[=!]/.test(text)) found.push(`regexp lookbehind ${text.slice(0, 40)}`);
      if (flags.includes('v')) found.push(`regexp v flag ${text.slice(0, 40)}`);
    }
    if (ts.isVariableDeclarationList(node) && (node.flags & ts.NodeFlags.Using || node.flags & ts.NodeFlags.AwaitUsing)) found.push('using declaration');
    ts.forEachChild(node, visit);
  };
  visit(file);
  assert.deepEqual(found, []);
  // The check is live: a static block is found.
  const probe = ts.createSourceFile('p.js', 'class A { static { this.x = 1 } }', ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
  let blocks = 0;
  const count = (n: ts.Node) => void ((ts.isClassStaticBlockDeclaration(n) && blocks++), ts.forEachChild(n, count));
  count(probe);
  assert.equal(blocks, 1);
});
