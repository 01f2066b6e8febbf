import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import type { ApiIssue, Scenario } from '../api.js';
import { BLANK_MEANING, type RequestForm } from '../request-contract.js';
import { badgeText } from '../format.js';

export interface FormChange {
  field: keyof RequestForm | 'locale';
  value: string;
}

type TextField = Exclude<keyof RequestForm, 'scenario'>;

interface FieldSpec {
  name: TextField;
  label: string;
  type: 'text' | 'email' | 'url';
  inputmode?: 'numeric' | 'decimal' | 'email' | 'url';
  autocomplete?: string;
  hint: string;
  lang?: string;
  wide?: boolean;
}

const FIELDS: FieldSpec[] = [
  { name: 'external_ref', label: 'external_ref', type: 'text', autocomplete: 'off', hint: 'Optional: the proxy generates one when blank.' },
  { name: 'external_user_id', label: 'external_user_id', type: 'text', autocomplete: 'off', hint: 'Optional: falls back to the seeded mapped user.' },
  { name: 'legal_name', label: 'legal_name', type: 'text', autocomplete: 'name', hint: 'Name on the bank account, as KYC verified it.', lang: 'ko' },
  { name: 'user_email', label: 'user_email', type: 'email', inputmode: 'email', autocomplete: 'email', hint: 'Where LIQX sends the payout notice.' },
  { name: 'return_url', label: 'return_url', type: 'url', inputmode: 'url', autocomplete: 'url', hint: 'Where the user lands after the widget.', wide: true },
  { name: 'amount_krw', label: 'amount_krw', type: 'text', inputmode: 'numeric', autocomplete: 'off', hint: 'Whole won, digits only.' },
  { name: 'amount_usdt', label: 'amount_usdt', type: 'text', inputmode: 'decimal', autocomplete: 'off', hint: 'Up to 6 decimals.' },
];

/** The "Request contract" form. Emits `form-change` per edit and `form-submit`; holds no state of its own. */
export class CrmRequestForm extends LightElement {
  @property({ attribute: false }) form!: RequestForm;
  @property({ attribute: false }) scenarios: Scenario[] = [];
  @property({ attribute: false }) problems: Partial<Record<keyof RequestForm, string>> = {};
  @property({ attribute: false }) serverIssues: ApiIssue[] = [];
  @property() locale: 'ko' | 'en' = 'en';
  @property({ type: Boolean }) busy = false;

  #onInput = (e: Event) => {
    const target = e.target as HTMLInputElement | HTMLSelectElement;
    if (!target.name) return;
    this.emit<FormChange>('form-change', { field: target.name as FormChange['field'], value: target.value });
  };

  #onSubmit = (e: SubmitEvent) => {
    e.preventDefault();
    if (!this.busy) this.emit('form-submit', null);
  };

  #onReset = () => this.emit('form-reset', null);

  #problemFor(name: keyof RequestForm): string | undefined {
    const server = this.serverIssues.find((i) => i.path === name || i.path.split('.')[0] === name);
    return server ? `The proxy refused it: ${server.message}` : this.problems[name];
  }

  protected override render() {
    const scenario = this.scenarios.find((s) => s.id === this.form.scenario);
    return html`<section class="panel" aria-labelledby="request-contract-title">
      <header class="panel-head">
        <div>
          <h2 id="request-contract-title">Request contract</h2>
          <p class="panel-sub">Values below are sent to the local demo proxy, not directly to LIQX.</p>
        </div>
        <span class="badge badge-accent" data-testid="scenario-badge">${badgeText(scenario ? scenarioBadge(scenario) : this.form.scenario)}</span>
      </header>
      <form class="request-form" novalidate @input=${this.#onInput} @change=${this.#onInput} @submit=${this.#onSubmit}>
        <div class="field field-wide">
          <label for="f-scenario">scenario</label>
          <select id="f-scenario" name="scenario" aria-describedby="f-scenario-hint" ?disabled=${!this.scenarios.length}>
            ${this.scenarios.length
              ? this.scenarios.map((s) => html`<option value=${s.id} ?selected=${s.id === this.form.scenario}>${s.label}</option>`)
              : html`<option value="">Loading scenarios…</option>`}
          </select>
          <p class="hint" id="f-scenario-hint">${scenario ? html`Expected webhook <code>${scenario.expected_webhook}</code>.` : 'Scenarios come from GET /api/config.'}</p>
        </div>
        ${FIELDS.map((f) => this.#field(f))}
        <div class="field">
          <label for="f-locale">Widget language</label>
          <select id="f-locale" name="locale" aria-describedby="f-locale-hint">
            <option value="en" ?selected=${this.locale === 'en'}>English</option>
            <option value="ko" ?selected=${this.locale === 'ko'} lang="ko">한국어</option>
          </select>
          <p class="hint" id="f-locale-hint">Passed to the widget as <code>locale</code>.</p>
        </div>
        <div class="form-actions">
          <button type="submit" class="button button-primary" ?disabled=${this.busy} aria-describedby="f-submit-hint">
            ${this.busy ? html`<span class="button-spinner" aria-hidden="true"></span>Creating reservation…` : 'Create PAYOUT reservation'}
          </button>
          <button type="button" class="button button-ghost" @click=${this.#onReset} ?disabled=${this.busy}>Reset draft</button>
          <p class="hint" id="f-submit-hint">POST /api/payouts, then the widget opens below.</p>
        </div>
      </form>
    </section>`;
  }

  #field(f: FieldSpec) {
    const id = `f-${f.name}`;
    const problem = this.#problemFor(f.name);
    const describedBy = problem ? `${id}-hint ${id}-problem` : `${id}-hint`;
    const placeholder = f.name === 'external_ref' || f.name === 'external_user_id' ? BLANK_MEANING[f.name] : '';
    return html`<div class="field ${f.wide ? 'field-wide' : ''}">
      <label for=${id}>${f.label}</label>
      <input
        id=${id}
        name=${f.name}
        type=${f.type}
        .value=${this.form[f.name]}
        placeholder=${placeholder}
        inputmode=${f.inputmode ?? nothing}
        autocomplete=${f.autocomplete ?? nothing}
        lang=${f.lang ?? nothing}
        spellcheck="false"
        aria-invalid=${problem ? 'true' : 'false'}
        aria-describedby=${describedBy}
      />
      <p class="hint" id="${id}-hint">${f.hint}</p>
      ${problem ? html`<p class="field-problem" id="${id}-problem">${problem}</p>` : nothing}
    </div>`;
  }
}

/** The badge the seed shows next to the form ("CLAIM READY" for VERIFIED). */
export function scenarioBadge(s: Scenario): string {
  return s.id === 'VERIFIED' ? 'CLAIM READY' : s.id;
}

