/** The host page's flow logic, without a browser: state machine, receipt matching, request contract, formatting, poller. */
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { FLOW_STATES, transition, type FlowEvent, type FlowState } from '../../../demo/app/flow-machine.js';
import { matchReceipt, isExpectedReceipt, belongsToRun } from '../../../demo/app/receipt-match.js';
import { DEFAULT_FORM, fieldProblems, toPayoutRequest } from '../../../demo/app/request-contract.js';
import { formatKrw, formatUsdt, langOf, maskTokens } from '../../../demo/app/format.js';
import { receiptsUrl, type ReceiptRow } from '../../../demo/app/api.js';
import { ReceiptsPoller } from '../../../demo/app/receipts-poller.js';
import { proofSteps } from '../../../demo/app/proof-steps.js';
import { newRun, runKey } from '../../../demo/app/run.js';

const run = (events: FlowEvent[], from: FlowState = 'idle') => events.reduce(transition, from);

describe('flow machine', () => {
  test('happy path: idle -> creating -> created_or_terminal -> polling_webhook -> webhook_observed', () => {
    const seen: FlowState[] = ['idle'];
    for (const e of [{ type: 'SUBMIT' }, { type: 'CREATED', terminal: false }, { type: 'WIDGET_TERMINAL' }, { type: 'RECEIPT_MATCHED' }] as FlowEvent[]) {
      seen.push(transition(seen.at(-1)!, e));
    }
    assert.deepEqual(seen, ['idle', 'creating', 'created_or_terminal', 'polling_webhook', 'webhook_observed']);
  });

  test('a refused reservation ends in error, and a later receipt does not turn it into success', () => {
    assert.equal(run([{ type: 'SUBMIT' }, { type: 'CREATE_FAILED' }]), 'error');
    assert.equal(run([{ type: 'SUBMIT' }, { type: 'CREATE_FAILED' }, { type: 'RECEIPT_MATCHED' }]), 'error');
  });

  test('a terminal status in the 201 goes straight to polling; a receipt may beat the widget event', () => {
    assert.equal(run([{ type: 'SUBMIT' }, { type: 'CREATED', terminal: true }]), 'polling_webhook');
    assert.equal(run([{ type: 'SUBMIT' }, { type: 'CREATED', terminal: false }, { type: 'RECEIPT_MATCHED' }]), 'webhook_observed');
  });

  test('late and out-of-order signals are ignored; no second submit while creating', () => {
    for (const state of FLOW_STATES) {
      if (state !== 'creating') assert.equal(transition(state, { type: 'CREATED', terminal: false }), state);
    }
    assert.equal(transition('creating', { type: 'SUBMIT' }), 'creating');
    assert.equal(transition('idle', { type: 'WIDGET_TERMINAL' }), 'idle');
    assert.equal(transition('webhook_observed', { type: 'WIDGET_TERMINAL' }), 'webhook_observed');
    assert.equal(transition('webhook_observed', { type: 'SUBMIT' }), 'creating');
  });
});

const row = (over: Partial<ReceiptRow>): ReceiptRow => ({
  webhook_id: 'msg_1', provider: 'liqx', event_type: 'transaction.completed', intent_id: 'pi_1', external_ref: 'ext_1',
  status: 'completed', owner: 'usr_1', phase: 'PAYOUT', attempts: 1, reference: 'pi_1', amount_minor: null, currency: null,
  failure_code: null, failure_message: null, occurred_at: '2026-01-01T00:00:00Z', received_at: '2026-01-01T00:00:01Z', payload: {}, ...over,
});

