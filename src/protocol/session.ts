/**
 * The widget session a partner backend obtains from LIQX and hands to the browser, its validation,
 * and what is derived from it (the frame URL, the one origin the channel trusts, expiry).
 */
import * as v from './wire-schema.js';
import { once } from './once.js';
import { FRAGMENT_CHANNEL, FRAGMENT_SESSION, boundedString, isoDateTime, issuePaths, sessionToken } from './schemas.js';

/** An absolute http(s) URL. */
const httpUrl = once(() => v.string().check(
  v.refine((s) => {
    try {
      return /^https?:$/.test(new URL(s).protocol);
    } catch {
      return false;
    }
  }, 'Expected an absolute http(s) URL'),
));

/** The session object as LIQX returns it (snake_case, as on the wire). */
export const WidgetSession = once(() => v.object({
  session_id: boundedString(1, 200),
  widget_url: httpUrl(),
  session_token: sessionToken(),
  expires_at: isoDateTime(),
  intent_id: v.optional(boundedString(1, 200)),
}));
export type WidgetSession = v.infer<ReturnType<typeof WidgetSession>>;

/** A validated session in the shape the element uses. `sessionId` null: learned from the frame's first hello. */
export interface ResolvedSession {
  readonly sessionId: string | null;
  readonly intentId: string | null;
  readonly widgetUrl: URL;
  /** Exactly the origin of widget_url: the only origin the channel trusts. */
  readonly origin: string;
  readonly token: string;
  /** Epoch ms, or null when the host gave no expiry (attribute form without `expires-at`). */
  readonly expiresAt: number | null;
}

export type SessionResult = { ok: true; session: ResolvedSession } | { ok: false; issues: string[] };

/** Parses the `session` property value. Never throws. */
export function resolveSession(input: unknown): SessionResult {
  return resolveWith(WidgetSession(), input);
}

const AttributeSession = once(() => v.object({
  widget_url: httpUrl(),
  session_token: sessionToken(),
  session_id: v.optional(boundedString(1, 200)),
  intent_id: v.optional(boundedString(1, 200)),
  expires_at: v.optional(isoDateTime()),
}));

/** Parses the attribute form (`widget-url` + `session-token`, optional `session-id`, `intent-id`, `expires-at`). */
export function resolveAttributeSession(attrs: Record<string, string | null | undefined>): SessionResult {
  return resolveWith(AttributeSession(), Object.fromEntries(Object.entries(attrs).filter(([, value]) => value != null && value !== '')));
}

/** Both forms: validate with `schema`, then derive the element's view of the session. */
function resolveWith(schema: ReturnType<typeof WidgetSession | typeof AttributeSession>, input: unknown): SessionResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return { ok: false, issues: issuePaths(parsed.error) };
  const s = parsed.data;
  const widgetUrl = new URL(s.widget_url);
  return {
    ok: true,
    session: {
      sessionId: s.session_id ?? null,
      intentId: s.intent_id ?? null,
      widgetUrl,
      origin: widgetUrl.origin,
      token: s.session_token,
      expiresAt: s.expires_at ? Date.parse(s.expires_at) : null,
    },
  };
}

/** True when the session can no longer be used. A small skew margin avoids opening a frame that dies at once. */
export function isExpired(session: ResolvedSession, now = Date.now(), skewMs = 1000): boolean {
  return session.expiresAt !== null && session.expiresAt - skewMs <= now;
}

/**
 * The iframe src: widget_url plus the channel id (and session id when known) in the fragment.
 * The token is deliberately absent: it only travels over the verified channel.
 */
export function frameSrc(session: ResolvedSession, channel: string): string {
  const url = new URL(session.widgetUrl.href);
  const params = new URLSearchParams(url.hash.slice(1));
  params.set(FRAGMENT_CHANNEL, channel);
  if (session.sessionId) params.set(FRAGMENT_SESSION, session.sessionId);
  url.hash = params.toString();
  return url.href;
}
