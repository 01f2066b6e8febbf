/**
 * The widget gallery (demo/gallery.html) through the running demo, on Chromium (playwright-core):
 * - every tile is a real <liqx-payout-widget> embedding the mock LIQX's own payout page (its gallery copy, on the
 *   LIQX origin) that reaches its state, in ko/en and light/dark/auto, and any tile opens as an overlay;
 * - no text in a system font, a screenshot of the whole gallery, the overlay's baseline (the tiles' baselines, on
 *   three engines, are test/e2e/gallery-engines.e2e.test.ts's); a probe proves a background change fails;
 * - axe-core: zero violations on the gallery, with and without an overlay open (axe runs in every frame);
 * - live theming: one edit restyles every tile, ::part() rules apply, the contrast check speaks up beside the
 *   property, the CSS block is copied, and the share link (the fragment, no server state) restores it;
 * - the filters, the theming panel and the overlay work with the keyboard alone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import {
  GALLERY_TILE_COUNT, ROOT, assertTilesInState, axeViolations, compareWithBaseline, formatViolations, framesSettled, openGallery as openGalleryIn, startHarness, textInSystemFonts, type Harness,
} from './quality-harness.js';
import { LOCALES, STATES, THEMES, tileId } from '../../demo/gallery/states.js';

/** Where the README's gallery screenshot goes; `E2E_SCREENSHOT_DIR=docs/screenshots` refreshes the checked-in one. */
const SHOT_DIR = resolve(ROOT, process.env.E2E_SCREENSHOT_DIR ?? 'scratch/e2e-screenshots');

let h: Harness;
before(async () => {
  h = await startHarness();
});
after(async () => {
  await h?.close();
});

const TILE_COUNT = GALLERY_TILE_COUNT;
const openGallery = (fragment = '', options: { clipboard?: boolean } = {}) => openGalleryIn(h.browser, h.demo.partnerUrl, fragment, options);

/** Computed style of a part inside each widget's shadow root, per tile id. */
async function partStyle(page: Page, part: string, property: string): Promise<Record<string, string>> {
  return page.evaluate(
    ([part, property]) =>
      Object.fromEntries(
        [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => {
          const node = t.querySelector('liqx-payout-widget')?.shadowRoot?.querySelector(`[part~="${part}"]`);
          return [t.dataset.tile!, node ? getComputedStyle(node).getPropertyValue(property) : ''];
        }),
      ),
    [part, property] as const,
  );
}

