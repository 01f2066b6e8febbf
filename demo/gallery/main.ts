/**
 * The widget gallery (demo/gallery.html, served by the partner proxy at /gallery.html): every state of the real
 * `<liqx-payout-widget>` embedding the mock LIQX's own payout page × locale × theme (light, dark, auto) on one
 * screen, each tile driven live (./states.ts), any tile opened as an overlay on demand, a live theming panel
 * (./theme-panel.ts) whose CSS applies to every tile at once, and the element's `appearance` (./appearance-panel.ts),
 * which reaches every connected payout page over its channel.
 *
 * Tiles report progress in attributes the e2e tests wait for: `data-driven="done" | "failed"` on the tile.
 */
import '../../src/define.js';
import type { Appearance, LiqxPayoutWidget } from '../../src/index.js';
import { LOCALES, STATES, THEMES, tileId, type GalleryState, type Locale, type Theme } from './states.js';
import { ThemePanel } from './theme-panel.js';
import { AppearancePanel } from './appearance-panel.js';
import { readFragment, shareFragment } from './theming.js';
import { h } from './dom.js';

const tiles = document.getElementById('tiles')!;
/** The mock LIQX origin, which serves the payout page the tiles embed (filled in by the gallery's server). */
const LIQX_ORIGIN = document.querySelector('meta[name="liqx-origin"]')?.getAttribute('content') || 'http://127.0.0.1:4001';
/** The appearance every widget gets, new ones (an overlay) included. */
let appearance: Appearance | null = null;
const overlayHost = document.getElementById('overlay-host')!;
const filters = {
  locale: document.getElementById('filter-locale') as HTMLSelectElement,
  theme: document.getElementById('filter-theme') as HTMLSelectElement,
  state: document.getElementById('filter-state') as HTMLSelectElement,
};
for (const s of STATES) filters.state.append(h('option', { value: s.id }, s.label));

/** The last event a widget fired, in words that do not change from run to run. */
function describe(event: Event): string | null {
  const detail = (event as CustomEvent).detail ?? {};
  switch (event.type) {
    case 'liqx-ready':
    case 'liqx-payout-submitted':
    case 'liqx-payout-expired':
      return event.type;
    case 'liqx-payout-completed':
      return `${event.type} · ${detail.transactionId ?? ''}`;
    case 'liqx-payout-rejected':
      return `${event.type} · ${detail.reason?.code}`;
    case 'liqx-error':
      return `${event.type} · ${detail.code} (${detail.source})${detail.issues?.length ? ` · issues: ${detail.issues.join(', ')}` : ''}`;
    default:
      return null;
  }
}

const RELAYED = ['liqx-ready', 'liqx-payout-submitted', 'liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired', 'liqx-error'];

/** Creates a widget in `parent` and drives it into `state`; `onEvent` hears each relayed event. */
function mountWidget(parent: Element, state: GalleryState, locale: Locale, theme: Theme, display: 'inline' | 'overlay', id: string, onEvent: (text: string) => void) {
  const el = document.createElement('liqx-payout-widget') as LiqxPayoutWidget;
  el.locale = locale;
  el.theme = theme;
  el.display = display;
  // A busy machine (or one engine's single web process) may take long to load a hundred frames; the
  // handshake-timeout tile sets its own short bound.
  el.handshakeTimeout = 120_000;
  el.appearance = appearance;
  el.dataset.tile = id;
  for (const type of RELAYED) {
    el.addEventListener(type, (event) => {
      const text = describe(event);
      if (text) onEvent(text);
    });
  }
  parent.append(el);
  state.drive(el, { id, locale, theme }, LIQX_ORIGIN);
  return el;
}

/**
 * Resolves once the frame's reported height has stopped changing (the payout page reports its height over the
 * channel after each view change; a tile is screenshot-ready once the last report has landed). Host errors have
 * no frame: at once. The quiet period is only when the page calls a tile done; nothing asserts on it.
 */
