/**
 * display="overlay": a native modal dialog, Esc -> the frame's requestClose() -> WIDGET_CLOSE, focus return, theming,
 * the page's scroll locked and restored exactly, an error state closable by touch and keyboard at a phone's width.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { frameCommand, frameStatus, makeSession, sdk } from './helpers.js';

const until = async (cond: () => boolean, what: string, ms = 5000) => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

function deepActive(): Element | null {
  let a = document.activeElement;
  while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
  return a;
}

async function setup(session = makeSession()) {
  const wrapper = await fixture<HTMLDivElement>(html`<div>
    <style>
      .themed { --liqx-overlay-backdrop: rgb(1, 2, 3); }
      .themed::part(dialog) { width: 320px; }
    </style>
    <button id="opener">Withdraw</button>
    <liqx-payout-widget class="themed" display="overlay" handshake-timeout="20000"></liqx-payout-widget>
  </div>`);
  const opener = wrapper.querySelector<HTMLButtonElement>('#opener')!;
  const el = wrapper.querySelector<LiqxPayoutWidget>('liqx-payout-widget')!;
  const dialog = () => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[part~="overlay"]');
  opener.focus();
  const connected = frameStatus(el);
  el.session = session;
  await el.updateComplete;
  return { wrapper, opener, el, dialog, connected };
}

describe('display="overlay"', () => {
  it('does not open without a session', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget display="overlay"></liqx-payout-widget>`);
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.be.false;
  });

  it('opens a modal dialog with the frame inside, themed by custom properties and ::part()', async () => {
    const { el, dialog, opener, connected } = await setup();
    await connected;
    const d = dialog()!;
    expect(d.open).to.be.true;
    expect(d.matches(':modal'), 'showModal(): the page behind is inert').to.be.true;
    expect(d.getAttribute('aria-label')).to.be.a('string').and.not.empty;
    expect(el.frame!.closest('[part~="dialog"]')).to.not.equal(null);
    expect(deepActive(), 'focus moved into the dialog').to.equal(d.querySelector('[part~="dialog"]'));
    expect(getComputedStyle(d, '::backdrop').backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(d.querySelector('[part~="dialog"]')!).width).to.equal('320px');
    // Tab does not leave the dialog for the inert page behind it.
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    expect(document.activeElement).to.not.equal(opener);
    await expect(el).to.be.accessible();
  });

  it('Esc asks the frame to close; on its WIDGET_CLOSE the dialog closes and focus returns', async () => {
    const { el, dialog, opener, connected } = await setup();
    await connected;
    await sendKeys({ press: 'Escape' });
    // The fixture frame counts requestClose() and waits for the test to answer.
    let requests = 0;
    for (let i = 0; i < 100 && requests === 0; i++) {
      requests = (await frameCommand(el, 'closeRequests')).value as number;
      if (!requests) await new Promise((r) => setTimeout(r, 20));
    }
    expect(requests, 'requestClose() reached the frame once').to.equal(1);
    const closed = oneEvent(el, 'liqx-close');
    expect((await sdk(el, 'close')).ok).to.be.true;
    await closed;
    await until(() => !dialog()!.open, 'dialog closed');
    expect(document.activeElement).to.equal(opener);
    // Still the same session: the element does not restart, it only closed its overlay.
    expect(el.frame).to.not.equal(null);
  });

  it('Esc pressed inside the frame (where focus usually is) is a close request too, in overlay only', async () => {
    const { el, connected } = await setup();
    expect((await connected).state).to.equal('connected');
    await frameCommand(el, 'pressEscape');
    let requests = 0;
    for (let i = 0; i < 100 && requests === 0; i++) {
      requests = (await frameCommand(el, 'closeRequests')).value as number;
      if (!requests) await new Promise((r) => setTimeout(r, 20));
    }
    expect(requests).to.equal(1);

    // Inline: Esc inside the frame is the frame's own business.
    const inline = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    const inlineConnected = frameStatus(inline);
    inline.session = makeSession();
    await inline.updateComplete;
    await inlineConnected;
    await frameCommand(inline, 'pressEscape');
    await new Promise((r) => setTimeout(r, 100));
    expect((await frameCommand(inline, 'closeRequests')).value).to.equal(0);
  });

  it('Esc before the frame is connected closes the dialog directly', async () => {
    // A frame that connects the transport but never says hello: nothing to ask.
    const { el, dialog, opener, connected } = await setup(makeSession({ mode: 'raw' }));
    await connected;
    expect(dialog()!.open).to.be.true;
    await sendKeys({ press: 'Escape' });
    await until(() => !dialog()!.open, 'dialog closed');
    expect(document.activeElement).to.equal(opener);
    expect(el.state).to.equal('loading');
  });

  it('requestClose() resolves false with no frame, true with one', async () => {
    const { el, connected } = await setup();
    const early = await el.requestClose();
    await connected;
    expect(early).to.be.false;
    expect(await el.requestClose()).to.be.true;
  });

  it('removing the element closes the overlay and returns focus; a new session opens it again', async () => {
    const { wrapper, el, dialog, opener, connected } = await setup();
    await connected;
    expect(dialog()!.open).to.be.true;
    el.remove();
    expect(document.activeElement).to.equal(opener);
    const again = frameStatus(el);
    wrapper.append(el);
    await el.updateComplete;
    await again;
    expect(dialog()!.open).to.be.true;
  });

  it('switching display restarts cleanly between inline and overlay', async () => {
    const { el, dialog, connected } = await setup();
    await connected;
    const reconnect = frameStatus(el);
    el.display = 'inline';
    await el.updateComplete;
    expect(dialog()).to.equal(null);
    await reconnect;
    expect(el.shadowRoot!.querySelectorAll('iframe')).to.have.length(1);
    const ready = oneEvent(el, 'liqx-ready');
    expect((await sdk(el, 'ready')).ok).to.be.true;
    await ready;
  });

  it('locks the page scroll while open and restores it exactly: position, the root\'s inline style, no layout shift', async () => {
    const root = document.documentElement;
    const styleBefore = root.getAttribute('style');
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget display="overlay" handshake-timeout="20000"></liqx-payout-widget>`);
    const spacer = document.createElement('div');
    spacer.style.height = '4000px';
    document.body.append(spacer);
    const dialog = () => el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[part~="overlay"]')!;
    const rect = () => { const r = document.body.getBoundingClientRect(); return [r.left, r.width, r.top]; };
    try {
      window.scrollTo(0, 600);
      await until(() => window.scrollY === 600, 'the page scrolled to 600');
      const unlocked = rect();
      const connected = frameStatus(el);
      el.session = makeSession();
      await connected;
      expect(dialog().open).to.be.true;
      expect(getComputedStyle(root).overflowY, 'the page behind cannot scroll').to.equal('hidden');
      expect(window.scrollY, 'scroll position kept while open').to.equal(600);
      expect(rect(), 'no layout shift when locking (the scrollbar width is made up)').to.deep.equal(unlocked);
      // The frame closes (WIDGET_CLOSE): the element closes its overlay.
      await sdk(el, 'close');
      await until(() => !dialog().open, 'dialog closed');
      expect(root.getAttribute('style'), 'the root\'s inline style exactly as before').to.equal(styleBefore);
      expect(window.scrollY, 'scroll position restored').to.equal(600);
      expect(rect(), 'no layout shift after').to.deep.equal(unlocked);
    } finally {
      spacer.remove();
      window.scrollTo(0, 0);
    }
  });

  // A 390 px touch viewport on every engine: a same-origin iframe of that size running the element (the test
  // runner's setViewport has no WebDriver equivalent, so WebKit could not run it otherwise).
  describe('an error state at a 390 px viewport', () => {
    let iframe: HTMLIFrameElement;
    beforeEach(async () => {
      iframe = document.createElement('iframe');
      iframe.title = 'phone viewport';
      iframe.width = '390';
      iframe.height = '844';
      iframe.srcdoc = `<!doctype html><meta name="viewport" content="width=device-width"><body><button id="opener">Withdraw</button>
        <liqx-payout-widget display="overlay" locale="en"></liqx-payout-widget>
        <script type="module" src="${new URL('../../src/define.ts', import.meta.url).pathname}"></script></body>`;
      document.body.append(iframe);
      await waitUntil(() => !!iframe.contentWindow?.customElements?.get('liqx-payout-widget'), 'the element defined in the 390 px frame', { timeout: 15_000 });
    });
    afterEach(() => iframe.remove());

    async function expiredOverlay() {
      const win = iframe.contentWindow!;
      const doc = iframe.contentDocument!;
      expect(win.innerWidth).to.equal(390);
      const el = doc.querySelector('liqx-payout-widget') as LiqxPayoutWidget;
      const opener = doc.getElementById('opener') as HTMLButtonElement;
      win.focus();
      opener.focus();
      el.session = makeSession({}, { expires_at: new Date(Date.now() - 60_000).toISOString() });
      await el.updateComplete;
      const d = el.shadowRoot!.querySelector<HTMLDialogElement>('dialog[part~="overlay"]')!;
      await until(() => el.state === 'error' && d.open, 'the overlay shows SESSION_EXPIRED');
      expect(el.shadowRoot!.querySelector('[part~="error"] code')!.textContent).to.equal('SESSION_EXPIRED');
      expect(win.getComputedStyle(doc.documentElement).overflowY, 'the page behind is locked').to.equal('hidden');
      const unlocked = () => win.getComputedStyle(doc.documentElement).overflowY !== 'hidden';
      return { el, d, opener, doc, unlocked };
    }

    it('closes with its close button (a 44 px target); focus back on the opener, scroll unlocked', async () => {
      const { el, d, opener, doc, unlocked } = await expiredOverlay();
      const close = el.shadowRoot!.querySelector<HTMLButtonElement>('[part~="close"]')!;
      expect(close.getBoundingClientRect().height).to.be.at.least(44);
      expect(close.textContent).to.equal('Close');
      close.click();
      await until(() => !d.open, 'dialog closed by the close button');
      expect(doc.activeElement).to.equal(opener);
      expect(unlocked()).to.be.true;
    });

    it('closes with a tap on the backdrop (what is under a point outside the panel)', async () => {
      const { el, d, unlocked } = await expiredOverlay();
      const hit = el.shadowRoot!.elementFromPoint(4, 4);
      expect(hit, 'the point outside the panel is the overlay itself').to.equal(d);
      (hit as HTMLElement).click();
      await until(() => !d.open, 'dialog closed by the backdrop tap');
      expect(unlocked()).to.be.true;
    });

    it('closes with Escape', async () => {
      const { d, unlocked } = await expiredOverlay();
      await sendKeys({ press: 'Escape' });
      await until(() => !d.open, 'dialog closed by Escape');
      expect(unlocked()).to.be.true;
    });

    it('a tap inside the panel does not close it', async () => {
      const { el, d, unlocked } = await expiredOverlay();
      el.shadowRoot!.querySelector<HTMLElement>('[part~="error"] strong')!.click();
      await new Promise((r) => setTimeout(r, 50));
      expect(d.open).to.be.true;
      el.remove();
      expect(unlocked()).to.be.true;
    });
  });
});
