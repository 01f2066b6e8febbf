import type { Plugin } from 'vite';

/**
 * The script-tag build carries its own copy of lit's ReactiveElement, so the globals lit shares between copies on
 * one page are of no use to it, and would be left on the partner's `window`:
 *
 * - `litPropertyMetadata`: a WeakMap where lit's decorators leave property options for any lit copy to read.
 *   The element declares `static properties`, no decorators: a module-local map does the same job.
 * - `reactiveElementVersions`: lit's list of loaded versions, only read by lit's dev build to warn about duplicates.
 *   A private copy is not a duplicate the page should be warned about.
 * - `Symbol.metadata`: lit polyfills it on the page's `Symbol` for decorators, which the element does not use.
 *
 * Each rewrite must match exactly once: a dependency update that changes the code fails the build here instead of
 * silently bringing a global back (test/browser/script-tag.test.ts compares every window property as well).
 */
interface Rewrite {
  file: RegExp;
  find: RegExp;
  replace: string;
}

const REWRITES: Rewrite[] = [
  {
    // Not a window property, but a global all the same: `Symbol.metadata` polyfilled on the page's Symbol. Only
    // decorators use it; without it lit reads `this[undefined]` for the element's metadata, finds none, and
    // takes the `static properties` declarations as before.
    file: /@lit[\\/]reactive-element[\\/](development[\\/])?reactive-element\.js$/,
    find: /Symbol\.metadata\s*\?\?=\s*Symbol\(\s*["']metadata["']\s*\)/,
    replace: '0',
  },
  {
    file: /@lit[\\/]reactive-element[\\/](development[\\/])?reactive-element\.js$/,
    find: /\b\w+\.litPropertyMetadata\s*\?\?=\s*new WeakMap(\(\))?/,
    // Same place, same time: assigned to a module-scoped `var` (declared at the end, so no line moves).
    replace: 'litPropertyMetadata = new WeakMap()',
  },
  {
    file: /@lit[\\/]reactive-element[\\/](development[\\/])?reactive-element\.js$/,
    find: /\(\s*\w+\.reactiveElementVersions\s*\?\?=\s*\[\]\s*\)\.push\([^)]*\)/,
    replace: '0',
  },
];

/** Module-scoped declarations for the names the rewritten modules still use, appended (no line moves). */
const DECLARATIONS: { file: RegExp; code: string }[] = [
  { file: /@lit[\\/]reactive-element[\\/](development[\\/])?reactive-element\.js$/, code: '\nvar litPropertyMetadata;\n' },
];

export function privateGlobals(): Plugin {
  const applied = new Map<Rewrite, number>();
  return {
    name: 'liqx:private-globals',
    apply: 'build',
    enforce: 'pre',
    buildStart() {
      applied.clear();
    },
    transform(code, id) {
      const path = id.split('?')[0];
      let out = code;
      let touched = false;
      for (const rewrite of REWRITES) {
        if (!rewrite.file.test(path)) continue;
        const matches = out.match(new RegExp(rewrite.find.source, 'g'))?.length ?? 0;
        if (matches !== 1) this.error(`private-globals: expected one match of ${rewrite.find} in ${path}, found ${matches}`);
        out = out.replace(rewrite.find, rewrite.replace);
        applied.set(rewrite, (applied.get(rewrite) ?? 0) + 1);
        touched = true;
      }
      for (const d of DECLARATIONS) if (touched && d.file.test(path)) out += d.code;
      return touched ? { code: out, map: null } : null;
    },
    buildEnd() {
      const missing = REWRITES.filter((r) => !applied.has(r));
      if (missing.length) this.error(`private-globals: not applied (module not bundled or renamed): ${missing.map((r) => r.find).join(', ')}`);
    },
  };
}
