/**
 * The code the partner docs show is code that runs. A `<!-- file: path -->` line before a fenced block in README.md
 * or docs/*.md marks the block as that file's whole text: README's quickstart is the examples' own files (which
 * test/e2e/examples.e2e.test.ts installs from the packed package, type-checks and runs end to end), and the
 * snippets of frameworks without an example yet are files in test/snippets/, type-checked here against the
 * package's sources. Those files carry a `.snippet` suffix so the project's own `tsc` (which cannot resolve
 * `liqx-payout-widget` by name before a build) leaves them alone; this test copies them out with their real
 * extensions and runs tsc with the package names mapped to src/.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const DIR = 'test/snippets';
const files = readdirSync(DIR).filter((f) => f.endsWith('.snippet')).sort();
const DOCS = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const blocks = DOCS.flatMap((doc) =>
  [...readFileSync(doc, 'utf8').matchAll(/<!-- file: ([\w./@-]+) -->\n```[\w-]*\n([\s\S]*?)```/g)].map(([, path, body]) => ({ doc, path: path!, body: body! })),
);

test("README's quickstart is the examples' files, word for word", () => {
  const readme = blocks.filter((b) => b.doc === 'README.md').map((b) => b.path);
  for (const must of ['examples/hono-sqlite/src/server.ts', 'examples/plain-html/public/index.html', 'examples/plain-html/public/partner.js']) {
    assert.ok(readme.includes(must), `README shows ${must}`);
  }
});

test('every marked block in README.md and docs/ equals its file', () => {
  assert.ok(blocks.length >= 8, `found ${blocks.length} marked blocks`);
  for (const { doc, path, body } of blocks) {
    assert.ok(existsSync(path), `${doc}: ${path} does not exist`);
    assert.equal(body, readFileSync(path, 'utf8'), `${doc}: the block marked ${path} differs from the file`);
  }
  const shown = new Set(blocks.map((b) => b.path));
  const orphans = files.map((f) => `${DIR}/${f}`).filter((f) => !shown.has(f));
  assert.deepEqual(orphans, [], 'snippet files no doc shows');
});

test('partner docs cite no test files', () => {
  const partnerDocs = [...DOCS, 'examples/README.md', ...readdirSync('examples').map((d) => `examples/${d}/README.md`).filter(existsSync)];
  for (const doc of partnerDocs) {
    // Markers are HTML comments (not shown); the visible text must not send a partner into test/.
    const visible = readFileSync(doc, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
    const cites = visible.match(/\btest\/[\w./-]+/g) ?? [];
    assert.deepEqual(cites, [], `${doc} cites test files`);
  }
});

test('the plain-HTML page has no inline script, so a strict CSP (script-src without unsafe-inline) runs it', () => {
  const page = readFileSync('examples/plain-html/public/index.html', 'utf8');
  const tags = page.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? [];
  assert.ok(tags.length >= 2, 'the widget file and the page module');
  for (const tag of tags) assert.match(tag, /^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/, `an inline script: ${tag}`);
  assert.doesNotMatch(page, /\sstyle=|<style/, 'no inline style');
});

test('the snippets type-check (tsc --noEmit)', () => {
  const out = join(ROOT, 'node_modules/.cache/liqx-snippets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of files) writeFileSync(join(out, f.replace(/\.snippet$/, '')), readFileSync(join(DIR, f), 'utf8'));
  const src = (p: string) => [join(ROOT, 'src', p)];
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true, noEmit: true, skipLibCheck: true, types: ['node'],
        paths: {
          'liqx-payout-widget/server': src('server/index.ts'),
          'liqx-payout-widget/webhooks': src('webhooks/index.ts'),
        },
      },
      include: ['*.ts'],
    }),
  );
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(`snippets do not type-check:\n${(error as { stdout?: string }).stdout}`);
  }
});
