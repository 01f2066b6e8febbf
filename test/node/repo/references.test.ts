/**
 * No dangling references. Every repository path named in a code comment (src/, demo/, bench/, build/, scripts/,
 * test/) or in the documentation (docs/, CONTRIBUTING.md, README.md, BENCHMARKS.md) exists: a path from the root
 * (`src/server/store.ts`, `test/node/repo/`), in a comment also one from the file's own folder with its extension
 * (`./<file>.ts`, `../<folder>/<file>.ts`), in a markdown file a relative link (`[text](./<file>.md)`). Paths
 * under git-ignored folders (build output such as dist/) and patterns (`*`, `<name>`) are not files to find. And
 * code comments do not name tracker issues by number: an issue is closed long before the code goes, so a comment
 * gives the reason itself.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../../..');
const CODE_DIRS = ['src', 'demo', 'bench', 'build', 'scripts', 'test'];
const DOCS = ['docs', 'CONTRIBUTING.md', 'README.md', 'BENCHMARKS.md'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage', 'screenshots', 'fixtures']);
const CODE_EXT = new Set(['.ts', '.tsx', '.mts', '.mjs', '.js', '.css', '.html']);

/** The top-level folders of the repository: a path starting with one of them is read from the root. */
const TOP = readdirSync(ROOT).filter((n) => !n.startsWith('.') && n !== 'node_modules' && statSync(join(ROOT, n)).isDirectory());

function walk(entry: string, keep: (file: string) => boolean): string[] {
  const abs = join(ROOT, entry);
  if (!existsSync(abs)) return [];
  if (!statSync(abs).isDirectory()) return keep(entry) ? [entry] : [];
  return readdirSync(abs).flatMap((name) => (SKIPPED_DIRS.has(name) ? [] : walk(join(entry, name), keep)));
}

/** A comment with the line it starts on. */
interface Comment {
  line: number;
  text: string;
}

/** The comments of a TS/JS file, by the TypeScript scanner (so `//` inside a string or a URL is not one). */
function scriptComments(file: string, text: string): Comment[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const seen = new Set<number>();
  const out: Comment[] = [];
  const collect = (ranges: ts.CommentRange[] | undefined) => {
    for (const r of ranges ?? []) {
      if (seen.has(r.pos)) continue;
      seen.add(r.pos);
      out.push({ line: sf.getLineAndCharacterOfPosition(r.pos).line + 1, text: text.slice(r.pos, r.end) });
    }
  };
  const visit = (node: ts.Node) => {
    collect(ts.getLeadingCommentRanges(text, node.getFullStart()));
    collect(ts.getTrailingCommentRanges(text, node.getEnd()));
    ts.forEachChild(node, visit);
  };
  visit(sf);
  collect(ts.getLeadingCommentRanges(text, sf.endOfFileToken.getFullStart()));
  return out;
}

