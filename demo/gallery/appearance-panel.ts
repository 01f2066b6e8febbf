/**
 * The gallery's `appearance` editor: the element's typed `appearance` property (colours, radius, font), which the
 * element checks and forwards over the channel to the payout page inside the frame. Every edit is set on every
 * live widget at once, so a connected frame redraws in place: no reconnect, the payout stays where it is.
 *
 * The element is the judge of a value: an invalid one (a colour that is not #rgb/#rrggbb, body text under 4.5:1)
 * makes it throw a LiqxAppearanceError, whose message is shown beside the fields, and the widgets keep the last
 * appearance they accepted.
 */
import { FONT_FAMILIES, type Appearance, type FontFamily } from '../../src/frame/index.js';
import { h } from './dom.js';

type ColorKey = keyof NonNullable<Appearance['colors']>;
const COLORS: ReadonlyArray<{ key: ColorKey; description: string }> = [
  { key: 'background', description: 'The payout card.' },
  { key: 'text', description: 'Body text (checked for 4.5:1 on the background).' },
  { key: 'muted', description: 'Secondary text.' },
  { key: 'accent', description: 'The confirm button and the brand mark.' },
  { key: 'danger', description: 'The decline button and the urgent countdown.' },
];

export class AppearancePanel {
  /** Called with each appearance the element accepted (null: none). */
  onChange: ((appearance: Appearance | null) => void) | null = null;
  #colors = new Map<ColorKey, HTMLInputElement>();
  #radius: HTMLInputElement;
  #font: HTMLSelectElement;
  #note: HTMLElement;
  #output: HTMLElement;
  /** Sets the value on every widget; throws the element's LiqxAppearanceError when it refuses it. */
  #apply: (appearance: Appearance | null) => void;
  #current: Appearance | null = null;

  constructor(root: HTMLElement, apply: (appearance: Appearance | null) => void) {
    this.#apply = apply;
    const fields = h('div', { class: 'props' });
    for (const { key, description } of COLORS) {
      const id = `appearance-${key}`;
      const input = h('input', { type: 'text', id, spellcheck: 'false', autocomplete: 'off', placeholder: '#rrggbb', 'aria-describedby': `${id}-desc appearance-note` });
      input.addEventListener('input', () => this.#edit());
      this.#colors.set(key, input);
      fields.append(h('div', { class: 'prop' }, h('label', { for: id }, h('code', {}, `colors.${key}`)), input, h('p', { class: 'prop-desc', id: `${id}-desc` }, description)));
    }
    this.#radius = h('input', { type: 'number', id: 'appearance-radius', min: '0', max: '32', step: '1', placeholder: 'default', 'aria-describedby': 'appearance-note' });
    this.#radius.addEventListener('input', () => this.#edit());
    this.#font = h('select', { id: 'appearance-font' }, h('option', { value: '' }, 'default'), ...FONT_FAMILIES.map((f) => h('option', { value: f }, f)));
    this.#font.addEventListener('change', () => this.#edit());
    fields.append(
      h('div', { class: 'prop' }, h('label', { for: 'appearance-radius' }, h('code', {}, 'radius'), ' (px, 0 to 32)'), this.#radius),
      h('div', { class: 'prop' }, h('label', { for: 'appearance-font' }, h('code', {}, 'fontFamily')), this.#font),
    );
    this.#note = h('p', { class: 'contrast-note', id: 'appearance-note', 'aria-live': 'polite' });
    this.#output = h('code', { id: 'appearance-output' }, 'null');
    const reset = h('button', { type: 'button', class: 'button button-ghost', id: 'reset-appearance' }, 'Reset appearance');
    reset.addEventListener('click', () => this.load(null));
    root.append(fields, this.#note, h('pre', { class: 'css-output', tabindex: '0', 'aria-label': 'The appearance value' }, this.#output), h('div', { class: 'panel-actions' }, reset));
  }

  get appearance(): Appearance | null {
    return this.#current;
  }

  /** Fills the fields with `appearance` and applies it. */
  load(appearance: Appearance | null): void {
    for (const [key, input] of this.#colors) input.value = appearance?.colors?.[key] ?? '';
    this.#radius.value = appearance?.radius !== undefined ? String(appearance.radius) : '';
    this.#font.value = appearance?.fontFamily ?? '';
    this.#edit();
  }

  /** The value the fields describe; empty fields are left out. */
  #value(): Appearance | null {
    const colors: NonNullable<Appearance['colors']> = {};
    for (const [key, input] of this.#colors) if (input.value.trim()) colors[key] = input.value.trim();
    const value: Appearance = {};
    if (Object.keys(colors).length) value.colors = colors;
    if (this.#radius.value !== '') value.radius = Number(this.#radius.value);
    if (this.#font.value) value.fontFamily = this.#font.value as FontFamily;
    return Object.keys(value).length ? value : null;
  }

  #edit(): void {
    const value = this.#value();
    try {
      this.#apply(value);
    } catch (error) {
      const e = error as Error & { code?: string };
      this.#note.textContent = `Refused by the element (${e.code ?? e.name}): ${e.message} The widgets keep the last accepted appearance.`;
      this.#note.dataset.refused = 'true';
      return;
    }
    this.#current = value;
    this.#note.textContent = '';
    delete this.#note.dataset.refused;
    this.#output.textContent = `el.appearance = ${JSON.stringify(value, null, 2)};`;
    this.onChange?.(value);
  }
}
