/**
 * Hostile input, property-based (fast-check): 10,000 arbitrary messages from a hostile frame on the trusted
 * channel (`hello`/`emit` with arbitrary payloads, and raw `window.postMessage` garbage) and from the host
 * window itself. Asserted for every batch:
 *   - nothing is thrown into the host page (window `error` / `unhandledrejection`);
 *   - no public event and no callback fires (liqx-ready, liqx-payout-*, liqx-close, liqx-error, liqx-resize);
 *     each refused call is reported exactly once as the `liqx-protocol-error` diagnostic;
 * and for any sequence of valid events (with duplicates and invalid ones mixed in) the relayed events are exactly
 * what the protocol's rules give, with exactly one terminal event.
 *
 * Messages are generated here in the host and sent to the fixture frame in batches (`callMany`, `postMany`).
 * Replay a failure with the seed and path fast-check prints.
 */
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { parseFrameEvent, HelloRequest, EVENT_TYPES, type EventType } from '../../src/protocol/schemas.js';

import type { LiqxPayoutWidget } from '../../src/index.js';
import type { WidgetSession } from '../../src/protocol/session.js';
import { EVENTS, RELAYED_AS, isTerminal } from '../../src/protocol/events.js';
import { frameCommand, makeSession, mountConnected, record } from './helpers.js';

// What the oracle knows of the events is the event table's (the spec the element follows too): a new row needs no
// edit here. What this file checks is the handling of hostile input against it.
const FRAME_ROWS = Object.entries(EVENTS).filter(([, row]) => row.frame);
const PUBLIC_EVENTS = FRAME_ROWS.map(([name]) => name);
const CALLBACKS: string[] = [...FRAME_ROWS.map(([, row]) => row.callback), 'onEvent'];
const EVENT_NAME: Record<EventType, string> = RELAYED_AS;
/** The frame event types that end a session. */
const TERMINAL_EVENT_TYPES = EVENT_TYPES.filter(isTerminal);
const TERMINAL = new Set<string>(TERMINAL_EVENT_TYPES);
const TERMINAL_NAMES = new Set<string>(TERMINAL_EVENT_TYPES.map((type) => RELAYED_AS[type]));

/** Total messages per source; together 10,000. */
const N = { frameCalls: 5_000, framePosts: 2_500, hostPosts: 2_500 };
const BATCH = 500;

// ---------------------------------------------------------------------------------------------------------------
// Arbitraries

type Sess = { sessionId: string; intentId: string };

const anything = fc.anything({
  maxDepth: 3,
  maxKeys: 6,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withSparseArray: true,
  withTypedArray: true,
});
const idArb = fc.string({ minLength: 1, maxLength: 40 });
const codeArb = fc.stringMatching(/^[A-Za-z0-9_.:-]{1,40}$/);
const reasonArb = fc.record({ code: codeArb, message: fc.string({ maxLength: 60 }) });
const isoArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString());

function dataArb(type: EventType): fc.Arbitrary<unknown> {
  switch (type) {
    case 'PAYOUT_COMPLETED':
      return fc.option(fc.record({ transactionId: idArb }, { requiredKeys: [] }), { nil: undefined });
    case 'PAYOUT_REJECTED':
      return fc.record({ reason: reasonArb });
    case 'WIDGET_ERROR':
      return fc.record({ error: reasonArb });
    case 'WIDGET_RESIZE':
      return fc.record({ height: fc.double({ min: 0, max: 10_000, noNaN: true }) });
    default:
      return fc.constantFrom(undefined, {});
  }
}

/** A valid envelope for the session; eventIds come partly from a small pool, so duplicates happen. */
function validEventArb(s: Sess, types: readonly EventType[] = EVENT_TYPES): fc.Arbitrary<Record<string, unknown>> {
  return fc.constantFrom(...types).chain((type) =>
    fc.record({
      type: fc.constant(type),
      eventId: fc.oneof(fc.constantFrom('evt_a', 'evt_b', 'evt_c', 'evt_d'), idArb),
      sessionId: fc.constant(s.sessionId),
      intentId: fc.constant(s.intentId),
      occurredAt: isoArb,
      data: dataArb(type),
    }),
  );
}

/** The protocol's own definition of "valid for this session": the oracle that splits generated input. */
function isValidEvent(e: unknown, s: Sess): boolean {
  const parsed = parseFrameEvent(e);
  return parsed.success && parsed.data.sessionId === s.sessionId && parsed.data.intentId === s.intentId;
}

