/**
 * The flow state machine the page shows in Advanced diagnostics:
 *
 *   idle -> creating -> created_or_terminal -> polling_webhook -> webhook_observed
 *                \-> error (the proxy or LIQX refused the reservation, or the network failed)
 *
 * `created_or_terminal`: LIQX answered with a reserved intent (the widget is open and the user decides) or the
 * API response already names a terminal status. `polling_webhook`: the outcome is known locally (a widget
 * event or a terminal API status), which is only local evidence; the page now waits for the durable receipt.
 * Pure: no timers, no DOM. The component keeps the history for display.
 */

export const FLOW_STATES = ['idle', 'creating', 'created_or_terminal', 'polling_webhook', 'webhook_observed', 'error'] as const;
export type FlowState = (typeof FLOW_STATES)[number];

export type FlowEvent =
  | { type: 'SUBMIT' }
  /** 201 from the proxy; `terminal` when the intent status is already final. */
  | { type: 'CREATED'; terminal: boolean }
  /** 400, upstream preflight refusal, or a network failure. */
  | { type: 'CREATE_FAILED' }
  /** The widget reported completed / rejected / expired / error. */
  | { type: 'WIDGET_TERMINAL' }
  /** A durable receipt for the current intent was read back. */
  | { type: 'RECEIPT_MATCHED' }
  | { type: 'RESET' };

export const FLOW_STATE_HELP: Record<FlowState, string> = {
  idle: 'Nothing sent in this run.',
  creating: 'POST /api/payouts in flight.',
  created_or_terminal: 'LIQX answered; the widget holds the user decision.',
  polling_webhook: 'Local outcome known; waiting for the durable receipt.',
  webhook_observed: 'A matching receipt is stored: delivery proven.',
  error: 'The reservation failed; see the widget panel.',
};

/** The next state, or the same state when the event does not apply (late or duplicate signals are ignored). */
export function transition(state: FlowState, event: FlowEvent): FlowState {
  switch (event.type) {
    case 'RESET':
      return state === 'creating' ? state : 'idle';
    case 'SUBMIT':
      // A new run may start from any settled state; never twice at once.
      return state === 'creating' ? state : 'creating';
    case 'CREATED':
      if (state !== 'creating') return state;
      return event.terminal ? 'polling_webhook' : 'created_or_terminal';
    case 'CREATE_FAILED':
      return state === 'creating' ? 'error' : state;
    case 'WIDGET_TERMINAL':
      return state === 'created_or_terminal' ? 'polling_webhook' : state;
    case 'RECEIPT_MATCHED':
      // A receipt may beat the widget's own event (slow frame); both prove the run has ended.
      return state === 'created_or_terminal' || state === 'polling_webhook' ? 'webhook_observed' : state;
  }
}

/** True once the run can change no further without a new submit. */
export function isSettled(state: FlowState): boolean {
  return state === 'webhook_observed' || state === 'error' || state === 'idle';
}
