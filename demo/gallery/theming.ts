/**
 * The theming panel's model, as pure functions (no DOM), tested in test/node/demo/gallery-theming.test.ts:
 * - what the element documents: every `@cssprop` and `@csspart` read from the element's JSDoc, and each custom
 *   property's default read from the `var(--liqx-*, default)` fallbacks of its stylesheets (so the panel follows
 *   the widget as it changes);
 * - the theme a designer builds (values for every tile, overrides for `theme="dark"` tiles, `::part()` rules) and
 *   the one CSS block it becomes, which is what is applied, copied and shared in the URL;
 * - which text/background pairs the contrast check looks at.
 */

export interface Documented {
  name: string;
  description: string;
}

/** `@cssprop --name - description` lines of a JSDoc block. */
export function documentedCssProps(source: string): Documented[] {
  return [...source.matchAll(/@cssprop\s+(--[\w-]+)\s+-\s+(.*)/g)].map((m) => ({ name: m[1]!, description: m[2]!.trim() }));
}

/** `@csspart name - description` lines of a JSDoc block. */
export function documentedParts(source: string): Documented[] {
  return [...source.matchAll(/@csspart\s+([\w-]+)\s+-\s+(.*)/g)].map((m) => ({ name: m[1]!, description: m[2]!.trim() }));
}

/** The first fallback of each `var(--liqx-*, fallback)` in CSS source (nested parentheses allowed). */
export function cssVarDefaults(...sources: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const source of sources) {
    const re = /var\(\s*(--liqx-[\w-]+)\s*,/g;
    for (let m = re.exec(source); m; m = re.exec(source)) {
      let depth = 1;
      let i = re.lastIndex;
      const start = i;
      for (; i < source.length && depth > 0; i++) {
        if (source[i] === '(') depth++;
        else if (source[i] === ')') depth--;
      }
      const value = source.slice(start, i - 1).trim().replace(/\s+/g, ' ');
      if (!(m[1]! in out)) out[m[1]!] = value;
    }
  }
  return out;
}

/** The text/background pairs of the element's chrome that the contrast check looks at. */
export const CONTRAST_PAIRS = [
  { text: '--liqx-text-color', background: '--liqx-background', where: 'text in the box' },
  { text: '--liqx-muted-color', background: '--liqx-background', where: 'the loading text' },
  { text: '--liqx-error-color', background: '--liqx-error-background', where: 'the error message' },
  { text: '--liqx-muted-color', background: '--liqx-error-background', where: 'the error code' },
] as const;

export type Scope = 'all' | 'dark';

/** What a designer set: values for every tile, overrides for dark tiles, and `::part()` rules. */
export interface ThemeState {
  all: Record<string, string>;
  dark: Record<string, string>;
  parts: string;
}

export const EMPTY_THEME: ThemeState = { all: {}, dark: {}, parts: '' };

export const HOST_SELECTOR = 'liqx-payout-widget';
export const DARK_SELECTOR = "liqx-payout-widget[theme='dark']";

/** A value that may go into a declaration block: no braces or semicolons that would end it. */
export function isSafeValue(value: string): boolean {
  return value.trim() !== '' && !/[{};<>]|\/\*|\\/.test(value);
}

function block(selector: string, values: Record<string, string>): string {
  const lines = Object.entries(values)
    .filter(([name, v]) => /^--liqx-[\w-]+$/.test(name) && isSafeValue(v))
    .map(([name, v]) => `  ${name}: ${v.trim()};`);
  return lines.length ? `${selector} {\n${lines.join('\n')}\n}\n` : '';
}

/** The CSS block of a theme: what the gallery applies to every tile, copies and puts in the share link. */
export function themeCss(state: ThemeState): string {
  const parts = state.parts.trim();
  return [block(HOST_SELECTOR, state.all), block(DARK_SELECTOR, state.dark), parts ? `${parts}\n` : ''].filter(Boolean).join('\n');
}

/**
 * A selector the parts editor accepts: the element, optionally narrowed by attribute selectors
 * (`[state='error']`, `[theme='dark']`), then one `::part()`, optionally `::backdrop`. Rules for anything else
 * on the page are dropped (a shared link must not restyle the gallery itself).
 */
export function isPartSelector(selector: string): boolean {
  return /^liqx-payout-widget(\[[\w-]+(?:[~|^$*]?=\s*(?:"[^"]*"|'[^']*'|[\w-]+))?\])*::part\([\w-]+(?:\s+[\w-]+)*\)(::backdrop)?$/.test(selector.trim());
}

/** Every selector of a comma-separated list is a part selector. */
export function isPartSelectorList(selectorText: string): boolean {
  return selectorText.split(',').every((s) => isPartSelector(s));
}

// Share links: the CSS block, base64url-encoded in the fragment (no server state), with the filters.

export function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(encoded: string): string | null {
  try {
    const bin = atob(encoded.replace(/-/g, '+').replace(/_/g, '/'));
    return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

export interface ShareState {
  css: string;
  /** The element's `appearance` value as JSON ('' or absent: none). */
  appearance?: string;
  locale: string;
  theme: string;
  state: string;
}

/** `#css=...&locale=ko&theme=dark&state=rejected`; defaults (empty CSS, `all`) are left out. */
export function shareFragment(s: ShareState): string {
  const p = new URLSearchParams();
  if (s.css.trim()) p.set('css', toBase64Url(s.css));
  if (s.appearance?.trim()) p.set('appearance', toBase64Url(s.appearance));
  for (const key of ['locale', 'theme', 'state'] as const) if (s[key] && s[key] !== 'all') p.set(key, s[key]);
  const q = p.toString();
  return q ? `#${q}` : '';
}

export function readFragment(hash: string): Partial<ShareState> {
  const p = new URLSearchParams(hash.replace(/^#/, ''));
  const out: Partial<ShareState> = {};
  const css = p.get('css');
  if (css) {
    const decoded = fromBase64Url(css);
    if (decoded !== null) out.css = decoded;
  }
  const appearance = p.get('appearance');
  if (appearance) {
    const decoded = fromBase64Url(appearance);
    if (decoded !== null) out.appearance = decoded;
  }
  for (const key of ['locale', 'theme', 'state'] as const) {
    const v = p.get(key);
    if (v) out[key] = v;
  }
  return out;
}
