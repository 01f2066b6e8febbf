/**
 * The README's framework snippets are the files in test/snippets/ (a `<!-- snippet: path -->` line marks each
 * block), and they type-check against the package's sources. The files carry a `.snippet` suffix so the
 * project's own `tsc` (which cannot resolve `liqx-payout-widget` by name before a build) leaves them alone;
 * this test copies them out with their real extensions and runs tsc with the package names mapped to src/.
 * Angular and Svelte are not installed: a two-symbol `@angular/core` declaration stands in for Angular, and
 * for Svelte the `<script lang="ts">` block is what is checked.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve('.');
const DIR = 'test/snippets';
const files = readdirSync(DIR).filter((f) => f.endsWith('.snippet')).sort();
const readme = readFileSync('README.md', 'utf8');

test('every README snippet block equals its file in test/snippets/', () => {
  const marked = [...readme.matchAll(/<!-- snippet: (test\/snippets\/[\w.-]+) -->\n```[\w-]*\n([\s\S]*?)```/g)];
  assert.deepEqual(marked.map((m) => m[1]).sort(), files.map((f) => `${DIR}/${f}`), 'README blocks and snippet files differ in number or name');
  for (const [, path, body] of marked) assert.equal(body, readFileSync(path, 'utf8'), `${path} differs from its README block`);
});

test('the snippets type-check (tsc --noEmit)', () => {
  const out = join(ROOT, 'node_modules/.cache/liqx-snippets');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  for (const f of files) {
    const text = readFileSync(join(DIR, f), 'utf8');
    const name = f.replace(/\.snippet$/, '');
    if (name.endsWith('.svelte')) {
      writeFileSync(join(out, name.replace(/\.svelte$/, '.svelte-script.ts')), /<script lang="ts">([\s\S]*?)<\/script>/.exec(text)![1]);
    } else if (name.endsWith('.html')) {
      // The README says a strict CSP works: the page itself carries no inline script, only `<script src>`.
      for (const tag of text.match(/<script\b[^>]*>[\s\S]*?<\/script>/g) ?? []) {
        assert.match(tag, /^<script\b[^>]*\bsrc="[^"]+"[^>]*><\/script>$/, `${f}: an inline script: ${tag}`);
      }
    } else if (name.endsWith('.js')) {
      // The page's own module file (plain JS is valid TS here; its types come from the element's tag-name map).
      writeFileSync(join(out, name.replace(/\.js$/, '.page.ts')), `export {};\n${text}`);
    } else {
      writeFileSync(join(out, name), text);
    }
  }
  writeFileSync(
    join(out, 'angular-core.d.ts'),
    "declare module '@angular/core' {\n  export function Component(meta: { selector: string; standalone?: boolean; schemas?: unknown[]; template: string }): ClassDecorator;\n  export const CUSTOM_ELEMENTS_SCHEMA: { name: string };\n}\n",
  );
  const src = (p: string) => [join(ROOT, 'src', p)];
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        strict: true, noEmit: true, skipLibCheck: true, jsx: 'react-jsx',
        experimentalDecorators: true, useDefineForClassFields: false, types: ['node'],
        paths: {
          'liqx-payout-widget': src('index.ts'),
          'liqx-payout-widget/define': src('define.ts'),
          'liqx-payout-widget/react': src('react.ts'),
          'liqx-payout-widget/vue': src('vue.ts'),
          'liqx-payout-widget/jsx': src('jsx.ts'),
          'liqx-payout-widget/server': src('server/index.ts'),
          'liqx-payout-widget/webhooks': src('webhooks/index.ts'),
        },
      },
      // define.ts gives the tag-name map the plain-HTML page relies on.
      files: [join(ROOT, 'src/define.ts')],
      include: ['*.ts', '*.tsx'],
    }),
  );
  try {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(out, 'tsconfig.json')], { encoding: 'utf8' });
  } catch (error) {
    assert.fail(`snippets do not type-check:\n${(error as { stdout?: string }).stdout}`);
  }
});
