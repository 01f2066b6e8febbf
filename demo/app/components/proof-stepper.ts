import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { LightElement } from './light-element.js';
import { statusWord, type ProofStep } from '../proof-steps.js';

/** The four-step proof stepper: Request sent, API accepted, Widget session, Webhook delivered. */
export class CrmProofStepper extends LightElement {
  @property({ attribute: false }) steps: ProofStep[] = [];

  protected override render() {
    return html`<ol class="stepper" aria-label="Proof steps">
      ${this.steps.map(
        (step, i) => html`<li class="step" data-status=${step.status} aria-current=${step.status === 'current' ? 'step' : 'false'}>
          <span class="step-marker" aria-hidden="true">${step.status === 'done' ? '✓' : step.status === 'failed' ? '×' : step.status === 'warning' ? '!' : i + 1}</span>
          <div class="step-body">
            <p class="step-title">${step.title} <span class="visually-hidden">(${statusWord(step.status)})</span></p>
            <p class="step-line" data-step=${i + 1}>${step.line}</p>
          </div>
        </li>`,
      )}
    </ol>`;
  }
}