function frameSettled(el: LiqxPayoutWidget, quietMs = 400, timeout = 30_000): Promise<void> {
  const frame = el.frame;
  if (!frame || el.state === 'error') return Promise.resolve();
  return new Promise((resolve) => {
    let timer = setTimeout(done, quietMs);
    const observer = new MutationObserver(() => {
      clearTimeout(timer);
      timer = setTimeout(done, quietMs);
    });
    const bound = setTimeout(done, timeout);
    function done() {
      observer.disconnect();
      clearTimeout(timer);
      clearTimeout(bound);
      resolve();
    }
    observer.observe(frame, { attributes: true, attributeFilter: ['style', 'src'] });
  });
}

/** Resolves once `el.state` is `expected`; the gallery's own bound is generous for a busy machine. */
function reached(el: LiqxPayoutWidget, expected: string, timeout = 150_000): Promise<void> {
  if (el.state === expected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`state ${el.state}, expected ${expected}`)), timeout);
    el.addEventListener('liqx-state-change', function onChange() {
      if (el.state !== expected) return;
      clearTimeout(timer);
      el.removeEventListener('liqx-state-change', onChange);
      resolve();
    });
  });
}

/**
 * A hundred payout pages loading at once starve each other (and each one's handshake bound): tiles are mounted a
 * few at a time, in page order, the next as soon as one is done.
 */
const mounting = (() => {
  const queue: Array<() => Promise<void>> = [];
  let running = 0;
  const next = () => {
    while (running < 6 && queue.length) {
      running++;
      void queue.shift()!().finally(() => {
        running--;
        next();
      });
    }
  };
  return { add: (job: () => Promise<void>) => (queue.push(job), next()) };
})();

function tile(state: GalleryState, locale: Locale, theme: Theme): HTMLElement {
  const id = tileId(state.id, locale, theme);
  const lastEvent = h('span', { class: 'tile-event', 'data-testid': 'tile-event' }, 'no event yet');
  // Its name says which tile it opens: "Open as overlay Ready ko · light" (the visible words first).
  const open = h('button', { type: 'button', class: 'button button-ghost tile-open', id: `open-${id}`, 'aria-labelledby': `open-${id} row-${state.id} tag-${id}` }, 'Open as overlay');
  const body = h('div', { class: 'tile-widget' });
  const figure = h(
    'figure',
    { class: 'tile', id: `tile-${id}`, 'data-tile': id, 'data-state-id': state.id, 'data-locale': locale, 'data-theme': theme, 'data-driven': 'pending' },
    h('figcaption', { class: 'tile-caption' }, h('span', { class: 'tile-tag', id: `tag-${id}` }, `${locale} · ${theme}`), lastEvent, open),
    body,
  );
  figure.dataset.readyCount = '0';
  mounting.add(async () => {
    const el = mountWidget(body, state, locale, theme, 'inline', id, (text) => (lastEvent.textContent = text));
    // How often the payout page said it was ready: a live appearance or theme change must not make it say so again.
    el.addEventListener('liqx-ready', () => (figure.dataset.readyCount = String(Number(figure.dataset.readyCount) + 1)));
    // Done once the element is in its state (a handshake timeout, for one, arrives after the drive has returned) and
    // the payout page's last height report has landed.
    await reached(el, state.expect).then(() => frameSettled(el)).then(
      () => figure.setAttribute('data-driven', 'done'),
      (error: Error) => {
        figure.setAttribute('data-driven', 'failed');
        lastEvent.textContent = `could not drive: ${error.message}`;
      },
    );
  });
  open.addEventListener('click', () => openOverlay(state, locale, theme));
  return figure;
}

/** One overlay at a time: a fresh widget with display="overlay", driven like the tile; Esc closes it. */
let overlay: LiqxPayoutWidget | null = null;
function openOverlay(state: GalleryState, locale: Locale, theme: Theme): void {
  overlay?.remove();
  const id = `${tileId(state.id, locale, theme)}-overlay`;
  const el = mountWidget(overlayHost, state, locale, theme, 'overlay', id, () => {});
  overlay = el;
  const dismiss = () => {
    // The dialog closed (Esc, or the frame's WIDGET_CLOSE): the overlay widget is done.
    setTimeout(() => {
      if (overlay === el) overlay = null;
      el.remove();
    });
  };
  el.shadowRoot?.addEventListener('close', dismiss, { capture: true, once: true });
}