const FIELDS = ['type', 'eventId', 'sessionId', 'intentId', 'occurredAt', 'data'] as const;
const badFieldValue = fc.oneof(
  anything,
  fc.constant(''),
  fc.string({ minLength: 201, maxLength: 400 }),
  fc.constantFrom('PAYOUT_COMPLETE', 'payout_ready', 'WIDGET_RESIZE ', '__proto__', 'constructor'),
  fc.constantFrom('2024-13-01T00:00:00Z', 'yesterday', '2024-01-01', '1e3'),
  fc.constantFrom({ height: -1 }, { height: 10_001 }, { height: Number.NaN }, { height: '100' }, { reason: { code: 'bad code!', message: 'x' } }, { error: {} }),
);

/** Near-valid events broken in one way (a field replaced, removed, another session), and plain garbage. */
function invalidEventArb(s: Sess): fc.Arbitrary<unknown> {
  const broken = fc.tuple(validEventArb(s), fc.constantFrom(...FIELDS), fc.nat(3), badFieldValue, idArb).map(([event, field, how, bad, other]) => {
    const copy: Record<string, unknown> = { ...event };
    if (how === 0) delete copy[field];
    else if (how === 1 && (field === 'sessionId' || field === 'intentId')) copy[field] = `${other}_other`;
    else if (how === 2) copy.data = { ...(typeof event.data === 'object' ? event.data : {}), ...(typeof bad === 'object' && bad ? bad : { height: bad, reason: bad, error: bad }) };
    else copy[field] = bad;
    return copy;
  });
  return fc.oneof({ weight: 3, arbitrary: broken }, { weight: 1, arbitrary: anything }).filter((e) => !isValidEvent(e, s));
}

/** hello payloads that are malformed or name another session (a well-formed hello of another version is a real, terminal PROTOCOL_MISMATCH, not invalid input). */
function invalidHelloArb(s: Sess): fc.Arbitrary<unknown> {
  return fc
    .oneof(
      anything,
      fc.record({ protocol: anything, sessionId: fc.constant(s.sessionId) }),
      fc.record({ protocol: fc.constant(1), sessionId: fc.oneof(idArb, anything) }),
      fc.record({ protocol: fc.oneof(fc.double(), fc.integer({ max: 0 })), sessionId: fc.constant(s.sessionId) }),
    )
    .filter((h) => !HelloRequest().safeParse(h).success);
}

const callArb = (s: Sess) =>
  fc.oneof(
    { weight: 3, arbitrary: invalidEventArb(s).map((payload) => ({ method: 'emit' as const, payload })) },
    { weight: 2, arbitrary: invalidHelloArb(s).map((payload) => ({ method: 'hello' as const, payload })) },
  );

