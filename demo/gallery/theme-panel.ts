/**
 * The live theming panel: one text field per documented custom property (read from the element's JSDoc, with the
 * stylesheet's default as placeholder), values for every tile or for dark tiles only, a `::part()` rules editor,
 * the resulting CSS block (applied to the page as one constructed stylesheet, so every tile updates at once), copy
 * buttons, and a WCAG AA contrast check beside each colour property.
 */
import widgetSource from '../../src/element/payout-widget.ts?raw';
import chromeStyles from '../../src/element/payout-widget.styles.ts?raw';
import overlayStyles from '../../src/element/overlay-controller.styles.ts?raw';
import { AA_TEXT_RATIO, formatRatio, parseColor, textContrast, type Rgba } from './contrast.js';
import { h } from './dom.js';
import {
  CONTRAST_PAIRS,
  DARK_SELECTOR,
  EMPTY_THEME,
  HOST_SELECTOR,
  cssVarDefaults,
  documentedCssProps,
  documentedParts,
  isPartSelectorList,
  isSafeValue,
  themeCss,
  type Scope,
  type ThemeState,
} from './theming.js';

export const CSS_PROPS = documentedCssProps(widgetSource);
export const PARTS = documentedParts(widgetSource);
export const DEFAULTS = cssVarDefaults(chromeStyles, overlayStyles);

/** What is behind a tile's widget (the tile's own background), for translucent backgrounds. */
const TILE_CANVAS: Record<Scope, Rgba> = { all: { r: 255, g: 255, b: 255, a: 1 }, dark: { r: 11, g: 18, b: 32, a: 1 } };

/** A starting point for dark tiles: the element's chrome has no dark mode of its own; a partner sets these. */
export const EXAMPLE_DARK: Record<string, string> = {
  '--liqx-text-color': '#e2e8f0',
  '--liqx-muted-color': '#94a3b8',
  '--liqx-accent-color': '#60a5fa',
  '--liqx-background': '#0f172a',
  '--liqx-border': '1px solid #334155',
  '--liqx-error-color': '#fecaca',
  '--liqx-error-background': '#450a0a',
  '--liqx-spinner-track': '#334155',
};

const COLOR_PROPS = new Set<string>(CONTRAST_PAIRS.flatMap((p) => [p.text, p.background]));

export class ThemePanel {
  onChange: (() => void) | null = null;
  #state: ThemeState = structuredClone(EMPTY_THEME);
  #scope: Scope = 'all';
  #sheet = new CSSStyleSheet();
  #inputs = new Map<string, HTMLInputElement>();
  #notes = new Map<string, HTMLElement>();
  #parts: HTMLTextAreaElement;
  #partsNote: HTMLElement;
  #output: HTMLElement;
  #status: HTMLElement;
  #probe: HTMLElement;
  #shareUrl: () => string;
  #css = '';

  constructor(root: HTMLElement, { shareUrl }: { shareUrl: () => string }) {
    this.#shareUrl = shareUrl;
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, this.#sheet];
    this.#probe = h('span', { hidden: '', 'aria-hidden': 'true' });

    const scope = h(
      'fieldset',
      { class: 'scope' },
      h('legend', {}, 'Values for'),
      ...(['all', 'dark'] as const).map((value) => {
        const radio = h('input', { type: 'radio', name: 'theme-scope', value, id: `scope-${value}` });
        radio.checked = value === this.#scope;
        radio.addEventListener('change', () => {
          if (radio.checked) this.#setScope(value);
        });
        return h('label', { for: `scope-${value}`, class: 'scope-option' }, radio, value === 'all' ? ' every tile' : " dark tiles ([theme='dark'])");
      }),
    );

    const props = h('div', { class: 'props' });
    for (const { name, description } of CSS_PROPS) {
      const id = `prop${name}`;
      const input = h('input', {
        type: 'text', id, name, spellcheck: 'false', autocomplete: 'off',
        placeholder: DEFAULTS[name] ?? '', 'aria-describedby': `${id}-desc ${id}-contrast`,
      });
      input.addEventListener('input', () => this.#edit(name, input.value));
      const note = h('p', { class: 'contrast-note', id: `${id}-contrast`, 'data-contrast-for': name });
      this.#inputs.set(name, input);
      this.#notes.set(name, note);
      props.append(
        h('div', { class: 'prop', 'data-prop': name },
          h('label', { for: id }, h('code', {}, name)),
          input,
          h('p', { class: 'prop-desc', id: `${id}-desc` }, description),
          note),
      );
    }

    this.#parts = h('textarea', { id: 'parts-rules', rows: '6', spellcheck: 'false', 'aria-describedby': 'parts-help parts-note' });
    this.#parts.placeholder = "liqx-payout-widget::part(error) {\n  border-left: 4px solid currentColor;\n}";
    this.#parts.addEventListener('input', () => {
      this.#state.parts = this.#parts.value;
      this.#apply();
    });
    this.#partsNote = h('p', { class: 'parts-note', id: 'parts-note', 'aria-live': 'polite' });

