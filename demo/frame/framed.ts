/**
 * The framed payout page's transport: the mock LIQX screen (./screen.ts) inside the partner's
 * <liqx-payout-widget>. It connects to the host with the frame SDK (the MessagePort of the verified channel),
 * redeems the session token it received there (Authorization header, never a URL), reports every step over the
 * channel, and follows the host's live locale, theme and appearance.
 *
 * Where the payout data and the time come from is a parameter: the LIQX widget API and the browser's clock for
 * the real page (./main.ts), fixed data and a frozen clock for the gallery's copy (./gallery.ts).
 */
import { connectToHost, type Appearance, type FontFamily, type HostConnection } from '../../src/frame/index.js';
import type { Locale } from '../../src/protocol/schemas.js';
import type { Failure } from '../contract/liqx.js';
import type { WidgetApi } from './api.js';
import { createPayoutScreen, mountScreen, type Clock, type PayoutScreen } from './screen.js';

const meta = (name: string) => document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? '';

/** The page's own colour, radius and font properties (styles.css), as the partner's appearance sets them. */
const APPEARANCE_VARS = [['background', '--surface'], ['text', '--text'], ['muted', '--text-muted'], ['accent', '--brand'], ['danger', '--danger']] as const;
const FONT_STACKS: Record<FontFamily, string> = {
  system: "system-ui, -apple-system, 'Segoe UI', sans-serif",
  'sans-serif': 'sans-serif',
  serif: 'serif',
  pretendard: "'Pretendard Variable', 'Pretendard', system-ui, sans-serif",
};

/** Applies the partner's appearance (checked by the element and the SDK) over the page's theme; null restores it. */
function applyAppearance(appearance: Appearance | null): void {
  // CSSOM on the root, not a style attribute: the page's CSP allows no inline styles.
  const style = document.documentElement.style;
  for (const [key, prop] of APPEARANCE_VARS) style.setProperty(prop, appearance?.colors?.[key] ?? '');
  style.setProperty('--radius', appearance?.radius !== undefined ? `${appearance.radius}px` : '');
  style.setProperty('font-family', appearance?.fontFamily ? FONT_STACKS[appearance.fontFamily] : '');
}

export interface FramedOptions {
  /** The widget API for the token the host handed over. */
  api(sessionToken: string): WidgetApi;
  /** The session's intent as the server named it in the page: what an error before the payout read is about. */
  intentId: string;
  clock?: Clock;
  /** Called before each report to the host (the gallery reports its height first, see ./gallery.ts). */
  beforeReport?(host: HostConnection): void;
}

/** Runs the framed page; resolves with the screen once it has shown the payout (or why it cannot). */
export async function runFramed(options: FramedOptions): Promise<PayoutScreen> {
  let locale: Locale = navigator.language.toLowerCase().startsWith('ko') ? 'ko' : 'en';
  let host: HostConnection | null = null;
  let bound = false;
  let screen: PayoutScreen | null = null;
  mountScreen(locale);

  /** Host calls never throw into the page: a closed channel only means nobody is listening any more. */
  const tell = (action: (h: HostConnection) => Promise<boolean>) => {
    if (!host) return;
    options.beforeReport?.(host);
    action(host).catch((error) => console.warn('[liqx-frame] host call failed:', error));
  };
  const bind = (intentId: string) => {
    if (bound || !host) return;
    bound = true;
    host.bindIntent(intentId);
  };

  /** The partner page changed the element's locale, theme or appearance after connect: redraw in place. */
  const redraw = () => {
    if (!host) return;
    document.documentElement.dataset.theme = host.theme;
    applyAppearance(host.appearance);
    locale = host.locale;
    screen?.setLocale(locale);
  };

  const parents = meta('liqx-parent-origins').split(/\s+/).filter(Boolean);
  let failure: Failure | null = null;
  try {
    host = await connectToHost({ allowedParentOrigins: parents, onUpdate: redraw });
  } catch (error) {
    // No channel: nobody to report to, only the page can say what happened.
    failure = { code: (error as { code?: string }).code ?? 'HOST_REFUSED', message: String((error as Error).message) };
  }
  const api = host ? options.api(host.sessionToken) : null;
  screen = createPayoutScreen({
    api: api ?? options.api(''),
    locale: host?.locale ?? locale,
    clock: options.clock,
    transport: {
      payout: (p) => bind(p.intent_id),
      ready: () => tell((h) => h.ready()),
      submitted: () => tell((h) => h.submitted()),
      completed: (transactionId, replay) => tell((h) => h.completed(transactionId ? { transactionId } : {}, replay)),
      rejected: (reason, replay) => tell((h) => h.rejected(reason, replay)),
      expired: (replay) => tell((h) => h.expired(replay)),
      error: (reason) => {
        // The server names the session's intent in the page, so even a refused token is reported about it.
        if (host) bind(options.intentId || host.sessionId);
        tell((h) => h.error(reason));
      },
      done: host ? () => tell((h) => h.close()) : null,
    },
  });
  if (!host || failure) {
    screen.fail(failure ?? { code: 'HOST_REFUSED', message: 'No channel to the host.' });
    return screen;
  }
  locale = host.locale;
  redraw();
  await screen.start(host.sessionId);
  return screen;
}
