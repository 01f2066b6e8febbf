/** axe-core (via chai-a11y-axe) on the element in each of its visible states: zero violations. */
import { expect, fixture, html } from '@open-wc/testing';
import type { LiqxPayoutWidget } from '../../src/index.js';
import { freezeMotion, mountError, mountLoading, mountOverlay, mountReady } from './element-states.js';
import './helpers.js';

before(() => freezeMotion());

describe('accessibility: <liqx-payout-widget> in each state', () => {
  it('idle (no session)', async () => {
    const el = await fixture<LiqxPayoutWidget>(html`<liqx-payout-widget></liqx-payout-widget>`);
    expect(el.state).to.equal('idle');
    await expect(el).to.be.accessible();
  });

  it('loading', async () => {
    const el = await mountLoading();
    await expect(el).to.be.accessible();
  });

  it('ready', async () => {
    const el = await mountReady();
    expect(el.state).to.equal('ready');
    await expect(el).to.be.accessible();
  });

  it('error', async () => {
    const el = await mountError();
    expect(el.state).to.equal('error');
    await expect(el).to.be.accessible();
  });

  it('overlay (the open modal dialog, and the page around it)', async () => {
    const { el, stage } = await mountOverlay();
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await expect(el).to.be.accessible();
    await expect(stage).to.be.accessible();
  });

  it('ready, Korean locale', async () => {
    const el = await mountReady();
    el.locale = 'ko';
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });

  it('the check is live: axe reports the frame inside the shadow root once its title is removed', async () => {
    const el = await mountReady();
    el.frame!.removeAttribute('title');
    await expect(el).not.to.be.accessible();
  });
});
