/**
 * What `npm pack` ships, and whether the exports map and manifest hold up. Reads the built package
 * (`npm run build` first; `npm test` does it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const packed: string[] = (() => {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return JSON.parse(out)[0].files.map((f: { path: string }) => f.path);
})();

test('npm pack ships only dist (with types), the manifest, README, LICENSE and package.json', () => {
  const allowed = new Set(['package.json', 'README.md', 'LICENSE', 'custom-elements.json']);
  const stray = packed.filter((p) => !allowed.has(p) && !p.startsWith('dist/'));
  assert.deepEqual(stray, [], `unexpected files in the package: ${stray.join(', ')}`);
  for (const must of ['README.md', 'LICENSE', 'custom-elements.json', 'dist/cdn/liqx-payout-widget.js', 'dist/types/index.d.ts']) {
    assert.ok(packed.includes(must), `${must} is missing from the package`);
  }
  console.log(`# npm pack: ${packed.length} files`);
});

test('npm pack builds first (prepack), so a fresh clone packs dist/ too', () => {
  // The tarball made from a fresh copy of the tree is checked end to end by test/e2e/examples.e2e.test.ts.
  assert.equal(pkg.scripts.prepack, 'npm run build');
  assert.match(pkg.scripts.build, /vite build --mode script-tag/);
});

test('package.json names the repository; README links work from the tarball and the registry', () => {
  const repo = /^git\+(https:\/\/github\.com\/[\w.-]+\/[\w.-]+)\.git$/.exec(pkg.repository?.url ?? '')?.[1];
  assert.ok(repo, `repository.url must be git+https://github.com/<owner>/<name>.git, got ${pkg.repository?.url}`);
  const readme = readFileSync('README.md', 'utf8');
  // Images: absolute (the tarball carries no docs/), from the repository's own files.
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img [^>]*src="([^"]+)"/g)].map((m) => m[1] ?? m[2]);
  for (const src of images) {
    const path = src.replace(`${repo.replace('github.com', 'raw.githubusercontent.com')}/main/`, '');
    assert.notEqual(path, src, `README image ${src} is not an absolute link into ${repo}`);
    assert.ok(existsSync(path), `README image ${src}: ${path} does not exist`);
  }
  // Other relative links resolve against the repository (the registry's README rendering does that): they must exist.
  for (const [, target] of readme.matchAll(/(?<!!)\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (/^(https?:|mailto:|#)/.test(target)) continue;
    assert.ok(existsSync(target.replace(/#.*$/, '')), `README links to ${target}, which does not exist`);
  }
});

test('every export resolves to a packed file, and every code entry has types', () => {
  const targets = (value: unknown): string[] =>
    typeof value === 'string' ? [value] : Object.values(value as Record<string, unknown>).flatMap(targets);
  for (const [entry, value] of Object.entries(pkg.exports as Record<string, unknown>)) {
    for (const target of targets(value)) {
      const file = target.replace(/^\.\//, '');
      assert.ok(packed.includes(file), `exports["${entry}"] -> ${target} is not in the package`);
    }
    if (typeof value === 'object' && value && 'import' in value) assert.ok('types' in value, `exports["${entry}"] has no types`);
  }
  for (const entry of ['.', './define', './frame', './react', './testing']) assert.ok(entry in pkg.exports, `exports has no ${entry}`);
});

test('sideEffects names exactly the modules that register the element', () => {
  const effects: string[] = pkg.sideEffects;
  assert.ok(Array.isArray(effects), 'sideEffects must be a list (false would drop the tag registration)');
  for (const must of ['./dist/define.js', './dist/cdn/*']) assert.ok(effects.includes(must), `sideEffects lacks ${must}`);
  // The pure entries may be tree-shaken.
  for (const pure of ['./dist/index.js', './dist/frame.js', './dist/react.js', './dist/testing.js', './dist/webhooks.js', './dist/server.js']) {
    assert.ok(!effects.includes(pure), `${pure} is pure and must not be listed`);
  }
  assert.match(readFileSync('dist/define.js', 'utf8'), /customElements\.define/);
  assert.match(readFileSync('dist/react.js', 'utf8'), /import ["']\.\/define\.js["']/, 'the React entry registers the tag');
});

test('./server is an entry; better-sqlite3 and pg are optional peers, loaded only when a store is opened', () => {
  assert.deepEqual(pkg.exports['./server'], { types: './dist/types/server/index.d.ts', import: './dist/server.js' });
  for (const name of ['better-sqlite3', 'pg']) {
    assert.ok(pkg.peerDependencies?.[name], `${name} is not a peer dependency`);
    assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} peer is not optional`);
    assert.ok(!pkg.dependencies?.[name], `${name} must not be a dependency`);
  }
  const server = readFileSync('dist/server.js', 'utf8');
  // Dynamic imports only: the entry loads on a runtime that has neither (an edge function using its handlers).
  assert.match(server, /import\(["']better-sqlite3["']\)/);
  assert.match(server, /import\(["']pg["']\)/);
  assert.doesNotMatch(server, /^import .* from ["'](better-sqlite3|pg)["']/m);
  assert.ok(existsSync('dist/types/server/index.d.ts'));
});

test('react and @lit/react are optional peers and stay external', () => {
  for (const name of ['react', '@lit/react']) {
    assert.ok(pkg.peerDependencies?.[name], `${name} is not a peer dependency`);
    assert.equal(pkg.peerDependenciesMeta?.[name]?.optional, true, `${name} peer is not optional`);
    assert.ok(!pkg.dependencies?.[name], `${name} must not be a dependency`);
  }
  const react = readFileSync('dist/react.js', 'utf8');
  assert.match(react, /from ["']react["']/);
  assert.match(react, /from ["']@lit\/react["']/);
  assert.doesNotMatch(react, /forwardRef\(/, 'React itself is bundled');
});

test('the script-tag bundle holds neither the React wrapper, the test harness nor the webhooks', () => {
  const cdn = readFileSync('dist/cdn/liqx-payout-widget.js', 'utf8');
  for (const marker of ['createComponent', 'suppressHydrationWarning', 'liqxFakeFrame', 'connectFakeFrame', 'webhook-signature', 'standardwebhooks']) {
    assert.ok(!cdn.includes(marker), `dist/cdn/liqx-payout-widget.js contains ${marker}`);
  }
});

test('custom-elements.json lists attributes, properties, events, CSS parts and custom properties', () => {
  assert.equal(pkg.customElements, 'custom-elements.json');
  assert.ok(existsSync('custom-elements.json'));
  const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
  const decl = manifest.modules.flatMap((m: { declarations: unknown[] }) => m.declarations).find((d: { tagName?: string }) => d.tagName === 'liqx-payout-widget');
  assert.ok(decl, 'no declaration for <liqx-payout-widget>');
  const names = (list: Array<{ name: string }> = []) => list.map((x) => x.name);
  for (const a of ['widget-url', 'session-token', 'locale', 'theme', 'display', 'handshake-timeout']) assert.ok(names(decl.attributes).includes(a), `attribute ${a}`);
  for (const p of ['session', 'fetchSession', 'display', 'onPayoutRejected', 'onPayoutCompleted', 'state', 'frame', 'requestClose']) assert.ok(names(decl.members).includes(p), `member ${p}`);
  assert.ok(!names(decl.members).some((n) => n.startsWith('#') || n.startsWith('_')), 'private members leaked');
  const events = names(decl.events);
  for (const e of ['liqx-ready', 'liqx-payout-submitted', 'liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired', 'liqx-close', 'liqx-error', 'liqx-state-change']) {
    assert.ok(events.includes(e), `event ${e}`);
  }
  assert.equal(new Set(events).size, events.length, 'duplicate events');
  for (const part of ['base', 'frame', 'loading', 'spinner', 'error', 'overlay', 'dialog']) assert.ok(names(decl.cssParts).includes(part), `part ${part}`);
  for (const prop of ['--liqx-accent-color', '--liqx-overlay-backdrop', '--liqx-dialog-width']) assert.ok(names(decl.cssProperties).includes(prop), `custom property ${prop}`);
  assert.ok(decl.events.every((e: { description?: string }) => e.description), 'every event is documented');
});
