/**
 * Theme and locale after connect: they reach the connected frame live (an `update` on the channel), without a
 * reconnect and without changing the payout's state; `theme="auto"` follows prefers-color-scheme live; the element's
 * own box (loading, errors) follows the theme.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia } from '@web/test-runner-commands';
import { LiqxAppearanceError, type LiqxPayoutWidget } from '../../src/index.js';
import { itChromiumOnly } from './engine.js';
import { frameCommand, frameStatus, makeSession, mountConnected, oneEvent, record, sdk } from './helpers.js';

interface Settings {
  updates: Array<Record<string, unknown>>;
  locale: string;
  theme: string;
  appearance: unknown;
}
const settings = async (el: LiqxPayoutWidget) => (await frameCommand(el, 'settings')).value as Settings;
const base = (el: LiqxPayoutWidget) => el.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;

describe('theme and locale after connect', () => {
  it('reach the frame live: no reconnect, the payout keeps its state', async () => {
    const { el } = await mountConnected(makeSession(), html`<liqx-payout-widget locale="ko" theme="light" handshake-timeout="20000"></liqx-payout-widget>`);
    const ready = oneEvent(el, 'liqx-ready');
    await sdk(el, 'ready');
    await ready;
    const frame = el.frame;
    const seen = record(el, ['liqx-state-change', 'liqx-ready', 'liqx-error']);
    el.theme = 'dark';
    el.locale = 'en';
    await el.updateComplete;
    await waitUntil(async () => (await settings(el)).theme === 'dark', 'the frame to get theme dark', { timeout: 5000 });
    const now = await settings(el);
    expect(now).to.include({ theme: 'dark', locale: 'en' });
    expect(now.updates.at(-1)).to.deep.include({ locale: 'en', theme: 'dark' });
    expect(el.frame, 'the same iframe: no reconnect').to.equal(frame);
    expect(el.state).to.equal('ready');
    expect(seen, 'no state change, no new ready').to.deep.equal([]);
    // The frame still talks to the same session afterwards.
    const submitted = oneEvent(el, 'liqx-payout-submitted');
    expect((await sdk(el, 'submitted')).ok).to.equal(true);
    await submitted;
  });

  it('the element\'s own box follows the theme (an error shown in dark)', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget theme="dark" locale="en"></liqx-payout-widget>`);
    el.session = makeSession({}, { expires_at: new Date(Date.now() - 60_000).toISOString() });
    await el.updateComplete;
    expect(el.state).to.equal('error');
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(15, 23, 42)');
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part~="error"]')!).color).to.equal('rgb(252, 165, 165)');
    el.theme = 'light';
    await el.updateComplete;
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(255, 255, 255)');
    // The page's own custom properties still win over the dark defaults.
    el.theme = 'dark';
    el.style.setProperty('--liqx-background', 'rgb(1, 2, 3)');
    await el.updateComplete;
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(1, 2, 3)');
  });

  itChromiumOnly('theme="auto" follows prefers-color-scheme live, in the box and in the frame', 'prefers-color-scheme emulation (no WebDriver equivalent)', async () => {
    await emulateMedia({ colorScheme: 'light' });
    try {
      const { el } = await mountConnected(makeSession(), html`<liqx-payout-widget theme="auto" handshake-timeout="20000"></liqx-payout-widget>`);
      expect((await settings(el)).theme).to.equal('light');
      expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(255, 255, 255)');
      const frame = el.frame;
      await emulateMedia({ colorScheme: 'dark' });
      await waitUntil(async () => (await settings(el)).theme === 'dark', 'the frame to follow the dark scheme', { timeout: 5000 });
      await waitUntil(() => getComputedStyle(base(el)).backgroundColor === 'rgb(15, 23, 42)', 'the box to turn dark', { timeout: 5000 });
      expect(el.frame).to.equal(frame);
      expect(el.theme, 'the property stays auto').to.equal('auto');
    } finally {
      await emulateMedia({ colorScheme: 'light' });
    }
  });

  it('appearance: checked when set (shape, 4.5:1 contrast for body text), drawn on the box, sent to the frame live', async () => {
    const { el } = await mountConnected(makeSession());
    const refuse = (value: unknown) => {
      try {
        el.appearance = value as never;
      } catch (error) {
        expect(error).to.be.instanceOf(LiqxAppearanceError);
        return (error as LiqxAppearanceError).issues.join('\n');
      }
      return expect.fail(`accepted ${JSON.stringify(value)}`);
    };
    expect(refuse({ colors: { text: 'red' } })).to.contain('appearance.colors.text');
    expect(refuse({ colors: { background: '#fff', text: '#aaa' } })).to.match(/colors\.text: contrast 2\.\d+:1/);
    expect(refuse({ colors: { muted: '#777777' } }), 'checked on the dark default background too').to.contain('appearance.colors.muted');
    expect(refuse({ radius: 99 })).to.contain('appearance.radius');
    expect(refuse({ fontFamily: 'Comic Sans' })).to.contain('appearance.fontFamily');
    expect(el.appearance, 'nothing of a refused value is kept').to.equal(null);
    expect(base(el).style.getPropertyValue('--liqx-background')).to.equal('');

    const brand = { colors: { background: '#fdf6e3', text: '#1b1b1b', muted: '#4a4a4a', accent: '#8a2be2' }, radius: 4, fontFamily: 'serif' as const };
    el.appearance = brand;
    await el.updateComplete;
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(253, 246, 227)');
    expect(getComputedStyle(base(el)).borderTopLeftRadius).to.equal('4px');
    await waitUntil(async () => JSON.stringify((await settings(el)).appearance) === JSON.stringify(brand), 'the frame to get the appearance', { timeout: 5000 });
    expect(el.state, 'the payout keeps its state').to.equal('loading');
    el.appearance = null;
    await el.updateComplete;
    expect(getComputedStyle(base(el)).backgroundColor).to.equal('rgb(255, 255, 255)');
    await waitUntil(async () => (await settings(el)).appearance === null, 'the frame to drop the appearance', { timeout: 5000 });
  });

  it('appearance set before connect travels in the hello answer', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget handshake-timeout="20000"></liqx-payout-widget>`);
    el.appearance = { colors: { accent: '#0a7d32' } };
    const connected = frameStatus(el);
    el.session = makeSession();
    expect((await connected).state).to.equal('connected');
    const now = await settings(el);
    expect(now.appearance).to.deep.equal({ colors: { accent: '#0a7d32' } });
    expect(now.updates, 'no update needed').to.deep.equal([]);
  });
});