describe('receipt matching', () => {
  test('only a terminal receipt of the same intent matches', () => {
    const rows = [row({ intent_id: 'pi_other' }), row({ event_type: 'transaction.pending', webhook_id: 'm2' }), row({ webhook_id: 'm3' })];
    assert.equal(matchReceipt(rows, { intentId: 'pi_1', externalRef: null })?.webhook_id, 'm3');
    assert.equal(matchReceipt(rows, { intentId: 'pi_none', externalRef: null }), null);
    assert.equal(matchReceipt(rows, { intentId: null, externalRef: null }), null);
  });

  test('without an intent, the external_ref decides; with one, the intent does', () => {
    assert.ok(belongsToRun(row({ intent_id: null }), { intentId: null, externalRef: 'ext_1' }));
    assert.ok(!belongsToRun(row({ intent_id: 'pi_2', external_ref: 'ext_1' }), { intentId: 'pi_1', externalRef: 'ext_1' }));
  });

  test('transaction.completed proves a payout only with phase PAYOUT', () => {
    assert.ok(isExpectedReceipt(row({}), 'transaction.completed'));
    assert.ok(!isExpectedReceipt(row({ phase: 'PAYIN' }), 'transaction.completed'));
    assert.ok(isExpectedReceipt(row({ event_type: 'transaction.failed', phase: null }), 'transaction.failed'));
    assert.ok(!isExpectedReceipt(row({ event_type: 'transaction.failed' }), 'transaction.completed'));
  });
});

describe('request contract', () => {
  test('blank optional ids are left out for the proxy to fill in; values are trimmed', () => {
    const body = toPayoutRequest({ ...DEFAULT_FORM, legal_name: ' 홍길동 ' });
    assert.deepEqual(Object.keys(body), ['scenario', 'legal_name', 'user_email', 'return_url', 'amount_krw', 'amount_usdt']);
    assert.equal(body.legal_name, '홍길동');
    assert.equal(toPayoutRequest({ ...DEFAULT_FORM, external_ref: 'crm-42' }).external_ref, 'crm-42');
  });

  test('the seeded draft is valid; bad amounts, email and URL are flagged', () => {
    assert.deepEqual(fieldProblems(DEFAULT_FORM), {});
    const problems = fieldProblems({ ...DEFAULT_FORM, amount_krw: '100,000', amount_usdt: '1.1234567', user_email: 'x', return_url: 'ftp://x' });
    assert.deepEqual(Object.keys(problems).sort(), ['amount_krw', 'amount_usdt', 'return_url', 'user_email']);
  });

  test('receipt query: limit always sent, blank filters dropped', () => {
    assert.equal(receiptsUrl({ limit: 20, intent_id: ' ', type: 'transaction.failed' }), '/api/webhooks/events?limit=20&type=transaction.failed');
    assert.equal(receiptsUrl({ limit: 20, provider: 'ipay', status: 'pending' }), '/api/webhooks/events?limit=20&provider=ipay&status=pending');
  });
});

describe('formatting', () => {
  test('KRW and USDT', () => {
    assert.equal(formatKrw('100000'), '₩100,000');
    assert.equal(formatUsdt('75'), '75.000000 USDT');
    assert.equal(formatUsdt('1234.5'), '1,234.500000 USDT');
    assert.equal(formatKrw('abc'), 'abc');
  });

  test('Korean names are marked for screen readers', () => {
    assert.equal(langOf('홍길동'), 'ko');
    assert.equal(langOf('Jane Doe'), undefined);
  });

  test('the diagnostics never print a whole session token', () => {
    const masked = maskTokens({ widget_session: { session_token: 'lqxwst_abcdefghijklmnopqrstuvwxyz' }, upstream: [{ session_token: 'tok_123456789' }] });
    assert.doesNotMatch(JSON.stringify(masked), /abcdefghijklmnop|123456789/);
  });
});