/** Raw window messages: garbage, hellos for the live channel without a port, penpal-shaped messages (the transport of before), test-protocol look-alikes. */
function windowGarbageArb(channel: string): fc.Arbitrary<unknown> {
  const penpalType = fc.constantFrom('SYN', 'ACK1', 'ACK2', 'CALL', 'REPLY', 'DESTROY', 'syn', 'call', '');
  return fc.oneof(
    anything,
    fc.record({ channel: fc.oneof(fc.constant(channel), idArb), hello: anything, call: anything, reply: anything, method: fc.constantFrom('emit', 'requestClose') }, { requiredKeys: ['channel'] }),
    fc.record({
      namespace: fc.constant('penpal'),
      channel: fc.oneof(fc.constant(channel), fc.constant(undefined), idArb),
      type: penpalType,
      participantId: fc.oneof(idArb, anything),
      id: anything,
      callId: anything,
      methodPath: fc.oneof(fc.constant(['emit']), fc.constant(['hello']), fc.constant(['toString']), fc.constant(['__proto__', 'constructor']), anything),
      args: fc.oneof(fc.array(anything, { maxLength: 3 }), anything),
      value: anything,
      isError: fc.boolean(),
    }, { requiredKeys: ['namespace', 'type'] }),
    fc.record({ penpal: fc.constantFrom('syn', 'ack', 'call', 'reply', 'synAck', 'x'), id: anything, methodName: fc.oneof(fc.constantFrom('emit', 'hello'), fc.string()), args: anything, resolution: fc.constantFrom('fulfilled', 'rejected'), returnValue: anything }),
    fc.record({ liqxTestStatus: fc.boolean(), liqxTestResult: anything, state: anything }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Harness

interface Watch {
  publicEvents: CustomEvent[];
  stateChanges: CustomEvent[];
  diagnostics: CustomEvent[];
  callbacks: string[];
}

function watch(el: LiqxPayoutWidget): Watch {
  const callbacks: string[] = [];
  for (const name of CALLBACKS) (el as unknown as Record<string, unknown>)[name] = () => void callbacks.push(name);
  return { publicEvents: record(el, PUBLIC_EVENTS), stateChanges: record(el, ['liqx-state-change']), diagnostics: record(el, ['liqx-protocol-error']), callbacks };
}

async function rawWidget(): Promise<{ el: LiqxPayoutWidget; session: WidgetSession; s: Sess; channel: string }> {
  const session = makeSession({ mode: 'raw' });
  const { el, status } = await mountConnected(session);
  expect(status.state).to.equal('raw-connected');
  const channel = new URLSearchParams(new URL(el.frame!.src).hash.slice(1)).get('liqx-channel')!;
  return { el, session, s: { sessionId: session.session_id, intentId: session.intent_id! }, channel };
}

async function hello(el: LiqxPayoutWidget, s: Sess): Promise<void> {
  const result = await frameCommand(el, 'hello', { payload: { protocol: 1, sessionId: s.sessionId } });
  expect(result.ok, result.error).to.equal(true);
}

async function callMany(el: LiqxPayoutWidget, calls: { method: 'hello' | 'emit'; payload: unknown }[]): Promise<string[]> {
  const result = await frameCommand(el, 'callMany', { calls });
  expect(result.ok, result.error).to.equal(true);
  return result.value as string[];
}

/** Posts to this window and resolves once every message before the sentinel has been dispatched. */
async function postToSelf(messages: unknown[]): Promise<void> {
  for (const message of messages) window.postMessage(message, '*');
  const sentinel = `sentinel_${Math.random()}`;
  await new Promise<void>((resolve) => {
    const onMessage = (e: MessageEvent) => {
      if (e.data !== sentinel) return;
      window.removeEventListener('message', onMessage);
      resolve();
    };
    window.addEventListener('message', onMessage);
    window.postMessage(sentinel, '*');
  });
}

/** After the garbage, a well-formed event still goes through: the channel survived. */
async function stillRelays(el: LiqxPayoutWidget, s: Sess, w: Watch): Promise<void> {
  const [outcome] = await callMany(el, [{ method: 'emit', payload: { type: 'PAYOUT_READY', eventId: `evt_after_${Math.random()}`, sessionId: s.sessionId, intentId: s.intentId, occurredAt: new Date().toISOString() } }]);
  expect(outcome).to.equal('accepted');
  expect(w.publicEvents.map((e) => e.type)).to.deep.equal(['liqx-ready']);
}

describe('hostile input (fast-check, 10,000 messages)', function () {
  this.timeout(120_000);

  let pageErrors: unknown[] = [];
  const onError = (e: ErrorEvent) => void pageErrors.push(e.error ?? e.message);
  const onRejection = (e: PromiseRejectionEvent) => void pageErrors.push(e.reason);
  beforeEach(() => {
    pageErrors = [];
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onRejection);
  });
  afterEach(() => {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  });

  const clean = (w: Watch) => {
    expect(pageErrors, 'exceptions in the host page').to.deep.equal([]);
    expect(w.publicEvents.map((e) => e.type), 'public events from invalid input').to.deep.equal([]);
    expect(w.callbacks, 'callbacks from invalid input').to.deep.equal([]);
    expect(w.stateChanges.map((e) => e.detail.state), 'state changes from invalid input').to.deep.equal([]);
  };

  it(`${N.frameCalls} hello/emit calls with arbitrary payloads from the frame: all refused and reported once, nothing public`, async () => {
    const { el, s } = await rawWidget();
    // Events travel only on the port a hello opened: say hello first, then every batch mixes invalid hellos (each
    // on a new port, refused) with invalid events on the accepted port.
    await hello(el, s);
    const w = watch(el);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(callArb(s), { minLength: BATCH, maxLength: BATCH }), async (calls) => {
        const before = w.diagnostics.length;
        const outcomes = await callMany(el, calls);
        sent += calls.length;
        clean(w);
        expect(outcomes.filter((o) => o !== 'refused'), 'accepted invalid calls').to.deep.equal([]);
        expect(w.diagnostics.length - before, 'one liqx-protocol-error per refused call').to.equal(calls.length);
      }),
      { numRuns: N.frameCalls / BATCH, endOnFailure: true },
    );
    expect(sent).to.equal(N.frameCalls);
    const codes = new Set(w.diagnostics.map((e) => e.detail.code));
    expect([...codes].sort()).to.include.members(['INVALID_MESSAGE', 'SESSION_MISMATCH']);
    await stillRelays(el, s, w);
    expect(el.state).to.equal('ready');
  });

  it(`${N.framePosts} raw window.postMessage garbage from the frame (incl. port-less hellos for the live channel): nothing thrown, nothing public`, async () => {
    const { el, s, channel } = await rawWidget();
    await hello(el, s);
    const w = watch(el);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(windowGarbageArb(channel), { minLength: BATCH, maxLength: BATCH }), async (messages) => {
        // The frame posts the batch, then answers the command: by then every message has been dispatched here.
        const result = await frameCommand(el, 'postMany', { messages, targetOrigin: location.origin });
        expect(result.ok, result.error).to.equal(true);
        sent += messages.length;
        clean(w);
      }),
      { numRuns: N.framePosts / BATCH, endOnFailure: true },
    );
    expect(sent).to.equal(N.framePosts);
    expect(['loading', 'ready']).to.include(el.state);
  });

  it(`${N.hostPosts} window.postMessage garbage from the host window itself: ignored, the channel keeps working`, async () => {
    const { el, s, channel } = await rawWidget();
    await hello(el, s);
    const w = watch(el);
    let sent = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(windowGarbageArb(channel), { minLength: BATCH, maxLength: BATCH }), async (messages) => {
        await postToSelf(messages);
        sent += messages.length;
        clean(w);
        expect(w.diagnostics, 'the host window is not the frame: not even a diagnostic').to.deep.equal([]);
      }),
      { numRuns: N.hostPosts / BATCH, endOnFailure: true },
    );
    expect(sent).to.equal(N.hostPosts);
    await stillRelays(el, s, w);
  });

  it('any sequence of valid events (duplicates and invalid ones mixed in) relays exactly what the rules give, with exactly one terminal event', async () => {
    // Every run gets a fresh widget (a session has one outcome) with the same ids, so sequences can be generated
    // up front and shrunk.
    const s: Sess = { sessionId: 'ses_sequence', intentId: 'int_sequence' };
    const item = fc.oneof({ weight: 4, arbitrary: validEventArb(s) }, { weight: 1, arbitrary: invalidEventArb(s) });
    const sequenceArb = fc
      .tuple(fc.array(item, { maxLength: 12 }), validEventArb(s, TERMINAL_EVENT_TYPES), fc.array(item, { maxLength: 12 }))
      // The inserted terminal event has an id no other generated event can have (longer than idArb's 40), so at least
      // one terminal event is admissible; an earlier one in `before` may win.
      .map(([before, terminal, after]) => [...before, { ...terminal, eventId: `evt_terminal_${'x'.repeat(40)}` }, ...after]);
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (sequence) => {
        const session = makeSession({ mode: 'raw', intent: s.intentId }, { session_id: s.sessionId });
        const { el, status } = await mountConnected(session);
        expect(status.state).to.equal('raw-connected');
        await hello(el, s);
        const w = watch(el);
        try {
          await callMany(el, sequence.map((payload) => ({ method: 'emit' as const, payload })));
          const expected = expectedRelay(sequence, s);
          expect(expected.filter((t) => TERMINAL.has(t)), 'the rules admit exactly one terminal event').to.have.length(1);
          expect(pageErrors).to.deep.equal([]);
          expect(w.publicEvents.map((e) => e.type)).to.deep.equal(expected.map((t) => EVENT_NAME[t]));
          const terminal = w.publicEvents.filter((e) => TERMINAL_NAMES.has(e.type));
          expect(terminal, 'exactly one terminal event').to.have.length(1);
          expect(w.callbacks.filter((c) => c === 'onEvent')).to.have.length(expected.length);
          expect(el.state).to.equal({ 'liqx-payout-completed': 'completed', 'liqx-payout-rejected': 'rejected', 'liqx-payout-expired': 'expired', 'liqx-error': 'error' }[terminal[0].type]);
        } finally {
          el.remove();
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** The relay rules (DESIGN.md): each eventId once; after the first terminal event only resize and close. */
function expectedRelay(sequence: unknown[], s: Sess): EventType[] {
  const seen = new Set<string>();
  let terminated = false;
  const out: EventType[] = [];
  for (const raw of sequence) {
    if (!isValidEvent(raw, s)) continue;
    const { type, eventId } = raw as { type: EventType; eventId: string };
    if (seen.has(eventId)) continue;
    if (terminated && type !== 'WIDGET_RESIZE' && type !== 'WIDGET_CLOSE') continue;
    seen.add(eventId);
    if (TERMINAL.has(type)) terminated = true;
    out.push(type);
  }
  return out;
}