/**
 * `?rows=<state id>,…` builds only those states' rows (unknown ids are ignored; none known: every row). An engine
 * whose frames load slowly (WebKitGTK's single web process) is driven through the gallery a few rows per page load.
 */
const onlyRows = (new URLSearchParams(location.search).get('rows') ?? '').split(',').filter((id) => STATES.some((s) => s.id === id));

// Grid: one row per state, one tile per locale × theme.
for (const state of STATES) {
  if (onlyRows.length && !onlyRows.includes(state.id)) continue;
  const row = h(
    'section',
    { class: 'state-row', 'data-state-id': state.id, 'aria-labelledby': `row-${state.id}` },
    h('header', { class: 'state-head' }, h('h3', { id: `row-${state.id}` }, state.label), h('p', { class: 'state-how' }, state.how)),
    h('div', { class: 'state-tiles' }, ...LOCALES.flatMap((locale) => THEMES.map((theme) => tile(state, locale, theme)))),
  );
  tiles.append(row);
}

const panel = new ThemePanel(document.getElementById('theme-editor')!, { shareUrl: () => shareUrl() });
/** Sets `value` on every live widget; the element throws (and keeps its old value) when it refuses it. */
const appearancePanel = new AppearancePanel(document.getElementById('appearance-editor')!, (value) => {
  const widgets = [...document.querySelectorAll<LiqxPayoutWidget>('liqx-payout-widget')];
  // The first widget judges the value; it is the same check on every one, so none is left half-applied.
  if (widgets[0]) widgets[0].appearance = value;
  for (const el of widgets.slice(1)) el.appearance = value;
  appearance = value;
});

function applyFilters(): void {
  const { locale, theme, state } = { locale: filters.locale.value, theme: filters.theme.value, state: filters.state.value };
  for (const t of tiles.querySelectorAll<HTMLElement>('.tile')) {
    t.hidden = (locale !== 'all' && t.dataset.locale !== locale) || (theme !== 'all' && t.dataset.theme !== theme);
  }
  for (const row of tiles.querySelectorAll<HTMLElement>('.state-row')) row.hidden = state !== 'all' && row.dataset.stateId !== state;
  tiles.dataset.columns = String((locale === 'all' ? 2 : 1) * (theme === 'all' ? 2 : 1));
}

function shareUrl(): string {
  const shared = appearancePanel.appearance ? JSON.stringify(appearancePanel.appearance) : '';
  return `${location.origin}${location.pathname}${location.search}${shareFragment({ css: panel.css, appearance: shared, locale: filters.locale.value, theme: filters.theme.value, state: filters.state.value })}`;
}

/** The URL always holds the current theme and filters (no server state): reload or share it as it is. */
function syncUrl(): void {
  history.replaceState(null, '', shareUrl());
}

function restoreFromUrl(): void {
  const shared = readFragment(location.hash);
  for (const key of ['locale', 'theme', 'state'] as const) {
    const v = shared[key];
    if (v && [...filters[key].options].some((o) => o.value === v)) filters[key].value = v;
  }
  if (shared.css !== undefined) panel.load(shared.css);
  if (shared.appearance !== undefined) {
    const value = sharedAppearance(shared.appearance);
    // The element judges it as it judges a typed value: a refused one shows in the panel's note, never drawn.
    if (value !== undefined) appearancePanel.load(value);
  }
}

/** A shared link's appearance JSON as an object for the panel, or undefined when it is not a JSON object. */
function sharedAppearance(json: string): Appearance | undefined {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Appearance) : undefined;
  } catch {
    return undefined;
  }
}

restoreFromUrl();
applyFilters();
for (const select of Object.values(filters)) {
  select.addEventListener('change', () => {
    applyFilters();
    syncUrl();
  });
}
panel.onChange = syncUrl;
appearancePanel.onChange = syncUrl;
window.addEventListener('hashchange', () => {
  restoreFromUrl();
  applyFilters();
});
document.documentElement.dataset.galleryReady = 'true';