describe('widget gallery', { concurrency: false }, () => {
  test("every state x locale x theme is a live widget in its state, showing the mock LIQX's payout page", async () => {
    const { page, pageErrors } = await openGallery();
    const tiles = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.tile')].map((t) => {
        const el = t.querySelector('liqx-payout-widget') as (HTMLElement & { state: string; frame: HTMLIFrameElement | null }) | null;
        const error = el?.shadowRoot?.querySelector('[part~="error"] code')?.textContent ?? null;
        return {
          id: t.dataset.tile!, driven: t.dataset.driven, stateId: t.dataset.stateId, locale: el?.getAttribute('locale'), theme: el?.getAttribute('theme'),
          state: el?.state, frame: el?.frame ? new URL(el.frame.src).origin + new URL(el.frame.src).pathname : null, error, event: t.querySelector('.tile-event')?.textContent,
          frameSrc: el?.frame?.src ?? null,
        };
      }),
    );
    assert.equal(tiles.length, TILE_COUNT);
    const ids = new Set<string>();
    for (const state of STATES) {
      for (const locale of LOCALES) {
        for (const theme of THEMES) {
          const id = tileId(state.id, locale, theme);
          ids.add(id);
          const t = tiles.find((x) => x.id === id);
          assert.ok(t, `tile ${id}`);
          assert.equal(t.driven, 'done', `${id}: ${t.event}`);
          assert.equal(t.state, state.expect, id);
          assert.equal(t.locale, locale, id);
          assert.equal(t.theme, theme, id);
        }
      }
    }
    assert.equal(ids.size, TILE_COUNT);
    const of = (stateId: string) => tiles.filter((t) => t.stateId === stateId);
    // The mock LIQX's payout page, cross-origin, painted in the theme (auto: the user's, light here) and the
    // language the host sent over the channel.
    for (const t of [...of('ready'), ...of('completed'), ...of('expired')]) {
      assert.equal(t.frame, `${h.demo.liqxUrl}/gallery/frame`, t.id);
      const frame = page.frames().find((f) => f.url() === t.frameSrc);
      assert.ok(frame, t.id);
      const painted = await frame.evaluate(() => ({ theme: document.documentElement.dataset.theme, lang: document.documentElement.lang, confirm: document.getElementById('confirm-button')?.textContent }));
      assert.equal(painted.theme, t.theme === 'auto' ? 'light' : t.theme, t.id);
      assert.equal(painted.lang, t.locale, t.id);
      assert.equal(painted.confirm, t.locale === 'ko' ? '출금 확인' : 'Confirm payout', t.id);
    }
    for (const state of STATES.filter((s) => s.id.startsWith('rejected-'))) {
      for (const t of of(state.id)) assert.equal(t.event, `liqx-payout-rejected · ${state.label.split(' · ')[1]}`, t.id);
    }
    for (const t of of('completed')) assert.match(t.event!, /^liqx-payout-completed · txn_gallery_completed_(ko|en)_(light|dark|auto)$/);
    for (const state of STATES.filter((s) => s.errorCode)) {
      for (const t of of(state.id)) {
        assert.equal(t.error, state.errorCode, t.id);
        assert.match(t.event!, new RegExp(`liqx-error · ${state.errorCode} \\((${state.label.startsWith('Host error') ? 'host' : 'frame'})\\)`), t.id);
      }
    }
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('no system fonts, the overlay baseline, a probe that a change fails; axe finds nothing', async () => {
    const { page, pageErrors } = await openGallery();
    await assertTilesInState(page);
    await framesSettled(page);
    // Every text on the page (tiles, the element's shadow DOM, the fake frames, the panel) in a font the page serves:
    // the baselines then hold on any machine (test/e2e/fonts-independence.e2e.test.ts varies the machine's fonts).
    const systemFonts = await textInSystemFonts(page);
    assert.deepEqual(systemFonts, [], `text drawn with system fonts:\n${systemFonts.join('\n')}`);
    mkdirSync(SHOT_DIR, { recursive: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: resolve(SHOT_DIR, 'gallery.png'), animations: 'disabled', caret: 'hide' });

    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `axe violations on the gallery:\n${formatViolations(violations)}`);

    // Probe: the same tile with another box background must fail against its baseline.
    await page.locator('#prop--liqx-background').fill('#ffeeee');
    const probe = compareWithBaseline('gallery-error-session-expired-en-light', await page.locator('#tile-error-session-expired-en-light liqx-payout-widget').screenshot({ animations: 'disabled', caret: 'hide' }), { probe: true });
    assert.ok(!probe.passed, `a background change must fail the baseline: ${probe.message}`);
    await page.locator('#reset-theme').click();

    // Overlay, opened on demand from a tile: the page with the modal dialog.
    await page.locator('#open-rejected-account-incorrect-en-dark').click();
    const overlay = page.locator('#overlay-host liqx-payout-widget[display="overlay"][state="rejected"]');
    await overlay.waitFor({ state: 'attached', timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#overlay-host liqx-payout-widget')?.shadowRoot?.querySelector('dialog')?.open === true, null, { timeout: 30_000 });
    await framesSettled(page);
    // The dialog panel (its backdrop covers whatever part of the page the click scrolled to, so it is left out).
    const panel = page.locator('#overlay-host liqx-payout-widget [part~="dialog"]');
    const overlayShot = compareWithBaseline('gallery-overlay-rejected-account-incorrect-en-dark', await panel.screenshot({ animations: 'disabled', caret: 'hide' }));
    assert.ok(overlayShot.passed, overlayShot.message);
    const withOverlay = await axeViolations(page);
    assert.equal(withOverlay.length, 0, `axe violations with the overlay open:\n${formatViolations(withOverlay)}`);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test('live theming: every tile follows, ::part() rules apply, contrast is checked, the CSS is copied and shared', async () => {
    const { page, pageErrors } = await openGallery('', { clipboard: true });
    const input = page.locator('#prop--liqx-background');
    await input.fill('#fef3c7');
    const backgrounds = await partStyle(page, 'base', 'background-color');
    assert.equal(Object.keys(backgrounds).length, TILE_COUNT);
    for (const [id, bg] of Object.entries(backgrounds)) assert.equal(bg, 'rgb(254, 243, 199)', id);

    // Dark tiles only: an override under [theme='dark'], the light tiles keep the shared value.
    await page.locator('#scope-dark').check();
    await page.locator('#prop--liqx-background').fill('#111827');
    const split = await partStyle(page, 'base', 'background-color');
    for (const [id, bg] of Object.entries(split)) assert.equal(bg, id.endsWith('-dark') ? 'rgb(17, 24, 39)' : 'rgb(254, 243, 199)', id);

    // Contrast: the default text colour on a near-black box fails AA, and the note sits beside the property.
    const note = page.locator('[data-contrast-for="--liqx-text-color"]');
    await page.waitForFunction(() => /below WCAG AA 4\.5:1/.test(document.querySelector('[data-contrast-for="--liqx-text-color"]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.match((await note.textContent())!, /^Contrast 1\.\d\d:1 on --liqx-background \(text in the box\): below WCAG AA 4\.5:1\./);
    assert.equal(await page.locator('#prop--liqx-text-color').getAttribute('aria-invalid'), 'true');
    await page.locator('#prop--liqx-text-color').fill('#f8fafc');
    await page.waitForFunction(() => !/text in the box/.test(document.querySelector('[data-contrast-for="--liqx-text-color"]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.equal(await page.locator('#prop--liqx-text-color').getAttribute('aria-invalid'), 'false');

    // ::part() rules: applied to the tiles they select; a rule for anything else on the page is ignored.
    await page.locator('#parts-rules').fill("liqx-payout-widget[state='completed']::part(base) { border-color: rgb(22, 163, 74); }\nbody { display: none; }");
    await page.waitForFunction(() => /Ignored .*body/.test(document.getElementById('parts-note')?.textContent ?? ''), null, { timeout: 10_000 });
    const borders = await partStyle(page, 'base', 'border-top-color');
    for (const [id, color] of Object.entries(borders)) {
      if (id.startsWith('completed-')) assert.equal(color, 'rgb(22, 163, 74)', id);
      else assert.notEqual(color, 'rgb(22, 163, 74)', id);
    }
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).display), 'block');

    const css = (await page.locator('#css-output').textContent())!;
    assert.equal(
      css,
      "liqx-payout-widget {\n  --liqx-background: #fef3c7;\n}\n\nliqx-payout-widget[theme='dark'] {\n  --liqx-background: #111827;\n  --liqx-text-color: #f8fafc;\n}\n\n" +
        'liqx-payout-widget[state="completed"]::part(base) { border-color: rgb(22, 163, 74); }\n',
    );
    await page.locator('#copy-css').click();
    await page.getByRole('status').filter({ hasText: 'CSS copied.' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), css);

    await page.locator('#filter-locale').selectOption('en');
    await page.locator('#copy-link').click();
    await page.getByRole('status').filter({ hasText: 'Link copied' }).waitFor({ timeout: 10_000 });
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.ok(link.startsWith(`${h.demo.partnerUrl}/gallery.html#css=`), link);
    assert.equal(link, page.url(), 'the address bar holds the same link');
    assert.deepEqual(pageErrors, []);
    await page.close();

    // The link alone restores the theme and the filters in a fresh page: no server state.
    const shared = await openGallery(new URL(link).hash);
    assert.equal(await shared.page.locator('#css-output').textContent(), css);
    assert.equal(await shared.page.locator('#filter-locale').inputValue(), 'en');
    assert.equal(await shared.page.locator('#tile-ready-ko-light').isHidden(), true);
    const restored = await partStyle(shared.page, 'base', 'background-color');
    for (const [id, bg] of Object.entries(restored)) assert.equal(bg, id.endsWith('-dark') ? 'rgb(17, 24, 39)' : 'rgb(254, 243, 199)', id);
    const restoredBorder = await partStyle(shared.page, 'base', 'border-top-color');
    assert.equal(restoredBorder['completed-en-light'], 'rgb(22, 163, 74)');
    assert.deepEqual(shared.pageErrors, []);
    await shared.page.close();
  });

  test('keyboard only: filters, a theming field and an overlay (Enter opens, Esc closes, focus returns)', async () => {
    const { page, pageErrors } = await openGallery();
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? '');
    /** Presses Tab until the element with `id` has focus (bounded). */
    async function tabTo(id: string, limit = 400): Promise<void> {
      for (let i = 0; i < limit; i++) {
        if ((await focusedId()) === id) return;
        await page.keyboard.press('Tab');
      }
      assert.fail(`Tab never reached #${id}`);
    }

    await tabTo('filter-theme');
    await page.keyboard.press('ArrowDown'); // light and dark -> light
    await page.keyboard.press('ArrowDown'); // -> dark
    assert.equal(await page.locator('#filter-theme').inputValue(), 'dark');
    assert.equal(await page.locator('#tile-ready-ko-light').isHidden(), true);
    assert.equal(await page.locator('#tile-ready-ko-dark').isVisible(), true);

    await tabTo('prop--liqx-accent-color');
    await page.keyboard.type('#0f766e');
    const accents = await page.evaluate(() => getComputedStyle(document.querySelector('liqx-payout-widget')!).getPropertyValue('--liqx-accent-color').trim());
    assert.equal(accents, '#0f766e');
    assert.match((await page.locator('#css-output').textContent())!, /--liqx-accent-color: #0f766e;/);

    await tabTo('open-expired-en-dark');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => {
        const el = document.querySelector('#overlay-host liqx-payout-widget');
        return el?.getAttribute('state') === 'expired' && el.shadowRoot?.querySelector('dialog')?.open === true;
      },
      null,
      { timeout: 30_000 },
    );
    await page.keyboard.press('Escape');
    // The fake frame answers the close request (WIDGET_CLOSE): the dialog closes, the overlay widget goes, focus returns.
    await page.waitForFunction(() => !document.querySelector('#overlay-host liqx-payout-widget'), null, { timeout: 30_000 });
    assert.equal(await focusedId(), 'open-expired-en-dark');

    // A host error has no frame to ask: Esc closes the dialog directly.
    await tabTo('open-error-handshake-timeout-en-dark');
    await page.keyboard.press('Enter');
    await page.waitForFunction(
      () => {
        const el = document.querySelector('#overlay-host liqx-payout-widget');
        return el?.getAttribute('state') === 'error' && el.shadowRoot?.querySelector('dialog')?.open === true;
      },
      null,
      { timeout: 30_000 },
    );
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => !document.querySelector('#overlay-host liqx-payout-widget'), null, { timeout: 30_000 });
    assert.equal(await focusedId(), 'open-error-handshake-timeout-en-dark');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });
});
