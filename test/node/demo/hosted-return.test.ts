/**
 * Hosted mode without a browser: the kit's verifyHostedReturn (signature, tampering, age, replay, rotation, bad
 * input) and the mock LIQX's hosted routes over HTTP (the link's single-use code, the cookie-bound page, the signed
 * return after the payout ended, the kit's LiqxClient.createHostedLink). The browser flows: test/e2e/hosted.e2e.test.ts.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';
import { signHostedReturn } from '../../../src/server/hosted-return.js';
import { createLiqxClient, HostedReturnError, verifyHostedReturn, type HostedReturnPayload } from '../../../src/server/internal.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SECRET = `whsec_${Buffer.from('hosted-return-test-secret-0001').toString('base64')}`;
const OTHER = `whsec_${Buffer.from('hosted-return-test-secret-0002').toString('base64')}`;
const T0 = Date.parse('2026-12-03T08:00:00Z');

const payload = (over: Partial<HostedReturnPayload> = {}): HostedReturnPayload => ({
  v: 1,
  return_id: 'ret_0123456789abcdef',
  intent_id: 'pi_0001',
  session_id: 'ws_0001',
  external_ref: 'ord_0001',
  outcome: 'completed',
  transaction_id: 'tx_0001',
  issued_at: Math.floor(T0 / 1000),
  ...over,
});

const returnUrl = async (p = payload(), secret: string | string[] = SECRET) => {
  const signed = await signHostedReturn(p, secret);
  const url = new URL('https://partner.example/payouts/done?order=ord_0001');
  url.searchParams.set('liqx_result', signed.liqx_result);
  url.searchParams.set('liqx_sig', signed.liqx_sig);
  return url;
};

async function refused(code: string, run: () => Promise<unknown>): Promise<void> {
  await assert.rejects(run, (e: unknown) => e instanceof HostedReturnError && e.code === code);
}

test('a signed return verifies from a URL, a string, a query string and URLSearchParams, with its payload typed', async () => {
  const url = await returnUrl();
  for (const input of [url, url.toString(), url.search.slice(1), url.searchParams, `/payouts/done${url.search}`]) {
    const r = await verifyHostedReturn(input, { secret: SECRET, now: () => T0 });
    assert.equal(r.intent_id, 'pi_0001');
    assert.equal(r.outcome, 'completed');
    assert.equal(r.transaction_id, 'tx_0001');
    assert.equal(r.issuedAt.getTime(), T0);
  }
});

test('a tampered payload, a tampered signature, another secret and an unknown signature version are refused: BAD_SIGNATURE', async () => {
  const url = await returnUrl();
  const forged = await returnUrl(payload({ outcome: 'rejected' }), OTHER);
  // The payload of another (validly signed) return with this return's signature.
  const swapped = new URLSearchParams(url.searchParams);
  swapped.set('liqx_result', forged.searchParams.get('liqx_result')!);
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(swapped, { secret: SECRET, now: () => T0 }));
  // One character of the payload changed.
  const edited = new URLSearchParams(url.searchParams);
  const r = edited.get('liqx_result')!;
  edited.set('liqx_result', r.slice(0, 10) + (r[10] === 'A' ? 'B' : 'A') + r.slice(11));
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(edited, { secret: SECRET, now: () => T0 }));
  // One character of the signature changed.
  const sig = new URLSearchParams(url.searchParams);
  const s = sig.get('liqx_sig')!;
  sig.set('liqx_sig', s.slice(0, 5) + (s[5] === 'A' ? 'B' : 'A') + s.slice(6));
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(sig, { secret: SECRET, now: () => T0 }));
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(forged, { secret: SECRET, now: () => T0 }));
  const unknownVersion = new URLSearchParams(url.searchParams);
  unknownVersion.set('liqx_sig', 'v2,abc');
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(unknownVersion, { secret: SECRET, now: () => T0 }));
});

test('during a rotation the return carries one signature per secret and verifies with either', async () => {
  const url = await returnUrl(payload(), [SECRET, OTHER]);
  assert.equal(url.searchParams.get('liqx_sig')!.split(' ').length, 2);
  assert.equal((await verifyHostedReturn(url, { secret: OTHER, now: () => T0 })).intent_id, 'pi_0001');
  assert.equal((await verifyHostedReturn(url, { secret: [OTHER, SECRET], now: () => T0 })).intent_id, 'pi_0001');
});

test('age: within the tolerance it verifies; older or from the future it is EXPIRED', async () => {
  const url = await returnUrl();
  assert.ok(await verifyHostedReturn(url, { secret: SECRET, now: () => T0 + 300_000 }));
  await refused('EXPIRED', () => verifyHostedReturn(url, { secret: SECRET, now: () => T0 + 301_000 }));
  await refused('EXPIRED', () => verifyHostedReturn(url, { secret: SECRET, now: () => T0 + 11_000, toleranceSeconds: 10 }));
  await refused('EXPIRED', () => verifyHostedReturn(url, { secret: SECRET, now: () => T0 - 301_000 }));
  await assert.rejects(() => verifyHostedReturn(url, { secret: SECRET, toleranceSeconds: -1, now: () => T0 }), RangeError);
});

test('replay: with claim, the same return verifies once, then REPLAYED; claim gets the id and when it may be forgotten', async () => {
  const seen = new Map<string, Date>();
  const claim = (id: string, until: Date) => (seen.has(id) ? false : (seen.set(id, until), true));
  const url = await returnUrl();
  await verifyHostedReturn(url, { secret: SECRET, now: () => T0, claim });
  assert.deepEqual([...seen], [['ret_0123456789abcdef', new Date(T0 + 300_000)]]);
  await refused('REPLAYED', () => verifyHostedReturn(url, { secret: SECRET, now: () => T0, claim: async (id, u) => claim(id, u) }));
  // A return that fails its signature is never claimed.
  const other = await returnUrl(payload({ return_id: 'ret_ffffffffffffffff' }), OTHER);
  await refused('BAD_SIGNATURE', () => verifyHostedReturn(other, { secret: SECRET, now: () => T0, claim }));
  assert.equal(seen.size, 1);
});

test('bad input is a typed error: missing or doubled parameters, a payload that is not the contract, bad secrets', async () => {
  const url = await returnUrl();
  await refused('MISSING_PARAMS', () => verifyHostedReturn('https://partner.example/done', { secret: SECRET }));
  await refused('MISSING_PARAMS', () => verifyHostedReturn(`${url}&liqx_sig=v1,abc`, { secret: SECRET, now: () => T0 }));
  await refused('MISSING_PARAMS', () => verifyHostedReturn(`liqx_result=${'a'.repeat(5000)}&liqx_sig=v1,abc`, { secret: SECRET }));
  await refused('MALFORMED', () => verifyHostedReturn(`liqx_result=abc&liqx_sig=v1,***`, { secret: SECRET }));
  await refused('MISSING_PARAMS', () => verifyHostedReturn(42 as unknown as string, { secret: SECRET }));
  await refused('INVALID_SECRET', () => verifyHostedReturn(url, { secret: [] }));
  await refused('INVALID_SECRET', () => verifyHostedReturn(url, { secret: 'whsec_!!' }));
  // Correctly signed, but not a hosted return: the signature passes, the shape does not.
  const { createHmac } = await import('node:crypto');
  const body = Buffer.from(JSON.stringify({ v: 1, outcome: 'completed' })).toString('base64url');
  const sig = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64')).update(`liqx-hosted-return.v1.${body}`).digest('base64url');
  await refused('MALFORMED', () => verifyHostedReturn(`liqx_result=${body}&liqx_sig=v1,${sig}`, { secret: SECRET, now: () => T0 }));
  // The signer refuses a payload outside the contract too.
  await assert.rejects(() => signHostedReturn({ ...payload(), outcome: 'paid' as 'completed' }, SECRET));
});

// The mock LIQX's routes.
let sandbox: RunningSandbox;
let dist: string;

before(async () => {
  dist = mkdtempSync(join(tmpdir(), 'liqx-hosted-node-'));
  mkdirSync(join(dist, 'frame'));
  // The page's source has the meta tags the server fills; its script is not run here.
  copyFileSync(join(ROOT, 'demo/frame/hosted.html'), join(dist, 'frame/hosted.html'));
  sandbox = await startSandbox({ port: 0, distDir: dist, confirmDelayMs: 0, webhookSecret: SECRET, previousWebhookSecret: OTHER });
});
after(async () => {
  await sandbox?.close();
  rmSync(dist, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${sandbox.apiKey}`, 'content-type': 'application/json' });

async function reservedIntent(ref: string): Promise<string> {
  const res = await fetch(`${sandbox.url}/v1/payout-intents`, {
    method: 'POST',
    headers: auth(),
    body: JSON.stringify({ scenario: 'VERIFIED', external_ref: ref, external_user_id: 'usr_h', legal_name: 'Jane', user_email: 'j@example.com', return_url: 'https://partner.example/done?order=' + ref, amount_krw: '10000', amount_usdt: '7.500000' }),
  });
  assert.equal(res.status, 201);
  return (await res.json()).intent_id;
}

test('mock LIQX: a hosted link carries a single-use code; the page needs the cookie it set; the return is signed once the payout ended', async () => {
  const client = createLiqxClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });
  const intentId = await reservedIntent('ord_hosted_node_1');
  const link = await client.createHostedLink(intentId);
  assert.ok(link.ok, JSON.stringify(link));
  const url = new URL(link.data.url);
  assert.equal(url.pathname, '/hosted/start');
  assert.deepEqual([...url.searchParams.keys()], ['code']);
  assert.ok(Date.parse(link.data.expires_at) - Date.now() <= 120_000);

  const start = await fetch(url, { redirect: 'manual' });
  assert.equal(start.status, 303);
  assert.equal(start.headers.get('location'), `/hosted/${link.data.session_id}`);
  assert.equal(start.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(start.headers.get('cache-control'), 'no-store');
  const cookie = start.headers.get('set-cookie')!;
  assert.match(cookie, /HttpOnly/i);
  assert.match(cookie, new RegExp(`Path=/hosted/${link.data.session_id}`));
  const jar = cookie.split(';')[0]!;

  // Single use: the same code again, from anyone, is gone.
  assert.equal((await fetch(url, { redirect: 'manual' })).status, 410);
  // Without the cookie the page is not served.
  assert.equal((await fetch(`${sandbox.url}/hosted/${link.data.session_id}`)).status, 401);

  const page = await fetch(`${sandbox.url}/hosted/${link.data.session_id}`, { headers: { cookie: jar } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-security-policy')!, /frame-ancestors 'none'/);
  const html = await page.text();
  const token = /name="liqx-session-token" content="([^"]+)"/.exec(html)?.[1];
  assert.match(token ?? '', /^lqxwst_/);
  assert.ok(!link.data.url.includes(token!));

  // While the payout is open there is nothing to return.
  assert.equal((await fetch(`${sandbox.url}/hosted/${link.data.session_id}/return`, { headers: { cookie: jar }, redirect: 'manual' })).status, 409);
  const confirmed = await fetch(`${sandbox.url}/v1/widget/payout/confirm`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  assert.equal(confirmed.status, 200);
  const back = await fetch(`${sandbox.url}/hosted/${link.data.session_id}/return`, { headers: { cookie: jar }, redirect: 'manual' });
  assert.equal(back.status, 303);
  assert.equal(back.headers.get('referrer-policy'), 'no-referrer');
  const landed = new URL(back.headers.get('location')!);
  assert.equal(landed.origin + landed.pathname, 'https://partner.example/done');
  assert.equal(landed.searchParams.get('order'), 'ord_hosted_node_1');
  assert.ok(!landed.toString().includes(token!));
  // Signed with both secrets during the rotation: either verifies.
  for (const secret of [SECRET, OTHER]) {
    const r = await verifyHostedReturn(landed, { secret });
    assert.equal(r.intent_id, intentId);
    assert.equal(r.outcome, 'completed');
    assert.equal(r.session_id, link.data.session_id);
    assert.match(r.transaction_id ?? '', /^tx_/);
  }
  // The visit ended with the return: a second return is refused rather than signed again.
  assert.equal((await fetch(`${sandbox.url}/hosted/${link.data.session_id}/return`, { headers: { cookie: jar }, redirect: 'manual' })).status, 401);
  // A finished intent opens no new link.
  const again = await client.createHostedLink(intentId);
  assert.ok(!again.ok && again.status === 409 && again.code === 'INTENT_NOT_RESERVED');
});

test('mock LIQX: hosted links need the partner key and a known, reserved intent; an unknown code is 410', async () => {
  const intentId = await reservedIntent('ord_hosted_node_2');
  assert.equal((await fetch(`${sandbox.url}/v1/payout-intents/${intentId}/hosted-links`, { method: 'POST' })).status, 401);
  assert.equal((await fetch(`${sandbox.url}/v1/payout-intents/pi_missing/hosted-links`, { method: 'POST', headers: auth() })).status, 404);
  assert.equal((await fetch(`${sandbox.url}/hosted/start?code=not-a-code`, { redirect: 'manual' })).status, 410);
  assert.equal((await fetch(`${sandbox.url}/hosted/start`, { redirect: 'manual' })).status, 410);
  // A second link for the same intent revokes the first one's session, as a second widget session does.
  const first = await (await fetch(`${sandbox.url}/v1/payout-intents/${intentId}/hosted-links`, { method: 'POST', headers: auth() })).json();
  const second = await (await fetch(`${sandbox.url}/v1/payout-intents/${intentId}/hosted-links`, { method: 'POST', headers: auth() })).json();
  assert.notEqual(first.session_id, second.session_id);
  const jar = (await fetch(first.url, { redirect: 'manual' })).headers.get('set-cookie')!.split(';')[0]!;
  const html = await (await fetch(`${sandbox.url}/hosted/${first.session_id}`, { headers: { cookie: jar } })).text();
  const token = /name="liqx-session-token" content="([^"]+)"/.exec(html)![1];
  const read = await fetch(`${sandbox.url}/v1/widget/payout`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(read.status, 401);
  assert.equal((await read.json()).error.code, 'SESSION_REVOKED');
});

test('mock LIQX: an expired payout still returns after its session ended (within the grace), signed expired; past the grace the visit is gone', async () => {
  let clock = Date.now();
  const timed = await startSandbox({ port: 0, distDir: dist, confirmDelayMs: 0, webhookSecret: SECRET, now: () => clock });
  try {
    const headers = { authorization: `Bearer ${timed.apiKey}`, 'content-type': 'application/json' };
    const create = (ref: string) =>
      fetch(`${timed.url}/v1/payout-intents`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ scenario: 'EXPIRES', external_ref: ref, external_user_id: 'usr_h', legal_name: 'Jane', user_email: 'j@example.com', return_url: 'https://partner.example/done', amount_krw: '10000', amount_usdt: '7.500000' }),
      }).then((r) => r.json());
    const open = async (ref: string) => {
      const intent = await create(ref);
      const link = await (await fetch(`${timed.url}/v1/payout-intents/${intent.intent_id}/hosted-links`, { method: 'POST', headers })).json();
      const start = await fetch(link.url, { redirect: 'manual' });
      assert.equal(start.status, 303);
      return { intent, link, jar: start.headers.get('set-cookie')!.split(';')[0]! };
    };
    const { HOSTED_RETURN_GRACE_MS } = await import('../../../demo/server/liqx/hosted.js');
    const a = await open('ord_hosted_grace_1');
    const b = await open('ord_hosted_grace_2');
    // Past the reservation's deadline (EXPIRES: 8 s by default) and its session's, inside the grace.
    clock += 60_000;
    const back = await fetch(`${timed.url}/hosted/${a.link.session_id}/return`, { headers: { cookie: a.jar }, redirect: 'manual' });
    assert.equal(back.status, 303);
    const r = await verifyHostedReturn(back.headers.get('location')!, { secret: SECRET, now: () => clock });
    assert.deepEqual([r.intent_id, r.outcome, r.reason_code], [a.intent.intent_id, 'expired', 'INTENT_EXPIRED']);
    // Past the grace the visit is over: no page, no return.
    clock += HOSTED_RETURN_GRACE_MS;
    assert.equal((await fetch(`${timed.url}/hosted/${b.link.session_id}`, { headers: { cookie: b.jar } })).status, 401);
    assert.equal((await fetch(`${timed.url}/hosted/${b.link.session_id}/return`, { headers: { cookie: b.jar }, redirect: 'manual' })).status, 401);
  } finally {
    await timed.close();
  }
});
