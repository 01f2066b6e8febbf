/**
 * The gallery's pure parts (demo/gallery/contrast.ts, demo/gallery/theming.ts): WCAG relative luminance and
 * contrast against published reference values, colour parsing and compositing, the documented custom properties
 * and parts read from the element's real source, the CSS block, the ::part() selector filter and the share link.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { AA_TEXT_RATIO, composite, contrastRatio, formatRatio, parseColor, relativeLuminance, textContrast, type Rgba } from '../../../demo/gallery/contrast.js';
import {
  CONTRAST_PAIRS,
  cssVarDefaults,
  documentedCssProps,
  documentedParts,
  isPartSelector,
  isPartSelectorList,
  readFragment,
  shareFragment,
  themeCss,
  fromBase64Url,
  toBase64Url,
} from '../../../demo/gallery/theming.js';

const c = (s: string): Rgba => {
  const parsed = parseColor(s);
  assert.ok(parsed, `parses ${s}`);
  return parsed;
};
const close = (actual: number, expected: number, eps = 0.005) => assert.ok(Math.abs(actual - expected) < eps, `${actual} ≈ ${expected}`);

describe('contrast (WCAG 2.x)', () => {
  test('relative luminance: black 0, white 1, the sRGB reference points', () => {
    assert.equal(relativeLuminance(c('#000')), 0);
    close(relativeLuminance(c('#fff')), 1, 1e-9);
    close(relativeLuminance(c('#808080')), 0.2158605);
    close(relativeLuminance(c('#ff0000')), 0.2126, 1e-9);
    close(relativeLuminance(c('#00ff00')), 0.7152, 1e-9);
    close(relativeLuminance(c('#0000ff')), 0.0722, 1e-9);
  });

  test('contrast ratio: 21:1, 1:1, symmetric, and the AA boundary greys', () => {
    close(contrastRatio(c('#000000'), c('#ffffff')), 21, 1e-9);
    assert.equal(contrastRatio(c('#2563eb'), c('#2563eb')), 1);
    assert.equal(contrastRatio(c('#475569'), c('#fff')), contrastRatio(c('#fff'), c('#475569')));
    // #767676 is the lightest grey that passes AA on white; #777777 fails (4.48:1).
    close(contrastRatio(c('#767676'), c('#ffffff')), 4.54);
    close(contrastRatio(c('#777777'), c('#ffffff')), 4.48);
    assert.ok(contrastRatio(c('#767676'), c('#fff')) >= AA_TEXT_RATIO);
    assert.ok(contrastRatio(c('#777777'), c('#fff')) < AA_TEXT_RATIO);
  });

  test("the element's default colours pass AA; the README's sample pairs are computed, not assumed", () => {
    assert.ok(contrastRatio(c('#0f172a'), c('#ffffff')) > 17);
    close(contrastRatio(c('#b91c1c'), c('#fef2f2')), 5.91, 0.01);
    close(contrastRatio(c('#475569'), c('#fef2f2')), 6.93, 0.01);
  });

  test('formatRatio never rounds up across the threshold', () => {
    assert.equal(formatRatio(4.4999), '4.49:1');
    assert.equal(formatRatio(4.5), '4.50:1');
    assert.equal(formatRatio(21), '21.00:1');
  });

  test('parseColor: hex forms, rgb()/rgba() in comma and space syntax, percentages, names; junk is null', () => {
    assert.deepEqual(parseColor('#abc'), { r: 170, g: 187, b: 204, a: 1 });
    assert.deepEqual(parseColor('#AABBCC80'), { r: 170, g: 187, b: 204, a: 128 / 255 });
    assert.deepEqual(parseColor('rgb(15, 23, 42)'), { r: 15, g: 23, b: 42, a: 1 });
    assert.deepEqual(parseColor('rgba(15, 23, 42, 0.55)'), { r: 15, g: 23, b: 42, a: 0.55 });
    assert.deepEqual(parseColor('rgb(0 0 0 / 60%)'), { r: 0, g: 0, b: 0, a: 0.6 });
    assert.deepEqual(parseColor('rgb(100% 0% 0%)'), { r: 255, g: 0, b: 0, a: 1 });
    assert.deepEqual(parseColor('transparent'), { r: 0, g: 0, b: 0, a: 0 });
    for (const bad of ['', 'red-ish', '#12', '#12345', 'rgb(1, 2)', 'rgb(a, b, c)', 'linear-gradient(#fff, #000)', '1px solid #e2e8f0']) {
      assert.equal(parseColor(bad), null, bad);
    }
  });

  test('translucent colours are composited over what is behind them before the ratio', () => {
    const white = c('#fff');
    assert.deepEqual(composite(c('rgba(0, 0, 0, 0.5)'), white), { r: 127.5, g: 127.5, b: 127.5, a: 1 });
    // Half-transparent black text on a transparent box over a white tile: the same as grey 127.5 on white.
    close(textContrast(c('rgba(0, 0, 0, 0.5)'), c('transparent'), white), contrastRatio({ r: 127.5, g: 127.5, b: 127.5, a: 1 }, white), 1e-9);
    // A transparent box over the dark tile: light text passes there and would fail over white.
    const darkTile = c('#0b1220');
    assert.ok(textContrast(c('#e2e8f0'), c('transparent'), darkTile) > AA_TEXT_RATIO);
    assert.ok(textContrast(c('#e2e8f0'), c('transparent'), white) < AA_TEXT_RATIO);
  });
});

describe("theming model (read from the element's source)", () => {
  const widget = readFileSync('src/element/payout-widget.ts', 'utf8');
  const styles = readFileSync('src/element/payout-widget.styles.ts', 'utf8') + readFileSync('src/element/overlay-controller.styles.ts', 'utf8');
  const readme = readFileSync('docs/frontend.md', 'utf8');

  test('every documented custom property is in the table of docs/frontend.md and has a default in the stylesheets', () => {
    const props = documentedCssProps(widget);
    assert.ok(props.length >= 15, `found ${props.length} @cssprop`);
    const defaults = cssVarDefaults(styles);
    for (const { name, description } of props) {
      assert.ok(description.length > 0, `${name} has a description`);
      assert.ok(defaults[name], `${name} has a var() fallback in the stylesheets`);
    }
    // Each pair the contrast check reads is a documented property.
    for (const pair of CONTRAST_PAIRS) for (const name of [pair.text, pair.background]) assert.ok(props.some((p) => p.name === name), name);
    assert.ok(readme.includes('`--liqx-text-color`'));
  });

  test('defaults are read whole, nested parentheses included', () => {
    const defaults = cssVarDefaults('a { color: var(--liqx-text-color, #0f172a); box-shadow: var(--liqx-dialog-shadow, 0 20px 50px rgba(15, 23, 42, 0.35)); height: var(--liqx-dialog-max-height, calc(100dvh - 32px)); }');
    assert.deepEqual(defaults, {
      '--liqx-text-color': '#0f172a',
      '--liqx-dialog-shadow': '0 20px 50px rgba(15, 23, 42, 0.35)',
      '--liqx-dialog-max-height': 'calc(100dvh - 32px)',
    });
    assert.equal(cssVarDefaults(styles)['--liqx-background'], '#ffffff');
  });

  test("the element's @csspart names are the parts table of docs/frontend.md, in order", () => {
    const table = [...readme.matchAll(/^\| `([a-z-]+)` \| [^|]*\|$/gm)].map((m) => m[1]!).filter((name) => !name.startsWith('--'));
    const parts = documentedParts(widget).map((p) => p.name);
    assert.ok(parts.length >= 7, `found ${parts.length} @csspart`);
    assert.deepEqual(table.filter((name) => parts.includes(name)), parts, 'every part is in the table, in the same order');
  });

  test('the CSS block: every tile, dark-tile overrides, then ::part() rules; unsafe values left out', () => {
    const css = themeCss({
      all: { '--liqx-accent-color': '#0f766e', '--liqx-text-color': 'red; } body { display: none' },
      dark: { '--liqx-background': '#0f172a' },
      parts: "liqx-payout-widget::part(error) { border-left: 4px solid currentColor; }",
    });
    assert.equal(
      css,
      "liqx-payout-widget {\n  --liqx-accent-color: #0f766e;\n}\n\nliqx-payout-widget[theme='dark'] {\n  --liqx-background: #0f172a;\n}\n\nliqx-payout-widget::part(error) { border-left: 4px solid currentColor; }\n",
    );
    assert.equal(themeCss({ all: {}, dark: {}, parts: '  ' }), '');
  });

  test('the parts editor accepts liqx-payout-widget ...::part() selectors only', () => {
    for (const ok of [
      'liqx-payout-widget::part(base)',
      "liqx-payout-widget[state='completed']::part(base)",
      'liqx-payout-widget[theme="dark"][state=error]::part(error)',
      'liqx-payout-widget::part(overlay)::backdrop',
    ]) assert.ok(isPartSelector(ok), ok);
    for (const bad of ['body', 'liqx-payout-widget', '.tile liqx-payout-widget::part(base)', 'liqx-payout-widget::part(base) span', '*::part(base)', 'liqx-payout-widget::part(base), body']) {
      assert.ok(!isPartSelectorList(bad), bad);
    }
  });

  test('share link: the CSS block and the filters round-trip through the fragment (UTF-8 safe)', () => {
    const css = "liqx-payout-widget {\n  --liqx-font-family: 'Pretendard', 맑은 고딕;\n}\n";
    const fragment = shareFragment({ css, locale: 'ko', theme: 'all', state: 'rejected' });
    assert.match(fragment, /^#css=[\w-]+&locale=ko&state=rejected$/);
    assert.deepEqual(readFragment(fragment), { css, locale: 'ko', state: 'rejected' });
    assert.equal(shareFragment({ css: '', locale: 'all', theme: 'all', state: 'all' }), '');
    // The element's appearance value (JSON) rides along, also base64url, and is left out when there is none.
    const appearance = JSON.stringify({ colors: { accent: '#0f766e' }, radius: 6, fontFamily: 'Pretendard' });
    const withAppearance = shareFragment({ css, appearance, locale: 'en', theme: 'dark', state: 'all' });
    assert.match(withAppearance, /^#css=[\w-]+&appearance=[\w-]+&locale=en&theme=dark$/);
    assert.deepEqual(readFragment(withAppearance), { css, appearance, locale: 'en', theme: 'dark' });
    assert.equal(shareFragment({ css: '', appearance: '', locale: 'all', theme: 'all', state: 'all' }), '');
    assert.deepEqual(readFragment('#appearance=%%%'), {});
    assert.equal(fromBase64Url(toBase64Url('a+b/c=')), 'a+b/c=');
    assert.equal(fromBase64Url('%%%'), null);
  });
});
