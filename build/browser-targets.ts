import { readFileSync } from 'node:fs';

/**
 * The support matrix (README "Browser support") is package.json's `browserslist`; the builds' targets are derived
 * from it here, so the build honours exactly what the README declares:
 * - BUILD_TARGET: the ES builds and the testing frame;
 * - SCRIPT_TAG_TARGET: the script-tag file, lowered further (Safari/iOS 15) so that a browser below the matrix
 *   can still PARSE it (no class static blocks, which Safari before 16.4 rejects) and gets `liqx-error`
 *   UNSUPPORTED_BROWSER instead of a SyntaxError (src/element/session-controller.ts).
 */
const ENGINE: Record<string, string> = { chrome: 'chrome', edge: 'edge', firefox: 'firefox', safari: 'safari', ios_saf: 'ios' };

export function targetsFrom(queries: string[]): string[] {
  return queries.map((q) => {
    const m = /^(\w+) >= ([\d.]+)$/.exec(q.trim());
    if (!m || !ENGINE[m[1]!]) throw new Error(`browserslist entry "${q}": expected "<chrome|edge|firefox|safari|ios_saf> >= <version>"`);
    return `${ENGINE[m[1]!]}${m[2]}`;
  });
}

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { browserslist: string[] };

export const BUILD_TARGET = targetsFrom(pkg.browserslist);
export const SCRIPT_TAG_PARSE_FLOOR = ['safari16', 'ios16'];
export const SCRIPT_TAG_TARGET = [...BUILD_TARGET.filter((t) => !/^(safari|ios)/.test(t)), ...SCRIPT_TAG_PARSE_FLOOR];