describe('proof steps', () => {
  test('idle: the draft is ready, nothing else started', () => {
    const steps = proofSteps(null);
    assert.deepEqual(steps.map((s) => s.status), ['current', 'todo', 'todo', 'todo']);
    assert.equal(steps[0]!.line, 'Draft is ready in the request form.');
  });

  test('a preflight refusal fails the API step and waits for the failure receipt by intent', () => {
    const r = newRun(1, toPayoutRequest(DEFAULT_FORM), null);
    r.result = {
      kind: 'upstream', httpStatus: 422, raw: {},
      body: { error: { code: 'KYC_NOT_VERIFIED', message: 'no KYC', upstream_status: 422 }, intent_id: 'pi_9', external_ref: 'ext_9' },
    };
    assert.deepEqual(runKey(r), { intentId: 'pi_9', externalRef: 'ext_9' });
    assert.deepEqual(proofSteps(r).map((s) => s.status), ['done', 'failed', 'failed', 'current']);
    r.receipt = row({ intent_id: 'pi_9', event_type: 'transaction.failed', attempts: 2 });
    assert.match(proofSteps(r)[3]!.line, /transaction\.failed .* 2 attempts/);
  });
});

describe('receipts poller', () => {
  // Mock timers: the interval is driven by the test, so a busy machine cannot change how many reads happen.
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
  afterEach(() => mock.timers.reset());
  /** Lets every pending promise callback run (setImmediate is not mocked). */
  const settle = () => new Promise((r) => setImmediate(r));

  test('reads at once, then on its interval, never two at once; stop ends it', async () => {
    const pending: (() => void)[] = [];
    let reads = 0;
    let concurrent = 0;
    let maxConcurrent = 0;
    const poller = new ReceiptsPoller({
      intervalMs: 20,
      read: async () => {
        reads++;
        concurrent++;
        maxConcurrent = Math.max(maxConcurrent, concurrent);
        await new Promise<void>((r) => pending.push(r));
        concurrent--;
      },
    });
    const finishRead = async () => {
      pending.shift()!();
      await settle();
    };
    poller.start();
    assert.equal(reads, 1, 'reads at once');
    poller.pollNow();
    poller.pollNow();
    assert.equal(reads, 1, 'pollNow during a read waits for it');
    await finishRead();
    assert.equal(reads, 2, 'one more read follows the one in flight, however often pollNow was called');
    await finishRead();
    mock.timers.tick(19);
    await settle();
    assert.equal(reads, 2, 'nothing before the interval');
    mock.timers.tick(1);
    await settle();
    assert.equal(reads, 3, 'the interval elapsed');
    await finishRead();
    mock.timers.tick(20);
    await settle();
    assert.equal(reads, 4);
    assert.equal(maxConcurrent, 1);
    poller.stop();
    await finishRead();
    mock.timers.tick(1000);
    await settle();
    assert.equal(reads, 4, 'no read after stop');
  });

  test('a failing read is reported and polling goes on', async () => {
    const errors: unknown[] = [];
    let reads = 0;
    const poller = new ReceiptsPoller({
      intervalMs: 10,
      read: async () => {
        reads++;
        throw new Error('boom');
      },
      onError: (e) => errors.push(e),
    });
    poller.start();
    await settle();
    for (let i = 0; i < 3; i++) {
      mock.timers.tick(10);
      await settle();
    }
    poller.stop();
    assert.equal(reads, 4);
    assert.equal(errors.length, 4);
    assert.ok(errors.every((e) => (e as Error).message === 'boom'));
  });
});

describe('provider list', () => {
  test("the receipts panel's filters list exactly the package's providers and the event types each sends", async () => {
    const { RECEIPT_PROVIDERS } = await import('../../../demo/app/api.js');
    const { WEBHOOK_PROVIDERS, LIQX_EVENT_STATUS, CASHOUT_EVENTS, IPAY_EVENTS } = await import('../../../src/webhooks/internal.js');
    assert.deepEqual(RECEIPT_PROVIDERS.map((p) => p.id), [...WEBHOOK_PROVIDERS]);
    const types = Object.fromEntries(RECEIPT_PROVIDERS.map((p) => [p.id, [...p.eventTypes].sort()]));
    assert.deepEqual(types, {
      liqx: Object.keys(LIQX_EVENT_STATUS).sort(),
      'cashout-reference': Object.keys(CASHOUT_EVENTS).sort(),
      ipay: [...IPAY_EVENTS].sort(),
    });
  });
});
