/**
 * CONTRIBUTING.md's Architecture block is true of the tree: every file or folder it names exists where it says, and
 * every file and folder of src/ and build/ is named (a new module shows up in review with its line).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

const CONTRIBUTING = readFileSync('CONTRIBUTING.md', 'utf8');
const block = /## Architecture\n[\s\S]*?```\n([\s\S]*?)```/.exec(CONTRIBUTING)?.[1] ?? '';

/** `{a,b}-x.ts` -> `a-x.ts`, `b-x.ts`. */
const expand = (token: string): string[] => {
  const m = /^(.*?)\{([^}]+)\}(.*)$/.exec(token);
  return m ? m[2].split(',').flatMap((part) => expand(`${m[1]}${part}${m[3]}`)) : [token];
};

/** Files below `dir`, as paths relative to it. */
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? [`${name}/`, ...walk(join(dir, name)).map((p) => `${name}/${p}`)] : [name]));

/** Each top-level folder of the block and the names mentioned on its lines (nested folder lines included). */
function sections(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  let current = '';
  for (const line of block.split('\n')) {
    const top = /^([\w.-]+\/)\s/.exec(line);
    if (top) current = top[1];
    if (!current) continue;
    const names = out.get(current) ?? new Set<string>();
    for (const raw of line.match(/[{}\w,.-]*[\w}]\.(?:ts|mjs|html|css)\b|(?<![\w/])[\w-]+\/(?![\w])/g) ?? []) {
      for (const name of expand(raw)) names.add(name);
    }
    out.set(current, names);
  }
  return out;
}

test('CONTRIBUTING.md has an Architecture block', () => {
  assert.ok(block.length > 200, 'no ``` block under ## Architecture');
});

test('every name in the Architecture block exists under its top-level folder', () => {
  const missing: string[] = [];
  for (const [top, names] of sections()) {
    assert.ok(existsSync(top), `${top} does not exist`);
    const tree = new Set(walk(top));
    const leaves = new Set([...tree].map((p) => p.split('/').filter(Boolean).pop() + (p.endsWith('/') ? '/' : '')));
    for (const name of names) {
      if (name === top) continue;
      if (!tree.has(name) && !leaves.has(name) && ![...tree].some((p) => p.endsWith(`/${name}`))) missing.push(`${top} ${name}`);
    }
  }
  assert.deepEqual(missing, []);
});

test('every file and folder of src/ and build/ is named in the block', () => {
  const named = sections();
  const unnamed: string[] = [];
  for (const top of ['src/', 'build/']) {
    const names = named.get(top) ?? new Set<string>();
    for (const entry of readdirSync(top)) {
      const name = statSync(join(top, entry)).isDirectory() ? `${entry}/` : entry;
      if (!names.has(name)) unnamed.push(`${top}${name}`);
    }
  }
  assert.deepEqual(unnamed, []);
});
