/**
 * A hostile or buggy frame on the trusted channel: every malformed message is dropped and reported as
 * `liqx-protocol-error` with the zod issue paths, never thrown into the host page, never a public event.
 */
import { expect } from '@open-wc/testing';
import type { LiqxPayoutWidget } from '../../src/index.js';
import type { WidgetSession } from '../../src/protocol/session.js';
import { ALL_EVENTS, frameCommand, makeSession, mountConnected, record, oneEvent } from './helpers.js';

const PUBLIC = ALL_EVENTS.filter((e) => e !== 'liqx-protocol-error' && e !== 'liqx-state-change');

async function rawWidget(): Promise<{ el: LiqxPayoutWidget; session: WidgetSession }> {
  const session = makeSession({ mode: 'raw' });
  const { el, status } = await mountConnected(session);
  expect(status.state).to.equal('raw-connected');
  return { el, session };
}

function valid(session: WidgetSession, overrides: Record<string, unknown> = {}) {
  return { type: 'PAYOUT_READY', eventId: `evt_${Math.random()}`, sessionId: session.session_id, intentId: session.intent_id, occurredAt: new Date().toISOString(), ...overrides };
}

describe('malformed messages from the frame', () => {
  let pageErrors: unknown[] = [];
  const onError = (e: ErrorEvent) => pageErrors.push(e.error);
  const onRejection = (e: PromiseRejectionEvent) => pageErrors.push(e.reason);
  beforeEach(() => {
    pageErrors = [];
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  afterEach(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
    expect(pageErrors, 'nothing thrown into the host page').to.deep.equal([]);
  });

  it('has no way to emit before hello: events travel only on the port a hello opened', async () => {
    const { el, session } = await rawWidget();
    const problems = record(el, ['liqx-protocol-error']);
    const seen = record(el, PUBLIC);
    const result = await frameCommand(el, 'emit', { payload: valid(session) });
    expect(result.ok).to.equal(false);
    expect(result.error).to.contain('say hello first');
    // Posted on the window instead, the same event is not even heard.
    await frameCommand(el, 'post', { message: { channel: new URLSearchParams(new URL(el.frame!.src).hash.slice(1)).get('liqx-channel'), hello: { protocol: 1, sessionId: session.session_id, ready: valid(session) } }, targetOrigin: location.origin });
    expect(problems).to.deep.equal([]);
    expect(seen).to.deep.equal([]);
    expect(el.state).to.equal('loading');
  });

  it('relays a PAYOUT_READY carried in the hello once, as the first event, and hands out the token', async () => {
    const { el, session } = await rawWidget();
    const seen = record(el, PUBLIC);
    const result = await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id, ready: valid(session) } });
    expect(result.ok, result.error).to.equal(true);
    expect((result.value as { sessionToken: string }).sessionToken).to.equal(session.session_token);
    expect(seen.map((e) => e.type)).to.deep.equal(['liqx-ready']);
    expect(seen[0].detail).to.include({ sessionId: session.session_id, intentId: session.intent_id, type: 'PAYOUT_READY' });
    expect(el.state).to.equal('ready');
  });

  it('refuses a hello whose ready names another intent (SESSION_MISMATCH): no token, no ready', async () => {
    const { el, session } = await rawWidget();
    const problems = record(el, ['liqx-protocol-error']);
    const seen = record(el, PUBLIC);
    const result = await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id, ready: valid(session, { intentId: 'int_other' }) } });
    expect(result.ok).to.equal(false);
    expect(JSON.stringify(result)).not.to.contain('tok_secret');
    expect(problems.map((e) => [e.detail.code, e.detail.method])).to.deep.equal([['SESSION_MISMATCH', 'hello']]);
    expect(seen).to.deep.equal([]);
    expect(el.state).to.equal('loading');
  });

  it('refuses a hello whose ready is malformed (INVALID_MESSAGE with the path)', async () => {
    const { el, session } = await rawWidget();
    const problems = record(el, ['liqx-protocol-error']);
    const result = await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id, ready: valid(session, { type: 'PAYOUT_COMPLETED' }) } });
    expect(result.ok).to.equal(false);
    expect(problems[0].detail.issues.join('\n')).to.contain('ready.type');
  });

  it('refuses a malformed hello with the issue paths', async () => {
    const { el } = await rawWidget();
    const problems = record(el, ['liqx-protocol-error']);
    const result = await frameCommand(el, 'hello', { payload: { protocol: 'one', sessionId: 5 } });
    expect(result.ok).to.equal(false);
    expect(problems).to.have.length(1);
    expect(problems[0].detail).to.include({ code: 'INVALID_MESSAGE', method: 'hello' });
    expect(problems[0].detail.issues.join('\n')).to.contain('protocol').and.to.contain('sessionId');
  });

  it('refuses a hello for another session (SESSION_MISMATCH) and does not hand out the token', async () => {
    const { el } = await rawWidget();
    const problems = record(el, ['liqx-protocol-error']);
    const result = await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: 'ses_someone_else' } });
    expect(result.ok).to.equal(false);
    expect(JSON.stringify(result)).not.to.contain('tok_secret');
    expect(problems.map((e) => e.detail.code)).to.deep.equal(['SESSION_MISMATCH']);
  });

  it('ends with PROTOCOL_MISMATCH when the frame speaks another protocol version', async () => {
    const { el, session } = await rawWidget();
    const error = oneEvent(el, 'liqx-error');
    // Not awaited: the host removes the incompatible frame, so its reply never comes back.
    void frameCommand(el, 'hello', { payload: { protocol: 2, sessionId: session.session_id } });
    expect((await error).detail.code).to.equal('PROTOCOL_MISMATCH');
    expect(el.state).to.equal('error');
    expect(el.frame).to.equal(null);
  });

  const BAD_EVENTS: Array<[string, (s: WidgetSession) => unknown, string]> = [
    ['not an object', () => 'PAYOUT_COMPLETED', '(root)'],
    ['null', () => null, '(root)'],
    ['an unknown type', (s) => valid(s, { type: 'PAYOUT_STOLEN' }), 'type'],
    ['a missing eventId', (s) => ({ ...valid(s), eventId: undefined }), 'eventId'],
    ['a non-string sessionId', (s) => valid(s, { sessionId: 42 }), 'sessionId'],
    ['a bad occurredAt', (s) => valid(s, { occurredAt: 'yesterday' }), 'occurredAt'],
    ['a rejection without reason', (s) => valid(s, { type: 'PAYOUT_REJECTED', data: {} }), 'data.reason'],
    ['a rejection with a bad reason code', (s) => valid(s, { type: 'PAYOUT_REJECTED', data: { reason: { code: '<script>', message: 'x' } } }), 'data.reason.code'],
    ['a negative height', (s) => valid(s, { type: 'WIDGET_RESIZE', data: { height: -5 } }), 'data.height'],
    ['a huge eventId', (s) => valid(s, { eventId: 'x'.repeat(10_000) }), 'eventId'],
    ['an error without code', (s) => valid(s, { type: 'WIDGET_ERROR', data: { error: { message: 'x' } } }), 'data.error.code'],
  ];

  for (const [name, build, path] of BAD_EVENTS) {
    it(`drops an event with ${name} and reports ${path}`, async () => {
      const { el, session } = await rawWidget();
      await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id } });
      const seen = record(el, PUBLIC);
      const problems = record(el, ['liqx-protocol-error']);
      const result = await frameCommand(el, 'emit', { payload: build(session) });
      expect(result.ok, 'the frame is told it was refused').to.equal(false);
      expect(seen).to.have.length(0);
      expect(problems).to.have.length(1);
      expect(problems[0].detail.code).to.equal('INVALID_MESSAGE');
      expect(problems[0].detail.issues.some((i: string) => i.startsWith(path))).to.equal(true, problems[0].detail.issues.join('; '));
      expect(el.state).to.equal('loading');
    });
  }

  it('drops events naming another session or intent (SESSION_MISMATCH)', async () => {
    const { el, session } = await rawWidget();
    await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id } });
    const seen = record(el, PUBLIC);
    const problems = record(el, ['liqx-protocol-error']);
    await frameCommand(el, 'emit', { payload: valid(session, { sessionId: 'ses_other' }) });
    await frameCommand(el, 'emit', { payload: valid(session, { intentId: 'int_other' }) });
    expect(seen).to.have.length(0);
    expect(problems.map((e) => e.detail.code)).to.deep.equal(['SESSION_MISMATCH', 'SESSION_MISMATCH']);
    // A valid event afterwards still works: dropping is not fatal.
    const ready = oneEvent(el, 'liqx-ready');
    expect((await frameCommand(el, 'emit', { payload: valid(session) })).value).to.deep.equal({ accepted: true });
    await ready;
  });

  it('tolerates extra fields (forward compatible) but relays only the known ones', async () => {
    const { el, session } = await rawWidget();
    await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: session.session_id } });
    const ready = oneEvent(el, 'liqx-ready');
    await frameCommand(el, 'emit', { payload: valid(session, { extra: 'ignored', data: { also: 'ignored' } }) });
    const detail = (await ready).detail as unknown as Record<string, unknown>;
    expect(detail).not.to.have.property('extra');
    expect(detail).not.to.have.property('also');
  });
});