/** The comments of a CSS (`/* *\/`) or HTML (`<!-- -->`, and `/* *\/` or `//` inside its scripts and styles) file. */
function markupComments(text: string): Comment[] {
  const lineAt = (i: number) => text.slice(0, i).split('\n').length;
  return [...text.matchAll(/\/\*[\s\S]*?\*\/|<!--[\s\S]*?-->|(?<![:'"\w])\/\/[^\n]*/g)].map((m) => ({ line: lineAt(m.index!), text: m[0] }));
}

function commentsOf(file: string): Comment[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return ['.css', '.html'].includes(extname(file)) ? markupComments(text) : scriptComments(file, text);
}

/** `{a,b}-x.ts` -> `a-x.ts`, `b-x.ts`. */
const expand = (token: string): string[] => {
  const m = /^(.*?)\{([^{}]+)\}(.*)$/.exec(token);
  return m ? m[2]!.split(',').flatMap((part) => expand(`${m[1]}${part}${m[3]}`)) : [token];
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SEGMENTS = String.raw`[\w.{},-]+(?:/[\w.{},-]+)*/?`;
/** A root path: a top-level folder, then more (`src/server/store.ts`, `test/node/repo/`). */
const ROOT_PATH = new RegExp(String.raw`(?<![\w@/.~$-])((?:${TOP.map(escape).join('|')})/${SEGMENTS})`, 'g');
/** A path from the file's folder: `./<file>.ts`, `../<folder>/<file>.md`. */
const RELATIVE_PATH = new RegExp(String.raw`(?<![\w@/.~$-])((?:\.\.?/)+${SEGMENTS})`, 'g');
/** A markdown link's relative target: `](./<file>.md)`, `](../<file>.md#<anchor>)`. */
const MARKDOWN_LINK = /\]\(((?:\.\.?\/)+[^)\s#]+)/g;

/**
 * The repository paths a text names. A root path counts when it is clearly one: with an extension, a trailing
 * slash, or three segments (`scripts/styles` in prose is not a folder). A relative one needs its extension (so a
 * package subpath such as `./server` is not taken for a file); a markdown file's relative paths count in links.
 */
function pathsIn(text: string, from: string): { raw: string; path: string }[] {
  const markdown = from.endsWith('.md');
  const candidates = [
    ...[...text.matchAll(ROOT_PATH)].map((m) => ({ m, relative: false })),
    ...[...text.matchAll(markdown ? MARKDOWN_LINK : RELATIVE_PATH)].map((m) => ({ m, relative: true })),
  ];
  const out: { raw: string; path: string }[] = [];
  for (const { m, relative } of candidates) {
    let raw = m[1]!.replace(/[.,]+$/, '');
    // Patterns and placeholders name no single file; `${...}` is code quoted in a comment.
    const after = text[m.index! + m[0].length];
    if (after === '*' || after === '<' || after === '$' || raw.includes('*')) continue;
    const dir = raw.endsWith('/');
    raw = raw.replace(/\/$/, '');
    const hasExt = /\.\w+$/.test(raw.split('/').pop()!);
    if (!relative && !hasExt && !dir && raw.split('/').length < 3) continue;
    if (!relative && dir && raw.split('/').length < 2) continue;
    if (relative && !markdown && !hasExt) continue;
    const base = relative ? dirname(from) : '.';
    for (const one of expand(raw)) {
      const path = normalize(join(base, one));
      // Written from another folder's point of view (an example's `file:../../.pack`): not a path in this tree.
      if (!path.startsWith('..')) out.push({ raw, path });
    }
  }
  return out;
}

/** Paths git ignores (build output, data folders): named in docs, never checked in. */
function ignored(paths: string[]): Set<string> {
  if (paths.length === 0) return new Set();
  // Also as a folder: `demo/dist/` in .gitignore matches `demo/dist` only when git knows it is one.
  const res = spawnSync('git', ['check-ignore', '--no-index', '--stdin'], { cwd: ROOT, input: paths.flatMap((p) => [p, `${p}/`]).join('\n'), encoding: 'utf8' });
  return new Set(res.stdout.split('\n').filter(Boolean).map((p) => p.replace(/\/$/, '')));
}

interface Found {
  file: string;
  line: number;
  raw: string;
  path: string;
}

function referencesIn(files: string[], linesOf: (file: string) => Comment[]): Found[] {
  return files.flatMap((file) => linesOf(file).flatMap((c) => pathsIn(c.text, file).map((p) => ({ file, line: c.line, ...p }))));
}

/**
 * References in files their owners were changing when this test was written (the element's move into folders of
 * its own, docs being edited), each with its fix. They need not still dangle: delete an entry once it is
 * fixed. Keyed `file raw`.
 */
const PENDING: Record<string, string> = {
  'demo/server/liqx/app.ts ../liqx-contract.ts': '../../contract/liqx.ts',
};

function dangling(found: Found[], pending: Record<string, string> = {}): Found[] {
  const skip = ignored([...new Set(found.map((f) => f.path))]);
  return found.filter((f) => !skip.has(f.path) && !existsSync(join(ROOT, f.path)) && !pending[`${f.file} ${f.raw}`]);
}

const where = (f: Found) => `${f.file}:${f.line} ${f.raw}${f.raw === f.path ? '' : ` (${f.path})`}`;

const codeFiles = CODE_DIRS.flatMap((d) => walk(d, (f) => CODE_EXT.has(extname(f)) && !f.endsWith('.d.ts')));
const docFiles = DOCS.flatMap((d) => walk(d, (f) => f.endsWith('.md')));
/**
 * A markdown file, line by line. A fenced block counts too (a command's path must exist), except the output lines
 * of a `console` block: a transcript of what a command printed once, not a pointer.
 */
function markdownLines(file: string): Comment[] {
  let fence: string | null = null;
  return readFileSync(join(ROOT, file), 'utf8')
    .split('\n')
    .flatMap((text, i) => {
      const open = /^\s*```(\w*)/.exec(text);
      if (open) fence = fence === null ? open[1]! : null;
      const transcript = fence === 'console' && !open && !/^\s*\$ /.test(text);
      return transcript ? [] : [{ line: i + 1, text }];
    });
}

/** `issue` or `issues` and a number, or `#` and a number: a pointer at the tracker rather than a reason. */
const ISSUE = /\bissues?\s+#?\d+(?:\.\d+)?\b|(?<![\w&#/])#\d{1,4}\b(?![\w-])/gi;

describe('no dangling references', () => {
  test('the scan reads code and docs', () => {
    assert.ok(codeFiles.length > 200, `code files: ${codeFiles.length}`);
    assert.ok(docFiles.length >= 5, `docs: ${docFiles.length}`);
    for (const d of CODE_DIRS) assert.ok(codeFiles.some((f) => f.startsWith(`${d}/`)), `nothing under ${d}/`);
  });

  test('every path a code comment names exists', () => {
    const found = referencesIn(codeFiles, commentsOf);
    assert.ok(found.length > 100, `paths found in comments: ${found.length}`);
    assert.deepEqual(dangling(found, PENDING).map(where), []);
  });

  test('every path the docs name exists', () => {
    const found = referencesIn(docFiles, markdownLines);
    assert.ok(found.length > 20, `paths found in docs: ${found.length}`);
    assert.deepEqual(dangling(found, PENDING).map(where), []);
  });

  test('code comments do not point at issue numbers', () => {
    const hits = codeFiles.flatMap((file) =>
      commentsOf(file).flatMap((c) => [...c.text.matchAll(ISSUE)].map((m) => `${file}:${c.line + (c.text.slice(0, m.index).split('\n').length - 1)} ${m[0]}`)),
    );
    assert.deepEqual(hits, []);
  });

  test('the scanner finds what it should, and nothing else', () => {
    const comments = scriptComments(
      'src/server/x.ts',
      [
        '/** Reads src/server/store.ts and ./receipt-row.ts; see docs/nothing-here.md (issue 17), not ./server or scripts/styles. */',
        "const url = 'http://a/b//c'; // not src/ but src/server/missing.ts, #12, or file:../../../.pack/x.tgz",
        "const s = '// src/in-a-string.ts';",
      ].join('\n'),
    );
    assert.equal(comments.length, 2);
    const found = referencesIn(['src/server/x.ts'], () => comments);
    const paths = (list: Found[]) => list.map((f) => f.path).sort();
    assert.deepEqual(paths(found), ['docs/nothing-here.md', 'src/server/missing.ts', 'src/server/receipt-row.ts', 'src/server/store.ts']);
    assert.deepEqual(paths(dangling(found)), ['docs/nothing-here.md', 'src/server/missing.ts']);
    assert.deepEqual(comments.flatMap((c) => [...c.text.matchAll(ISSUE)].map((m) => m[0])), ['issue 17', '#12']);
    assert.deepEqual(
      pathsIn('`test/node/{package,demo}/` and demo/dist/index.html, src/*.ts, test/<file>; [a](./glossary.md), `./server`', 'docs/x.md').map((p) => p.path),
      ['test/node/package', 'test/node/demo', 'demo/dist/index.html', 'docs/glossary.md'],
    );
    assert.deepEqual([...ignored(['dist/index.js', 'demo/dist', 'src/index.ts'])], ['dist/index.js', 'demo/dist']);
  });
});