    this.#output = h('code', { id: 'css-output' });
    this.#status = h('p', { class: 'copy-status', role: 'status' });
    const copyCss = h('button', { type: 'button', class: 'button button-primary', id: 'copy-css' }, 'Copy CSS');
    copyCss.addEventListener('click', () => void this.#copy(this.css, 'CSS copied.'));
    const copyLink = h('button', { type: 'button', class: 'button button-ghost', id: 'copy-link' }, 'Copy share link');
    copyLink.addEventListener('click', () => void this.#copy(this.#shareUrl(), 'Link copied: it holds this theme and the filters.'));
    const darkExample = h('button', { type: 'button', class: 'button button-ghost', id: 'example-dark' }, 'Example dark palette');
    darkExample.addEventListener('click', () => {
      this.#state.dark = { ...EXAMPLE_DARK };
      this.#setScope('dark');
      this.#apply();
    });
    const reset = h('button', { type: 'button', class: 'button button-ghost', id: 'reset-theme' }, 'Reset');
    reset.addEventListener('click', () => this.load(''));

    root.append(
      scope,
      h('div', { class: 'panel-actions' }, darkExample, reset),
      props,
      h('div', { class: 'prop' },
        h('label', { for: 'parts-rules' }, h('code', {}, '::part()'), ' rules'),
        this.#parts,
        h('p', { class: 'prop-desc', id: 'parts-help' }, `Parts: ${PARTS.map((p) => p.name).join(', ')}. Selectors start with liqx-payout-widget, e.g. liqx-payout-widget[state='completed']::part(base).`),
        this.#partsNote),
      h('h3', {}, 'CSS'),
      h('pre', { class: 'css-output', tabindex: '0', 'aria-label': 'The resulting CSS' }, this.#output),
      h('div', { class: 'panel-actions' }, copyCss, copyLink),
      this.#status,
      this.#probe,
    );
    this.#setScope('all');
    this.#apply();
  }

  /** The CSS block: what is applied, copied and shared. */
  get css(): string {
    return this.#css;
  }

  /** Loads a CSS block (from a share link): custom properties of the two known selectors, and ::part() rules. */
  load(css: string): void {
    const state: ThemeState = { all: {}, dark: {}, parts: '' };
    const dropped: string[] = [];
    const sheet = new CSSStyleSheet();
    try {
      sheet.replaceSync(css);
    } catch {
      /* replaceSync only throws on @import: nothing loaded */
    }
    const parts: string[] = [];
    const known = new Set(CSS_PROPS.map((p) => p.name));
    for (const rule of sheet.cssRules) {
      if (!(rule instanceof CSSStyleRule)) {
        dropped.push(rule.cssText.slice(0, 40));
        continue;
      }
      const selector = rule.selectorText.replace(/"/g, "'");
      const target = selector === HOST_SELECTOR ? state.all : selector === DARK_SELECTOR ? state.dark : null;
      if (target) {
        for (let i = 0; i < rule.style.length; i++) {
          const name = rule.style.item(i);
          const value = rule.style.getPropertyValue(name).trim();
          if (known.has(name) && isSafeValue(value)) target[name] = value;
        }
      } else if (isPartSelectorList(selector)) {
        parts.push(rule.cssText);
      } else {
        dropped.push(selector);
      }
    }
    state.parts = parts.join('\n');
    this.#state = state;
    this.#parts.value = state.parts;
    this.#setScope(Object.keys(state.all).length || !Object.keys(state.dark).length ? 'all' : 'dark');
    this.#apply(dropped);
  }

  #setScope(scope: Scope): void {
    this.#scope = scope;
    const radio = document.getElementById(`scope-${scope}`) as HTMLInputElement | null;
    if (radio) radio.checked = true;
    const values = this.#state[scope];
    for (const [name, input] of this.#inputs) {
      input.value = values[name] ?? '';
      // Dark tiles inherit what "every tile" sets: show that as the placeholder.
      input.placeholder = (scope === 'dark' ? this.#state.all[name] : undefined) ?? DEFAULTS[name] ?? '';
    }
    this.#checkContrast();
  }

  #edit(name: string, value: string): void {
    const values = this.#state[this.#scope];
    if (value.trim()) values[name] = value.trim();
    else delete values[name];
    this.#apply();
  }

  #apply(dropped: string[] = []): void {
    // Only liqx-payout-widget ...::part(...) rules are accepted from the parts editor (and from a shared link).
    const check = new CSSStyleSheet();
    check.replaceSync(this.#state.parts);
    const accepted: string[] = [];
    const ignored: string[] = [...dropped];
    for (const rule of check.cssRules) {
      if (rule instanceof CSSStyleRule && isPartSelectorList(rule.selectorText.replace(/"/g, "'"))) accepted.push(rule.cssText);
      else ignored.push(rule instanceof CSSStyleRule ? rule.selectorText : rule.cssText.slice(0, 40));
    }
    this.#css = themeCss({ ...this.#state, parts: accepted.join('\n') });
    this.#sheet.replaceSync(this.#css);
    this.#partsNote.textContent = ignored.length ? `Ignored (not a liqx-payout-widget ::part() rule): ${ignored.join('; ')}` : '';
    this.#output.textContent = this.#css || '/* Nothing set: every tile shows the defaults. */';
    this.#checkContrast();
    this.onChange?.();
  }

  /** The colour a property resolves to in the current scope (edited value, else inherited, else the default). */
  #resolve(name: string): { value: string; rgba: Rgba | null } {
    const value = (this.#scope === 'dark' ? this.#state.dark[name] : undefined) ?? this.#state.all[name] ?? DEFAULTS[name] ?? '';
    const probe = this.#probe;
    probe.style.removeProperty('color');
    probe.style.setProperty('color', value);
    if (!probe.style.getPropertyValue('color')) return { value, rgba: null };
    // The computed colour resolves var(), names and modern syntaxes; parse what comes back, else ask a canvas.
    const computed = getComputedStyle(probe).color;
    return { value, rgba: parseColor(computed) ?? canvasColor(computed) };
  }

  #checkContrast(): void {
    const canvas = TILE_CANVAS[this.#scope];
    const messages = new Map<string, string[]>();
    const add = (name: string, text: string) => messages.set(name, [...(messages.get(name) ?? []), text]);
    for (const pair of CONTRAST_PAIRS) {
      const fg = this.#resolve(pair.text);
      const bg = this.#resolve(pair.background);
      if (!fg.rgba || !bg.rgba) {
        const bad = !fg.rgba ? pair.text : pair.background;
        add(bad, `Not a single colour: contrast of ${pair.where} not checked.`);
        continue;
      }
      const ratio = textContrast(fg.rgba, bg.rgba, canvas);
      if (ratio < AA_TEXT_RATIO) {
        add(pair.text, `Contrast ${formatRatio(ratio)} on ${pair.background} (${pair.where}): below WCAG AA ${AA_TEXT_RATIO}:1.`);
        add(pair.background, `Contrast ${formatRatio(ratio)} with ${pair.text} (${pair.where}): below WCAG AA ${AA_TEXT_RATIO}:1.`);
      }
    }
    for (const [name, note] of this.#notes) {
      const list = messages.get(name) ?? [];
      note.textContent = list.join(' ');
      note.dataset.failing = String(list.length > 0);
      this.#inputs.get(name)!.setAttribute('aria-invalid', String(list.length > 0));
      if (!COLOR_PROPS.has(name)) note.hidden = true;
    }
    this.#probe.dataset.scope = this.#scope;
  }

  async #copy(text: string, done: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
      this.#status.textContent = done;
    } catch {
      this.#status.textContent = 'Copying was refused by the browser: select the text and copy it.';
    }
  }
}

let ctx: CanvasRenderingContext2D | null = null;
/** A colour in a syntax parseColor does not read (oklch(), color()): painted on a 1×1 canvas and read back. */
function canvasColor(css: string): Rgba | null {
  ctx ??= document.createElement('canvas').getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.clearRect(0, 0, 1, 1);
  ctx.fillStyle = css;
  ctx.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = ctx.getImageData(0, 0, 1, 1).data;
  return { r: r!, g: g!, b: b!, a: a! / 255 };
}
