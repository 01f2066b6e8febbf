/**
 * WCAG 2.x contrast, as pure functions (no DOM): parse a CSS colour in the forms a browser's computed style or a
 * canvas gives back (hex, rgb()/rgba() in comma or space syntax, `transparent`), composite a translucent colour
 * over an opaque one, relative luminance and the contrast ratio. Tested in test/node/demo/gallery-theming.test.ts.
 */

/** sRGB channels 0..255, alpha 0..1. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

/** WCAG 2.x level AA for normal-size text (1.4.3). */
export const AA_TEXT_RATIO = 4.5;

const NAMED: Record<string, Rgba> = {
  transparent: { r: 0, g: 0, b: 0, a: 0 },
  black: { r: 0, g: 0, b: 0, a: 1 },
  white: { r: 255, g: 255, b: 255, a: 1 },
};

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

function channel(token: string): number | null {
  const m = /^(-?\d*\.?\d+(?:e[+-]?\d+)?)(%?)$/i.exec(token);
  if (!m) return null;
  const n = Number(m[1]);
  return clamp(m[2] ? (n / 100) * 255 : n, 0, 255);
}

function alpha(token: string | undefined): number | null {
  if (token === undefined) return 1;
  const m = /^(-?\d*\.?\d+(?:e[+-]?\d+)?)(%?)$/i.exec(token);
  if (!m) return null;
  const n = Number(m[1]);
  return clamp(m[2] ? n / 100 : n, 0, 1);
}

/** Parses `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()` and a few names. Anything else: null. */
export function parseColor(input: string): Rgba | null {
  const s = input.trim().toLowerCase();
  if (s in NAMED) return { ...NAMED[s]! };
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s);
  if (hex) {
    let h = hex[1]!;
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
    return { r: n(0), g: n(2), b: n(4), a: h.length === 8 ? n(6) / 255 : 1 };
  }
  const fn = /^rgba?\(\s*([^)]*)\)$/.exec(s);
  if (!fn) return null;
  const body = fn[1]!.trim();
  let parts: string[];
  let a: string | undefined;
  if (body.includes(',')) {
    parts = body.split(',').map((p) => p.trim());
    if (parts.length === 4) a = parts.pop();
  } else {
    const [rgb, slash] = body.split('/').map((p) => p.trim());
    parts = rgb!.split(/\s+/);
    a = slash;
  }
  if (parts.length !== 3) return null;
  const [r, g, b] = parts.map(channel);
  const al = alpha(a);
  if (r == null || g == null || b == null || al == null) return null;
  return { r, g, b, a: al };
}

/** `fg` painted over `bg` (source-over). With an opaque `bg` the result is opaque. */
export function composite(fg: Rgba, bg: Rgba): Rgba {
  const a = fg.a + bg.a * (1 - fg.a);
  if (a === 0) return { r: 0, g: 0, b: 0, a: 0 };
  const mix = (f: number, b: number) => (f * fg.a + b * bg.a * (1 - fg.a)) / a;
  return { r: mix(fg.r, bg.r), g: mix(fg.g, bg.g), b: mix(fg.b, bg.b), a };
}

/** WCAG 2.x relative luminance of an opaque sRGB colour (alpha ignored: composite first). */
export function relativeLuminance({ r, g, b }: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/** (L1 + 0.05) / (L2 + 0.05), lighter over darker: 1 to 21. */
export function contrastRatio(a: Rgba, b: Rgba): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** Text colour `fg` on background `bg`, both possibly translucent, over an opaque `canvas` (what is behind). */
export function textContrast(fg: Rgba, bg: Rgba, canvas: Rgba): number {
  const back = composite(bg, { ...canvas, a: 1 });
  return contrastRatio(composite(fg, back), back);
}

/** Two decimals, never rounded up across the threshold (4.499 shows as 4.49, not 4.50). */
export function formatRatio(ratio: number): string {
  return `${(Math.floor(ratio * 100) / 100).toFixed(2)}:1`;
}
