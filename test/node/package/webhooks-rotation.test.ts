/**
 * Secret rotation and the signature-candidate bound, for all three providers' schemes, through createWebhookHandler
 * on a real SQLite store: during the grace period a receiver holding [new, old] accepts deliveries signed with the
 * old secret only, the new one only, or both; a third secret is 401; once the old secret is dropped, old-only is 401.
 * A header stuffed with bogus signatures costs one HMAC per secret, and past MAX_SIGNATURE_CANDIDATES none at all.
 */
import { test, before, after, mock } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import nodeCrypto, { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { createWebhookHandler, sqliteReceiptStore, type ReceiptStore } from '../../../src/server/index.js';
import { parseWebhookBody, type WebhookProvider } from '../../../src/webhooks/index.js';
import { MAX_SIGNATURE_CANDIDATES, SharedSecretScheme, StandardWebhookScheme } from '../../../src/webhooks/verify.js';
import { docExamples, liqxPayload } from '../../fixtures/webhooks/samples.js';

const whsec = () => `whsec_${randomBytes(24).toString('base64')}`;
const SECRETS = {
  liqx: { old: whsec(), new: whsec(), other: whsec() },
  'cashout-reference': { old: 'cashout-old', new: 'cashout-new', other: 'cashout-other' },
  ipay: { old: 'ipay-old', new: 'ipay-new', other: 'ipay-other' },
} as const;
const PROVIDERS = Object.keys(SECRETS) as WebhookProvider[];

const dir = mkdtempSync(join(tmpdir(), 'liqx-rotation-'));
let store: ReceiptStore;
/** The receiver during the grace period ([new, old]) and after it ([new]). */
let grace: (r: Request) => Promise<Response>;
let after_: (r: Request) => Promise<Response>;

before(async () => {
  store = await sqliteReceiptStore(join(dir, 'receipts.sqlite'));
  const handler = (pick: (s: { old: string; new: string }) => string[]) =>
    createWebhookHandler({
      providers: PROVIDERS,
      secrets: {
        liqx: { secret: pick(SECRETS.liqx) },
        'cashout-reference': { secret: pick(SECRETS['cashout-reference']) },
        ipay: { secret: pick(SECRETS.ipay) },
      },
      store,
    });
  grace = handler((s) => [s.new, s.old]);
  after_ = handler((s) => [s.new]);
});
after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
/** A fresh, valid body for the provider (a new event each time, so each 200 is a new receipt). */
function body(provider: WebhookProvider): string {
  const i = ++n;
  if (provider === 'liqx') return JSON.stringify(liqxPayload('transaction.completed', { intent_id: `pi_rot_${i}` }));
  const example = docExamples(provider)[0]!;
  const payload = parseWebhookBody(example.text) as Record<string, any>;
  if (provider === 'ipay') payload.payout_id = `po_rot_${i}`;
  else payload.details = { ...payload.details, code: `REF-ROT-${i}` };
  return JSON.stringify(payload);
}

/** A request to the provider's path, signed with the given secrets (the sender's side of the rotation). */
async function signed(provider: WebhookProvider, secrets: string[], text = body(provider), extra: Record<string, string> = {}): Promise<Request> {
  const ts = Math.floor(Date.now() / 1000);
  let headers: Record<string, string>;
  if (provider === 'liqx') {
    const id = `msg_rot_${++n}`;
    headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': await new StandardWebhookScheme(secrets).sign(id, ts, text) };
  } else {
    headers = await new SharedSecretScheme(secrets).sign(text, ts);
  }
  return new Request(`http://partner.test/webhooks/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers, ...extra },
    body: text,
  });
}

const answer = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code });

for (const provider of PROVIDERS) {
  const s = SECRETS[provider];
  test(`${provider}: during the grace period old only, new only and both verify; a third secret is 401`, async () => {
    for (const sender of [[s.old], [s.new], [s.new, s.old]]) {
      assert.deepEqual(await answer(await grace(await signed(provider, sender))), { status: 200, code: undefined }, `signed with ${sender.length} secret(s)`);
    }
    assert.deepEqual(await answer(await grace(await signed(provider, [s.other]))), { status: 401, code: 'BAD_SIGNATURE' });
  });

  test(`${provider}: after the old secret is dropped, old only is 401 and new (alone or beside old) verifies`, async () => {
    assert.deepEqual(await answer(await after_(await signed(provider, [s.old]))), { status: 401, code: 'BAD_SIGNATURE' });
    assert.equal((await after_(await signed(provider, [s.new]))).status, 200);
    assert.equal((await after_(await signed(provider, [s.old, s.new]))).status, 200);
  });
}

test('a two-secret Standard Webhooks header is two v1 signatures, each verified by the standardwebhooks package', async () => {
  const { old, new: current } = SECRETS.liqx;
  const at = new Date();
  const text = body('liqx');
  const header = await new StandardWebhookScheme([current, old]).sign('msg_pkg', at.getTime() / 1000, text);
  assert.deepEqual(header.split(' '), [new Webhook(current).sign('msg_pkg', at, text), new Webhook(old).sign('msg_pkg', at, text)]);
  const headers = { 'webhook-id': 'msg_pkg', 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': header };
  for (const secret of [current, old]) assert.deepEqual(new Webhook(secret).verify(text, headers), JSON.parse(text));
});

test('no secret, an empty list, or a malformed secret in the list is INVALID_SECRET', () => {
  for (const make of [() => new StandardWebhookScheme([]), () => new StandardWebhookScheme([whsec(), 'whsec_***']), () => new SharedSecretScheme(['a', ''])]) {
    assert.throws(make, (e: any) => e.code === 'INVALID_SECRET');
  }
});

for (const provider of PROVIDERS) {
  test(`${provider}: a header of bogus candidates costs one HMAC per secret; past ${MAX_SIGNATURE_CANDIDATES} it is 401 before any`, async (t) => {
    const s = SECRETS[provider];
    const name = provider === 'liqx' ? 'webhook-signature' : 'x-webhook-signature';
    const bogus = (k: number) =>
      Array.from({ length: k }, () => (provider === 'liqx' ? `v1,${randomBytes(32).toString('base64')}` : `sha256=${randomBytes(32).toString('hex')}`));
    const sep = provider === 'liqx' ? ' ' : ', ';
    // An HMAC is either Node's (createHmac, where the runtime has it) or Web Crypto's: count both.
    const subtle = t.mock.method(globalThis.crypto.subtle, 'sign');
    const node = t.mock.method(nodeCrypto, 'createHmac');
    const sign = { mock: { resetCalls: () => (subtle.mock.resetCalls(), node.mock.resetCalls()), callCount: () => subtle.mock.callCount() + node.mock.callCount() } };

    // The real signature among MAX - 1 bogus ones: verified with one HMAC per receiver secret (two), not per candidate.
    const good = await signed(provider, [s.new]);
    const padded = [...bogus(MAX_SIGNATURE_CANDIDATES - 1), good.headers.get(name)!].join(sep);
    const text = await good.clone().text();
    const stuffed = new Request(good.url, { method: 'POST', headers: { ...Object.fromEntries(good.headers), [name]: padded }, body: text });
    sign.mock.resetCalls();
    assert.equal((await grace(stuffed)).status, 200);
    assert.equal(sign.mock.callCount(), 2, 'one HMAC per configured secret');

    // One more candidate: refused from the headers alone.
    const over = new Request(good.url, { method: 'POST', headers: { ...Object.fromEntries(good.headers), [name]: [...bogus(MAX_SIGNATURE_CANDIDATES), good.headers.get(name)!].join(sep) }, body: text });
    sign.mock.resetCalls();
    assert.deepEqual(await answer(await grace(over)), { status: 401, code: 'TOO_MANY_SIGNATURES' });
    assert.equal(sign.mock.callCount(), 0, 'no HMAC for a header over the bound');
    mock.restoreAll();
  });
}
