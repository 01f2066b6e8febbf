import { expect } from '@open-wc/testing';
import { ALL_EVENTS, frameCommand, makeSession, mountConnected, record, sdk } from './helpers.js';

const TERMINAL = ['liqx-payout-completed', 'liqx-payout-rejected', 'liqx-payout-expired', 'liqx-error'];

/** A frame loaded for an intent that had already ended reports its outcome again, marked `replayed`. */
describe('a replayed outcome (the intent ended before the frame loaded)', () => {
  it('is emitted once with replayed: true and the same ids; a second terminal event is dropped', async () => {
    const session = makeSession({ intent: 'int_resume_completed' });
    const { el } = await mountConnected(session);
    const seen = record(el, ALL_EVENTS);
    const protocolErrors = record(el, ['liqx-protocol-error']);
    const calls: unknown[] = [];
    el.onPayoutCompleted = (detail) => calls.push(detail);

    const first = await sdk(el, 'completed', { transactionId: 'tx_resume_1' }, { eventId: 'evt_original_1' });
    expect(first.ok, first.error).to.equal(true);
    expect(first.value, 'the host accepted it').to.equal(true);
    // The same outcome again (say, a second reload's frame on the same channel) and a different one: both dropped.
    expect((await sdk(el, 'completed', { transactionId: 'tx_resume_1' }, {})).value).to.equal(false);
    expect((await sdk(el, 'rejected', { code: 'USER_DECLINED', message: 'late' }, {})).value).to.equal(false);

    const terminal = seen.filter((e) => TERMINAL.includes(e.type));
    expect(terminal.map((e) => e.type)).to.deep.equal(['liqx-payout-completed']);
    const detail = terminal[0]!.detail as { replayed?: boolean; eventId: string; intentId: string; sessionId: string; transactionId?: string };
    expect(detail.replayed).to.equal(true);
    expect(detail.eventId, 'the original event id, when the frame knows it').to.equal('evt_original_1');
    expect(detail.intentId).to.equal(session.intent_id);
    expect(detail.sessionId).to.equal(session.session_id);
    expect(detail.transactionId).to.equal('tx_resume_1');
    expect(calls).to.deep.equal([detail]);
    expect(protocolErrors.map((e) => e.detail.code)).to.deep.equal(['AFTER_TERMINAL', 'AFTER_TERMINAL']);
    expect(el.state).to.equal('completed');
  });

  it('without a known event id the frame SDK makes one; a live outcome carries no replayed field', async () => {
    const replayed = await mountConnected(makeSession({ intent: 'int_resume_rejected' }));
    const events = record(replayed.el, ['liqx-payout-rejected']);
    await sdk(replayed.el, 'rejected', { code: 'USER_DECLINED', message: 'declined earlier' }, {});
    expect(events).to.have.length(1);
    expect(events[0]!.detail.replayed).to.equal(true);
    expect(events[0]!.detail.eventId).to.match(/^evt_[0-9a-f]{32}$/);
    expect(replayed.el.state).to.equal('rejected');

    const live = await mountConnected(makeSession({ intent: 'int_resume_live' }));
    const liveEvents = record(live.el, ['liqx-payout-expired']);
    await sdk(live.el, 'expired');
    expect(liveEvents).to.have.length(1);
    expect('replayed' in liveEvents[0]!.detail).to.equal(false);
  });

  it('refuses a replayed flag other than true (the host parses it)', async () => {
    const session = makeSession({ mode: 'raw' });
    const { el } = await mountConnected(session);
    await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id } });
    const protocolErrors = record(el, ['liqx-protocol-error']);
    const completed = record(el, ['liqx-payout-completed']);
    const event = { type: 'PAYOUT_COMPLETED', eventId: 'evt_bad_replay', sessionId: session.session_id, intentId: session.intent_id, occurredAt: new Date().toISOString(), replayed: 'yes' };
    const res = await frameCommand(el, 'emit', { payload: event });
    expect(res.ok).to.equal(false);
    expect(completed).to.have.length(0);
    expect(protocolErrors).to.have.length(1);
    expect(protocolErrors[0]!.detail.issues.join(' ')).to.contain('replayed');
  });
});
