/**
 * Every error code the element reports has a message: the text the element shows in each locale for a host error
 * (UNSUPPORTED_BROWSER was once shown with an empty one), and a non-empty `detail.message` on `liqx-error` for every
 * host code this suite can raise in a browser.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import { HostErrorCode, ProtocolErrorCode } from '../../src/index.js';
import { LOCALES } from '../../src/protocol/wire.js';
import { hasMessage, t } from '../../src/element/messages.js';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { makeSession } from './helpers.js';

describe('error codes and their messages', () => {
  it('lists each code once, under its own name', () => {
    for (const codes of [HostErrorCode, ProtocolErrorCode]) {
      expect(Object.entries(codes).every(([key, value]) => key === value)).to.equal(true);
    }
    expect(Object.keys(HostErrorCode)).to.include('UNSUPPORTED_BROWSER');
  });

  for (const code of Object.values(HostErrorCode)) {
    it(`${code}: a text in every locale`, () => {
      expect(hasMessage(code), `${code} has a text`).to.equal(true);
      for (const locale of LOCALES) {
        const text = t(locale, code);
        expect(text.trim(), `${code} in ${locale}`).to.not.equal('');
        expect(text, `${code} in ${locale} is a sentence, not the code`).to.not.equal(code);
      }
    });
  }

  // The host codes a browser test can cause directly; HANDSHAKE_TIMEOUT, PROTOCOL_MISMATCH and UNSUPPORTED_BROWSER have
  // their own tests (handshake-timeout, protocol-errors, script-tag), which check the same.
  const CAUSES: Array<[HostErrorCode, (el: LiqxPayoutWidget) => void]> = [
    [HostErrorCode.INVALID_SESSION, (el) => (el.session = { ...makeSession(), session_token: '' })],
    [HostErrorCode.SESSION_EXPIRED, (el) => (el.session = makeSession({}, { expires_at: new Date(Date.now() - 60_000).toISOString() }))],
    [
      HostErrorCode.SESSION_REFRESH_FAILED,
      (el) => {
        el.fetchSession = () => Promise.reject(new Error('backend down'));
        el.session = makeSession({}, { expires_at: new Date(Date.now() - 60_000).toISOString() });
      },
    ],
  ];
  for (const [code, cause] of CAUSES) {
    it(`${code}: liqx-error carries a message and the element shows the locale's text`, async () => {
      const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget locale="en"></liqx-payout-widget>`);
      const failed = oneEvent(el, 'liqx-error');
      cause(el);
      const { detail } = await failed;
      expect(detail.code).to.equal(code);
      expect(detail.message.trim()).to.not.equal('');
      await el.updateComplete;
      expect(el.shadowRoot!.querySelector('[part~="error"]')?.textContent).to.include(t('en', code));
    });
  }
});
