/**
 * The partner's `appearance` on the element's side: checked before anything is drawn or sent (shape, then contrast:
 * body text and muted text at 4.5:1 or more on the background, WCAG 2's ratio for normal text), then turned into the
 * box's custom properties. The frame gets the same, checked value and draws its payout screen with it.
 */
import { appearanceIssues, type Appearance, type FontFamily } from '../protocol/wire.js';

/** `appearance` was refused; nothing of it is drawn or sent. `issues`: one path and reason each. */
export class LiqxAppearanceError extends TypeError {
  override readonly name = 'LiqxAppearanceError';
  readonly code = 'INVALID_APPEARANCE';
  constructor(readonly issues: string[]) {
    super(`INVALID_APPEARANCE: ${issues.join('; ')}`);
  }
}

/** Relative luminance of `#rgb` / `#rrggbb` (WCAG 2). */
function luminance(hex: string): number {
  const h = hex.length === 4 ? hex.replace(/\w/g, '$&$&') : hex;
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = parseInt(h.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

/** The contrast ratio of two colours, 1..21. */
export function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

/** The box's default colours per theme (payout-widget.styles.ts): a colour left out is checked against these. */
const DEFAULTS = [
  { background: '#ffffff', text: '#0f172a', muted: '#475569' },
  { background: '#0f172a', text: '#e2e8f0', muted: '#94a3b8' },
];

/** A valid appearance (a copy), or null for none; throws LiqxAppearanceError. Checked for both themes. */
export function checkAppearance(value: unknown): Appearance | null {
  if (value == null) return null;
  const issues = appearanceIssues(value);
  if (!issues.length) {
    const colors = (value as Appearance).colors ?? {};
    for (const d of DEFAULTS) {
      for (const key of ['text', 'muted'] as const) {
        const ratio = contrast(colors[key] ?? d[key], colors.background ?? d.background);
        const issue = `appearance.colors.${key}: contrast ${ratio.toFixed(2)}:1 on the background, under 4.5:1`;
        if (ratio < 4.5 && !issues.includes(issue)) issues.push(issue);
      }
    }
  }
  if (issues.length) throw new LiqxAppearanceError(issues);
  return JSON.parse(JSON.stringify(value)) as Appearance;
}

const FONT_STACKS: Record<FontFamily, string> = {
  system: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  'sans-serif': 'sans-serif',
  serif: 'serif',
  pretendard: "'Pretendard Variable', Pretendard, system-ui, sans-serif",
};

/** The box's custom properties for `a`: every one the appearance can set, '' where it sets none. */
export function appearanceVars(a: Appearance | null): Array<[string, string]> {
  const c = a?.colors ?? {};
  return [
    ['--liqx-background', c.background ?? ''],
    ['--liqx-text-color', c.text ?? ''],
    ['--liqx-muted-color', c.muted ?? ''],
    ['--liqx-accent-color', c.accent ?? ''],
    ['--liqx-error-color', c.danger ?? ''],
    ['--liqx-border-radius', a?.radius !== undefined ? `${a.radius}px` : ''],
    ['--liqx-font-family', a?.fontFamily ? FONT_STACKS[a.fontFamily] : ''],
  ];
}
