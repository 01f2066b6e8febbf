/**
 * The protocol's schema builders (src/protocol/wire-schema.ts) and the zod schema the server kit derives from them
 * (zodFromWire): what each builder accepts and the issue paths it reports, and, as properties over arbitrary input,
 * that the derived zod schema accepts exactly what the element's schema accepts and parses it to the same data, for
 * the widget session and for every frame event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import * as z from 'zod/mini';
import * as v from '../../../src/protocol/wire-schema.js';
import { WidgetSession } from '../../../src/protocol/session.js';
import { FRAME_EVENT_SCHEMAS, HelloRequest, parseFrameEvent } from '../../../src/protocol/schemas.js';
import { zodFromWire } from '../../../src/server/widget-session.js';

const paths = (r: v.SafeParseResult<unknown>) => (r.success ? [] : r.error.issues.map((i) => i.path.join('.')));

test('object: every bad field reported with its path, unknown keys dropped, optional keys absent or valid', () => {
  const Schema = v.object({
    id: v.string().check(v.refine((s) => s.length >= 1, 'Expected 1 or more characters')),
    n: v.optional(v.number()),
    kind: v.literal(['a', 'b']),
    nested: v.object({ code: v.string() }),
  });
  assert.deepEqual(Schema.safeParse({ id: 'x', kind: 'a', nested: { code: 'C', extra: 1 }, extra: true }), {
    success: true, data: { id: 'x', kind: 'a', nested: { code: 'C' } },
  });
  assert.deepEqual(paths(Schema.safeParse({ id: '', n: 'one', kind: 'c', nested: { code: 7 } })), ['id', 'n', 'kind', 'nested.code']);
  assert.deepEqual(paths(Schema.safeParse({})), ['id', 'kind', 'nested']);
  const bad = Schema.safeParse({ id: '', kind: 'a', nested: { code: 'C' } });
  assert.equal(bad.success, false);
  assert.deepEqual(bad.success ? null : bad.error.issues, [{ code: 'custom', path: ['id'], message: 'Expected 1 or more characters' }]);
  for (const notObject of [null, [], 'x', 1, undefined, true]) assert.deepEqual(paths(Schema.safeParse(notObject)), ['']);
});

test('numbers are finite; a check runs only on a value of the right type; the first failing check is reported', () => {
  const N = v.number().check(v.refine((n) => n >= 0, 'negative'), v.refine((n) => n <= 10, 'too big'));
  for (const bad of [NaN, Infinity, -Infinity, '1', null]) assert.equal(N.safeParse(bad).success, false, String(bad));
  assert.deepEqual(N.safeParse(-1), { success: false, error: { issues: [{ code: 'custom', path: [], message: 'negative' }] } });
  assert.deepEqual(N.safeParse(11), { success: false, error: { issues: [{ code: 'custom', path: [], message: 'too big' }] } });
  let called = false;
  v.string().check(v.refine(() => (called = true))).safeParse(42);
  assert.equal(called, false);
});

test('parsing reads only the declared keys: a hostile prototype or a __proto__ key changes nothing', () => {
  const S = v.object({ a: v.string() });
  const input = JSON.parse('{"a":"x","__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}');
  const parsed = S.safeParse(input);
  assert.deepEqual(parsed, { success: true, data: { a: 'x' } });
  assert.equal(({} as { polluted?: boolean }).polluted, undefined);
});

/** Values near the session's shape: right and wrong types, bounds, URLs, dates, extra keys. */
const sessionLike = fc.record(
  {
    session_id: fc.oneof(fc.string({ maxLength: 210 }), fc.constant(''), fc.integer()),
    widget_url: fc.oneof(fc.webUrl(), fc.constantFrom('ftp://x.example/', 'javascript:alert(1)', '/relative', 'https://ok.example/w?x=1#f'), fc.string()),
    session_token: fc.oneof(fc.string({ minLength: 0, maxLength: 30 }), fc.constant('t'.repeat(4097)), fc.constant(null)),
    expires_at: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-12-03T10:00:00+09:00', '2026-12-03', 'soon', '2026-02-30T00:00:00Z')),
    intent_id: fc.oneof(fc.string({ maxLength: 205 }), fc.constant(undefined), fc.boolean()),
    extra: fc.anything(),
  },
  { requiredKeys: [] },
);

test('property: the zod schema derived for the server accepts exactly the sessions the element accepts, with the same data', () => {
  const wire = WidgetSession();
  const twin = zodFromWire(wire);
  fc.assert(
    fc.property(fc.oneof(sessionLike, fc.anything()), (input) => {
      const a = wire.safeParse(input);
      const b = z.safeParse(twin, input);
      assert.equal(a.success, b.success);
      if (a.success && b.success) assert.deepEqual(a.data, b.data);
      if (!a.success && !b.success) assert.deepEqual(paths(a), b.error.issues.map((i) => i.path.join('.')));
    }),
    { numRuns: 2000 },
  );
});

test('property: every frame event schema and its zod twin agree on arbitrary events', () => {
  const schemas = [HelloRequest(), ...Object.values(FRAME_EVENT_SCHEMAS).map((make) => make())];
  const twins = schemas.map((s) => zodFromWire(s as v.Schema<unknown, boolean>));
  const eventLike = fc.record(
    {
      type: fc.constantFrom(...Object.keys(FRAME_EVENT_SCHEMAS), 'NOPE'),
      eventId: fc.oneof(fc.string({ maxLength: 201 }), fc.integer()),
      sessionId: fc.string({ maxLength: 5 }),
      intentId: fc.string({ maxLength: 5 }),
      occurredAt: fc.oneof(fc.date({ noInvalidDate: true }).map((d) => d.toISOString()), fc.string()),
      replayed: fc.oneof(fc.constant(true), fc.boolean(), fc.constant(undefined)),
      data: fc.oneof(
        fc.constant(undefined),
        fc.record({ height: fc.oneof(fc.double(), fc.integer({ min: -5, max: 20_000 })) }),
        fc.record({ reason: fc.record({ code: fc.string({ maxLength: 3 }), message: fc.string({ maxLength: 3 }) }, { requiredKeys: [] }) }),
        fc.record({ error: fc.record({ code: fc.constantFrom('E_X', 'bad code'), message: fc.string() }) }),
        fc.record({ transactionId: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(undefined)) }),
        fc.anything(),
      ),
      protocol: fc.oneof(fc.integer({ min: -1, max: 3 }), fc.double()),
      ready: fc.anything(),
    },
    { requiredKeys: [] },
  );
  fc.assert(
    fc.property(eventLike, fc.nat(schemas.length - 1), (input, i) => {
      const a = schemas[i]!.safeParse(input);
      const b = z.safeParse(twins[i]!, input);
      assert.equal(a.success, b.success);
      if (a.success && b.success) assert.deepEqual(a.data, b.data);
    }),
    { numRuns: 2000 },
  );
});

test('parseFrameEvent: a bad field in a known event is reported at its path', () => {
  const event = {
    type: 'PAYOUT_REJECTED', eventId: 'evt_1', sessionId: 'ses_1', intentId: 'int_1', occurredAt: '2026-12-03T00:00:00Z',
    data: { reason: { code: 'bad code', message: 7 } },
  };
  assert.deepEqual(paths(parseFrameEvent(event) as v.SafeParseResult<unknown>), ['data.reason.code', 'data.reason.message']);
  assert.deepEqual(paths(parseFrameEvent({ ...event, type: 'NOPE' }) as v.SafeParseResult<unknown>), ['type']);
});
