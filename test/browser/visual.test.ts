/**
 * Visual regression of the element's states against committed baselines (screenshots/Chromium/baseline/).
 * `npm run test:visual:update` rewrites them. Motion is frozen by a test-only stylesheet (element-states.ts).
 */
import { expect } from '@open-wc/testing';
import { executeServerCommand } from '@web/test-runner-commands';
import { visualDiff } from '@web/test-runner-visual-regression';
import { freezeMotion, mountError, mountLoading, mountOverlay, mountReady } from './element-states.js';

before(() => freezeMotion());

describe('visual regression: <liqx-payout-widget> states', () => {
  it('loading', async () => {
    const el = await mountLoading();
    await visualDiff(el, 'element-loading');
  });

  it('ready', async () => {
    const el = await mountReady();
    await visualDiff(el, 'element-ready');
  });

  it('error', async () => {
    const el = await mountError();
    await visualDiff(el, 'element-error');
  });

  it('overlay (display="overlay", ready, over a page)', async () => {
    const { el, stage } = await mountOverlay();
    expect(el.shadowRoot!.querySelector('dialog')!.open).to.equal(true);
    await visualDiff(stage, 'element-overlay');
  });
});

describe('visual regression: the threshold catches a background colour change', () => {
  it('a --liqx-background change from white to #f8fafc fails the diff against the ready baseline', async () => {
    const { update } = await executeServerCommand<{ update: boolean }, undefined>('quality:visual-mode');
    const el = await mountReady();
    el.style.setProperty('--liqx-background', '#f8fafc');
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    // While baselines are being rewritten nothing is compared; a `probe/` screenshot is never saved as a baseline.
    if (update) return;
    let error: unknown = null;
    try {
      await visualDiff(el, 'probe/element-ready');
    } catch (e) {
      error = e;
    }
    expect(error, 'the changed background must fail the visual diff').to.be.instanceOf(Error);
    expect((error as Error).message).to.match(/Visual diff failed/);
  });

  it('the unchanged element passes the same comparison (the probe itself is sound)', async () => {
    const { update } = await executeServerCommand<{ update: boolean }, undefined>('quality:visual-mode');
    const el = await mountReady();
    if (update) return;
    await visualDiff(el, 'probe/element-ready');
  });
});
