/** Session validation, expiry, refresh via fetchSession, the attribute form, and the handshake timeout. */
import { expect, fixture, html } from '@open-wc/testing';
import { FRAME_ORIGIN } from '/__fixtures/env.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { frameStatus, makeSession, mountConnected, oneEvent, record, ALL_EVENTS } from './helpers.js';

async function widget(template = html`<liqx-payout-widget handshake-timeout="20000"></liqx-payout-widget>`) {
  return fixture<LiqxPayoutWidget>(template);
}

describe('session validation', () => {
  const MALFORMED: Array<[string, unknown, string]> = [
    ['a string', 'ses_123', '(root)'],
    ['a missing token', { ...makeSession(), session_token: undefined }, 'session_token'],
    ['an empty token', { ...makeSession(), session_token: '' }, 'session_token'],
    ['a javascript: widget_url', { ...makeSession(), widget_url: 'javascript:alert(1)' }, 'widget_url'],
    ['a relative widget_url', { ...makeSession(), widget_url: '/widget/1' }, 'widget_url'],
    ['a bad expires_at', { ...makeSession(), expires_at: 'tomorrow' }, 'expires_at'],
    ['a numeric session_id', { ...makeSession(), session_id: 7 }, 'session_id'],
  ];
  for (const [name, session, path] of MALFORMED) {
    it(`refuses ${name} with INVALID_SESSION and the issue path ${path}`, async () => {
      const el = await widget();
      const error = oneEvent(el, 'liqx-error');
      el.session = session as never;
      const { detail } = await error;
      expect(detail.code).to.equal('INVALID_SESSION');
      expect(detail.source).to.equal('host');
      expect(detail.issues!.some((i: string) => i.startsWith(path)), detail.issues!.join('; ')).to.equal(true);
      expect(el.state).to.equal('error');
      expect(el.frame, 'no frame is loaded for a bad session').to.equal(null);
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="error"]')!.textContent).to.contain('INVALID_SESSION');
    });
  }

  it('refuses an expired session with SESSION_EXPIRED when no fetchSession is set', async () => {
    const el = await widget();
    const error = oneEvent(el, 'liqx-error');
    el.session = makeSession({}, { expires_at: new Date(Date.now() - 1000).toISOString() });
    expect((await error).detail.code).to.equal('SESSION_EXPIRED');
    expect(el.frame).to.equal(null);
  });

  it('gets a fresh session from fetchSession() when the session has expired', async () => {
    const el = await widget();
    const fresh = makeSession();
    let calls = 0;
    el.fetchSession = async () => {
      calls++;
      return fresh;
    };
    const connected = frameStatus(el);
    el.session = makeSession({}, { expires_at: new Date(Date.now() - 1000).toISOString() });
    await el.updateComplete;
    expect(el.state).to.equal('loading');
    const status = await connected;
    expect(calls).to.equal(1);
    expect(status.token, 'the frame got the fresh token').to.equal(fresh.session_token);
    expect(new URL(el.frame!.src).hash).to.contain(fresh.session_id);
  });

  it('ends with SESSION_REFRESH_FAILED when fetchSession() throws or returns a bad or expired session', async () => {
    const cases: Array<() => Promise<unknown>> = [
      async () => {
        throw new Error('backend down');
      },
      async () => ({ nope: true }),
      async () => makeSession({}, { expires_at: new Date(Date.now() - 5000).toISOString() }),
    ];
    for (const fetchSession of cases) {
      const el = await widget();
      el.fetchSession = fetchSession as never;
      const error = oneEvent(el, 'liqx-error');
      el.session = makeSession({}, { expires_at: new Date(Date.now() - 1000).toISOString() });
      expect((await error).detail.code).to.equal('SESSION_REFRESH_FAILED');
      expect(el.state).to.equal('error');
    }
  });

  it('ignores a late fetchSession() answer once the session was replaced', async () => {
    const el = await widget();
    let release!: (s: unknown) => void;
    el.fetchSession = () => new Promise((r) => (release = r)) as never;
    el.session = makeSession({}, { expires_at: new Date(Date.now() - 1000).toISOString() });
    await el.updateComplete;
    const current = makeSession();
    const connected = frameStatus(el);
    el.session = current;
    const status = await connected;
    release(makeSession());
    await new Promise((r) => setTimeout(r, 100));
    expect(status.token).to.equal(current.session_token);
    expect(new URL(el.frame!.src).hash).to.contain(current.session_id);
  });
});

describe('attribute form', () => {
  it('connects from widget-url + session-token and pins the session id from hello', async () => {
    const session = makeSession();
    const url = new URL(session.widget_url);
    // No session-id attribute: the frame supplies it (here via its query), the host pins it.
    url.searchParams.set('session', 'ses_from_frame');
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    const connected = frameStatus(el);
    el.setAttribute('session-token', session.session_token);
    el.setAttribute('widget-url', url.href);
    const status = await connected;
    expect(status.token).to.equal(session.session_token);
    const { sdk } = await import('./helpers.js');
    const ready = oneEvent(el, 'liqx-ready');
    await sdk(el, 'ready');
    expect((await ready).detail.sessionId).to.equal('ses_from_frame');
  });

  it('refuses a widget-url without a token', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget widget-url="${FRAME_ORIGIN}/frame.html"></liqx-payout-widget>`);
    await el.updateComplete;
    expect(el.state).to.equal('error');
  });

  it('stays idle with no session at all', async () => {
    const el = await widget();
    expect(el.state).to.equal('idle');
    expect(el.getAttribute('state')).to.equal('idle');
    expect(el.frame).to.equal(null);
  });
});

describe('handshake timeout', () => {
  it('ends in HANDSHAKE_TIMEOUT when the frame never says hello, and removes the frame', async () => {
    const el = await widget(html`<liqx-payout-widget handshake-timeout="400"></liqx-payout-widget>`);
    const seen = record(el, ALL_EVENTS);
    const started = performance.now();
    el.session = makeSession({ page: 'silent.html' });
    const error = await oneEvent(el, 'liqx-error');
    expect(error.detail.code).to.equal('HANDSHAKE_TIMEOUT');
    expect(performance.now() - started).to.be.at.least(350);
    expect(el.frame).to.equal(null);
    expect(seen.filter((e) => e.type === 'liqx-error')).to.have.length(1);
    expect(el.state).to.equal('error');
  });

  it('does not time out once hello has been answered', async () => {
    // Long enough for hello to arrive on a busy machine; then wait past the deadline the element armed.
    const timeout = 6000;
    const armed = performance.now();
    const { el } = await mountConnected(makeSession(), html`<liqx-payout-widget handshake-timeout=${timeout}></liqx-payout-widget>`);
    await new Promise((r) => setTimeout(r, Math.max(0, armed + timeout + 200 - performance.now())));
    expect(el.state).to.equal('loading');
    expect(el.frame).not.to.equal(null);
  });
});
