/**
 * The session handler's seams, against a stand-in LIQX (a real HTTP server answering from a script):
 * - the owner comes from `authorize`, never from the body or intent(), and goes to LIQX on the intent;
 * - the widget session is checked with the element's own schema: a property over arbitrary sessions shows the
 *   handler answers 201 exactly for the sessions the element's parser (resolveSession) accepts;
 * - LIQX's statuses map to the kit's codes: its business 4xx as is, a refused API key UPSTREAM_AUTH_REFUSED (502),
 *   anything else UPSTREAM_ERROR (502); an oversized upstream body is not read whole.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { createSessionHandler, type SessionHandlerError } from '../../../src/server/internal.js';
import { resolveSession } from '../../../src/protocol/session.js';

type Answer = { status: number; body: unknown } | { status: number; raw: string } | { status: number; bytes: number };
let answers: Answer[] = [];
const seen: { path: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
let liqx: http.Server;
let liqxUrl = '';
let bigBodyBytesSent = 0;

before(async () => {
  liqx = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ path: req.url ?? '', headers: req.headers, body });
      const a = answers.shift() ?? { status: 500, body: { error: { code: 'NO_SCRIPT', message: 'no scripted answer' } } };
      if ('bytes' in a) {
        // A body far over the client's cap, streamed until the client stops reading.
        res.writeHead(a.status, { 'content-type': 'application/json' });
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        const pump = () => {
          while (bigBodyBytesSent < a.bytes) {
            bigBodyBytesSent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('error', () => undefined);
        res.socket?.on('close', () => res.destroy());
        return pump();
      }
      res.writeHead(a.status, { 'content-type': 'application/json' }).end('raw' in a ? a.raw : JSON.stringify(a.body));
    });
  });
  await new Promise<void>((r) => liqx.listen(0, '127.0.0.1', r));
  liqxUrl = `http://127.0.0.1:${(liqx.address() as AddressInfo).port}`;
});
after(() => {
  liqx.closeAllConnections();
  liqx.close();
});

const errors: SessionHandlerError[] = [];
const handler = (authorize: () => unknown = () => ({ owner: 'usr_alice', email: 'alice@example.com' })) =>
  createSessionHandler({
    liqx: { baseUrl: () => liqxUrl, apiKey: 'lqx_test_key', timeoutMs: 5000 },
    authorize: authorize as () => { owner: string; email: string },
    onError: (e) => errors.push(e),
    intent: (u, b) => ({
      external_ref: String(b.order ?? 'order-1'),
      external_user_id: 'usr_customer_9',
      // What the browser sends can never choose the owner, nor can intent() by mistake.
      owner: String(b.owner ?? 'usr_mallory'),
      legal_name: 'Kim Minji',
      user_email: u.email,
      return_url: 'https://partner.example/done',
      amount_krw: '100000',
      amount_usdt: '75.000000',
    }),
  });
const post = (body: unknown = { order: 'order-1' }) =>
  new Request('http://partner.test/api/payouts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const call = async (h: (r: Request) => Promise<Response>, body?: unknown) => {
  const res = await h(post(body));
  return { status: res.status, body: (await res.json()) as any };
};

const intent = (over: Record<string, unknown> = {}) => ({ intent_id: 'pi_1', status: 'reserved', phase: 'PAYOUT', external_ref: 'order-1', external_user_id: 'usr_customer_9', owner: 'usr_alice', amount_krw: '100000', amount_usdt: '75.000000', return_url: 'https://partner.example/done', created_at: '2026-11-29T00:00:00.000Z', expires_at: '2026-11-29T00:15:00.000Z', ...over });
const session = { session_id: 'ses_1', widget_url: 'https://widget.liqx.example/payout', session_token: 'tok_1', expires_at: '2026-11-29T00:15:00.000Z', intent_id: 'pi_1' };

test('the owner is authorize\'s: sent to LIQX on the intent, whatever the body or intent() say; the key is the order reference', async () => {
  answers = [{ status: 201, body: intent() }, { status: 201, body: session }];
  seen.length = 0;
  const res = await call(handler(), { order: 'order-1', owner: 'usr_bob' });
  assert.equal(res.status, 201);
  assert.equal(JSON.parse(seen[0]!.body).owner, 'usr_alice');
  assert.equal(seen[0]!.headers['idempotency-key'], 'intent:order-1');
});

test('authorize without a usable owner: 500 OWNER_REQUIRED, LIQX never called', async () => {
  seen.length = 0;
  errors.length = 0;
  for (const ctx of [{}, { owner: '' }, { owner: 42 }, { owner: 'x'.repeat(201) }, null, true]) {
    const res = await call(handler(() => ctx));
    assert.deepEqual([res.status, res.body.error.code], [500, 'OWNER_REQUIRED'], JSON.stringify(ctx));
  }
  assert.equal(seen.length, 0);
  assert.equal(errors.length, 6, 'each is reported to onError');
});

test('an intent of another owner or order, or a session of another intent, is never answered', async () => {
  answers = [{ status: 201, body: intent({ owner: 'usr_bob' }) }];
  assert.deepEqual(Object.values(await call(handler())).map((v: any) => v.error?.code ?? v), [502, 'UPSTREAM_INVALID_RESPONSE']);
  answers = [{ status: 201, body: intent({ external_ref: 'order-2' }) }];
  assert.equal((await call(handler())).body.error.code, 'UPSTREAM_INVALID_RESPONSE');
  answers = [{ status: 201, body: intent() }, { status: 201, body: { ...session, intent_id: 'pi_other' } }];
  const other = await call(handler());
  assert.deepEqual([other.status, other.body.error.code, other.body.widget_session], [502, 'UPSTREAM_INVALID_RESPONSE', undefined]);
});

test('LIQX statuses map to the kit\'s codes: business 4xx as is, a refused key 502 UPSTREAM_AUTH_REFUSED, others 502', async () => {
  errors.length = 0;
  const cases: [Answer, number, string][] = [
    [{ status: 422, body: { error: { code: 'KYC_NOT_VERIFIED', message: 'KYC missing' }, intent_id: 'pi_kyc' } }, 422, 'KYC_NOT_VERIFIED'],
    [{ status: 409, body: { error: { code: 'MERCHANT_CAPACITY_EXCEEDED', message: 'full' } } }, 409, 'MERCHANT_CAPACITY_EXCEEDED'],
    [{ status: 401, body: { error: { code: 'UNAUTHORIZED', message: 'A valid partner API key is required' } } }, 502, 'UPSTREAM_AUTH_REFUSED'],
    [{ status: 403, raw: 'forbidden' }, 502, 'UPSTREAM_AUTH_REFUSED'],
    [{ status: 304, raw: '' }, 502, 'UPSTREAM_ERROR'],
    [{ status: 503, body: { error: { code: 'MAINTENANCE', message: 'later' } } }, 502, 'UPSTREAM_ERROR'],
    [{ status: 500, raw: '<html>' }, 502, 'UPSTREAM_ERROR'],
    [{ status: 201, body: intent() }, 502, 'UPSTREAM_ERROR'], // then the session call gets NO_SCRIPT 500
  ];
  for (const [answer, status, code] of cases) {
    answers = [answer];
    const res = await call(handler());
    assert.deepEqual([res.status, res.body.error.code], [status, code], JSON.stringify(answer));
    assert.equal(res.body.error.upstream_status, answer.status === 201 ? 500 : answer.status);
  }
  // The browser never sees a 401 that reads like "sign in"; the logs get every server-side fault, never the key.
  assert.equal(errors.length, 6);
  assert.ok(errors.every((e) => !JSON.stringify(e).includes('lqx_test_key')));
});

test('an upstream body over the cap is not read whole: 502 UPSTREAM_INVALID_RESPONSE', async () => {
  bigBodyBytesSent = 0;
  answers = [{ status: 201, bytes: 200 * 1024 * 1024 }];
  const res = await call(handler());
  assert.deepEqual([res.status, res.body.error.code], [502, 'UPSTREAM_INVALID_RESPONSE']);
  assert.ok(bigBodyBytesSent < 50 * 1024 * 1024, `the stand-in wrote ${bigBodyBytesSent} bytes before the client stopped`);
});

/** Values near and over every bound of the element's session schema, and some that are simply wrong. */
const sessionValue = fc.record(
  {
    session_id: fc.oneof(fc.string({ minLength: 0, maxLength: 3 }), fc.constantFrom('ses_1', 'x'.repeat(200), 'x'.repeat(201)), fc.integer()),
    widget_url: fc.oneof(
      fc.webUrl(),
      fc.constantFrom('https://widget.liqx.example/p', 'http://127.0.0.1:9/w', 'javascript:alert(1)', 'ftp://liqx.example/w', 'data:text/html,x', '//liqx.example/w', 'not a url', ''),
    ),
    session_token: fc.oneof(fc.string({ minLength: 0, maxLength: 5 }), fc.constantFrom('t'.repeat(4096), 't'.repeat(4097))),
    expires_at: fc.oneof(
      fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      fc.constantFrom('2026-11-29T00:15:00+09:00', '2026-11-29', '2026-11-29T00:15:00', 'tomorrow', '2026-13-01T00:00:00Z'),
    ),
    intent_id: fc.constantFrom('pi_1', '', 'p'.repeat(201)),
  },
  { requiredKeys: ['session_id', 'session_token', 'widget_url'] },
);

test('property: the handler answers 201 with a session exactly when the element accepts it', async () => {
  const h = handler();
  await fc.assert(
    fc.asyncProperty(sessionValue, async (value) => {
      answers = [{ status: 201, body: intent() }, { status: 201, body: value }];
      const res = await call(h);
      const element = resolveSession(value);
      assert.equal(res.status === 201, element.ok, `handler ${res.status} ${res.body.error?.code ?? ''}, element ${element.ok}`);
      if (res.status === 201) {
        assert.ok(resolveSession(res.body.widget_session).ok, 'what the handler answered parses in the element');
      } else {
        assert.deepEqual([res.status, res.body.error.code], [502, 'UPSTREAM_INVALID_RESPONSE']);
      }
    }),
    { numRuns: 300 },
  );
});
