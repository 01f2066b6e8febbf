/**
 * The zod-free half of the host <-> frame protocol: its version, names, the fragment keys, the port's call
 * shapes, and the frame's checks of what it receives. The frame SDK imports only this (zod/mini alone is larger than
 * its whole 5 KB gzip budget); schemas.ts re-exports it beside the schemas the host parses with.
 */

/** Bumped on any incompatible change; the host refuses a frame that speaks another major version. */
export const PROTOCOL_VERSION = 1;

export const LOCALES = ['ko', 'en'] as const;
/** The themes the frame draws (the element resolves `auto` to one of these before sending it). */
export const THEMES = ['light', 'dark'] as const;
export const DISPLAYS = ['inline', 'overlay'] as const;

const oneOf = (list: readonly unknown[], v: unknown) => list.includes(v);

/** The fonts a partner may pick for the payout screen: names the frame maps to stacks it can draw (no URL loading). */
export const FONT_FAMILIES = ['system', 'sans-serif', 'serif', 'pretendard'] as const;
export type FontFamily = (typeof FONT_FAMILIES)[number];
/** The colours a partner may set: body text and muted text must stay readable on the background (4.5:1). */
export const APPEARANCE_COLORS = ['background', 'text', 'muted', 'accent', 'danger'] as const;

/**
 * The partner's brand inside the frame and on the element's own box. Colours are `#rgb` or `#rrggbb` (so contrast
 * can be checked exactly), radius in px (0..32), a font from FONT_FAMILIES.
 */
export interface Appearance {
  colors?: Partial<Record<(typeof APPEARANCE_COLORS)[number], string>>;
  radius?: number;
  fontFamily?: FontFamily;
}

const HEX = /^#([\da-f]{3}|[\da-f]{6})$/i;

/** Issue paths of an appearance value (none when valid), contrast aside: the element checks that before sending. */
export function appearanceIssues(a: unknown): string[] {
  if (typeof a !== 'object' || a === null) return ['appearance: Expected an object'];
  const { colors, radius, fontFamily } = a as Record<string, unknown>;
  const issues: string[] = [];
  if (colors !== undefined) {
    if (typeof colors !== 'object' || colors === null) issues.push('appearance.colors: Expected an object');
    else for (const [k, v] of Object.entries(colors)) if (!oneOf(APPEARANCE_COLORS, k) || typeof v !== 'string' || !HEX.test(v)) issues.push(`appearance.colors.${k}: Expected a known colour as #rgb or #rrggbb`);
  }
  if (radius !== undefined && !(typeof radius === 'number' && radius >= 0 && radius <= 32)) issues.push('appearance.radius: Expected 0..32');
  if (fontFamily !== undefined && !oneOf(FONT_FAMILIES, fontFamily)) issues.push(`appearance.fontFamily: Expected ${FONT_FAMILIES.join(' | ')}`);
  return issues;
}

/** Host -> frame answer to hello (on the port): what the frame may know. The session token travels only here. */
export interface HelloResponse {
  protocol: number;
  /** 1..4096 characters. */
  sessionToken: string;
  locale: (typeof LOCALES)[number];
  theme: (typeof THEMES)[number];
  /** How the host shows the frame; in `overlay` the frame treats Esc as a close request. Optional for older hosts. */
  display?: (typeof DISPLAYS)[number];
  /** The partner's appearance, already checked by the element (`null`: none). */
  appearance?: Appearance | null;
}

/** Host -> frame after connect (`update` on the port): what changed; the payout's state does not. */
export type FrameSettings = Partial<Pick<HelloResponse, 'locale' | 'theme' | 'display' | 'appearance'>>;

/** The calls the frame makes on the port after its hello. Arguments are `unknown`: the host parses them first. */
export type HostMethods = {
  emit(event: unknown): Promise<{ accepted: boolean }>;
};

/** The calls the host makes on the port. */
export type FrameMethods = {
  /** Asks the frame to wind down (overlay Esc, host-initiated close); the frame answers with WIDGET_CLOSE. */
  requestClose(): Promise<void>;
  /** The host's locale, theme or display changed after connect: redraw in place, keep the payout's state. */
  update(settings: FrameSettings): Promise<void>;
};

/**
 * The frame reads its channel id and session id from the URL fragment the host sets. Neither is a
 * secret; the session token is never put in any URL.
 */
export const FRAGMENT_CHANNEL = 'liqx-channel';
export const FRAGMENT_SESSION = 'liqx-session';

/**
 * The frame's check of what it receives (the hello answer; an update, `partial`, where every field is optional):
 * the issue paths, none when valid. Plain checks: these few fields need no schema library.
 */
export function settingsIssues(value: unknown, partial: boolean): string[] {
  if (typeof value !== 'object' || value === null) return ['(root): Expected an object'];
  const v = value as Record<string, unknown>;
  const issues: string[] = [];
  const check = (key: string, ok: boolean, expected: string) => {
    if ((!partial || v[key] !== undefined) && !ok) issues.push(`${key}: Expected ${expected}`);
  };
  if (!partial) {
    check('protocol', v.protocol === PROTOCOL_VERSION, `protocol ${PROTOCOL_VERSION}`);
    check('sessionToken', typeof v.sessionToken === 'string' && v.sessionToken.length >= 1 && v.sessionToken.length <= 4096, '1..4096 characters');
  }
  check('locale', oneOf(LOCALES, v.locale), LOCALES.join(' | '));
  check('theme', oneOf(THEMES, v.theme), THEMES.join(' | '));
  if (v.display !== undefined) check('display', oneOf(DISPLAYS, v.display), DISPLAYS.join(' | '));
  if (v.appearance != null) issues.push(...appearanceIssues(v.appearance));
  return issues;
}
