/**
 * Entry of the Partner CRM simulator page. Registers the payout widget from the package source (what a
 * partner gets from `import 'liqx-payout-widget/define'`) and the page's own components.
 *
 * The tags are defined here, in the entry, rather than in each component module: package.json lists only
 * the widget's define files as having side effects, so a bare side-effect `import` of a component would be tree-shaken away.
 */
import '../../src/define.js';
import { CrmProofStepper } from './components/proof-stepper.js';
import { CrmRequestForm } from './components/request-form.js';
import { CrmRequestSummary } from './components/request-summary.js';
import { CrmResponseProof } from './components/response-proof.js';
import { CrmWebhookProof } from './components/webhook-proof.js';
import { CrmWidgetPanel } from './components/widget-panel.js';
import { CrmDiagnosticsPanel } from './components/diagnostics-panel.js';
import { CrmApp } from './components/crm-app.js';
import { CrmSampleWebhooks } from './components/sample-webhook-buttons.js';
import { CrmRecoveryPanel } from './components/recovery-panel.js';

const TAGS: Array<[string, CustomElementConstructor]> = [
  ['crm-proof-stepper', CrmProofStepper],
  ['crm-request-form', CrmRequestForm],
  ['crm-request-summary', CrmRequestSummary],
  ['crm-response-proof', CrmResponseProof],
  ['crm-webhook-proof', CrmWebhookProof],
  ['crm-widget-panel', CrmWidgetPanel],
  ['crm-diagnostics-panel', CrmDiagnosticsPanel],
  ['crm-sample-webhooks', CrmSampleWebhooks],
  ['crm-recovery-panel', CrmRecoveryPanel],
  // Last: the app renders the others, which should upgrade as soon as they appear.
  ['crm-app', CrmApp],
];
for (const [tag, ctor] of TAGS) if (!customElements.get(tag)) customElements.define(tag, ctor);
