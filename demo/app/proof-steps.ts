/** The four-step proof stepper as data: each step's status and its one status line, derived from the run. */
import { formatClock } from './format.js';
import { expectsNoReceipt, runKey, type Run } from './run.js';

export type StepStatus = 'todo' | 'current' | 'done' | 'failed' | 'warning';

export interface ProofStep {
  title: string;
  status: StepStatus;
  line: string;
}

const STATUS_WORD: Record<StepStatus, string> = {
  todo: 'Not started', current: 'In progress', done: 'Done', failed: 'Failed', warning: 'Attention',
};
export function statusWord(status: StepStatus): string {
  return STATUS_WORD[status];
}

function requestStep(run: Run | null): ProofStep {
  const title = 'Request sent';
  if (!run) return { title, status: 'current', line: 'Draft is ready in the request form.' };
  if (run.result?.kind === 'network') return { title, status: 'failed', line: `The demo proxy could not be reached: ${run.result.message}` };
  return { title, status: 'done', line: `POST /api/payouts sent at ${formatClock(run.sentAt)} (${run.scenario?.label ?? run.request.scenario}).` };
}

function apiStep(run: Run | null): ProofStep {
  const title = 'API accepted';
  const result = run?.result;
  if (!run) return { title, status: 'todo', line: 'Create a PAYOUT reservation to collect API proof.' };
  if (!result) return { title, status: 'current', line: 'Waiting for the demo proxy and LIQX to answer…' };
  switch (result.kind) {
    case 'created':
      return { title, status: 'done', line: `HTTP ${result.httpStatus} · intent ${result.body.intent_id} · status ${result.body.status}.` };
    case 'invalid': {
      const n = result.body.error.issues?.length ?? 0;
      return { title, status: 'failed', line: `HTTP ${result.httpStatus} ${result.body.error.code}: ${n} field issue${n === 1 ? '' : 's'} to fix.` };
    }
    case 'upstream':
      return { title, status: 'failed', line: `HTTP ${result.httpStatus} ${result.body.error.code}: LIQX refused the reservation at preflight.` };
    case 'network':
      return { title, status: 'failed', line: 'No answer from the proxy.' };
  }
}

function widgetStep(run: Run | null): ProofStep {
  const title = 'Widget session';
  const result = run?.result;
  if (!run || !result) return { title, status: 'todo', line: 'Widget opens after LIQX accepts the reservation.' };
  if (result.kind !== 'created') return { title, status: 'failed', line: 'No widget session: the reservation was not accepted.' };
  const expires = formatClock(result.body.widget_session.expires_at);
  switch (run.widgetState) {
    case 'idle':
    case 'loading':
      return { title, status: 'current', line: `Session issued; connecting to the LIQX frame (expires ${expires}).` };
    case 'ready':
      return { title, status: 'current', line: `Widget ready; waiting for the user to confirm (expires ${expires}).` };
    case 'submitted':
      return { title, status: 'current', line: 'User confirmed; LIQX is processing the payout.' };
    case 'completed':
      return { title, status: 'done', line: 'PAYOUT_COMPLETED reported by the widget (local evidence).' };
    case 'rejected': {
      const last = [...run.widgetLog].reverse().find((e) => e.type === 'PAYOUT_REJECTED');
      return { title, status: 'failed', line: `PAYOUT_REJECTED reported${last ? `: ${last.text}` : '.'}` };
    }
    case 'expired':
      return { title, status: 'warning', line: 'PAYOUT_EXPIRED: the session ran out before the user confirmed.' };
    case 'error':
      return { title, status: 'failed', line: 'The widget reported an error; see the PAYOUT widget panel.' };
  }
}

function webhookStep(run: Run | null): ProofStep {
  const title = 'Webhook delivered';
  if (!run) return { title, status: 'todo', line: 'No durable receipt context has been created yet.' };
  if (expectsNoReceipt(run)) return { title, status: 'todo', line: 'Nothing reached LIQX, so no webhook will follow.' };
  const key = runKey(run);
  if (!key.intentId && !key.externalRef) return { title, status: 'todo', line: 'Waiting for an intent to look up.' };
  const r = run.receipt;
  if (!r) {
    const subject = key.intentId ? `intent ${key.intentId}` : `external_ref ${key.externalRef}`;
    return { title, status: 'current', line: `Polling durable receipts for ${subject} every 3 s…` };
  }
  const phase = r.phase ? ` · phase ${r.phase}` : '';
  return {
    title, status: 'done',
    line: `${r.event_type}${phase} · ${r.attempts} attempt${r.attempts === 1 ? '' : 's'} · received ${formatClock(r.received_at)}.`,
  };
}

export function proofSteps(run: Run | null): ProofStep[] {
  return [requestStep(run), apiStep(run), widgetStep(run), webhookStep(run)];
}
