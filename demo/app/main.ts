/**
 * Entry of the Partner CRM simulator page. Registers the payout widget from the package source (what a
 * partner gets from `import 'liqx-payout-widget/define'`) and the page's own components.
 */
import '../../src/define.js';
import './components/proof-stepper.js';
import './components/request-form.js';
import './components/request-summary.js';
import './components/response-proof.js';
import './components/webhook-proof.js';
import './components/widget-panel.js';
import './components/diagnostics-panel.js';
import './components/crm-app.js';
