/**
 * `liqx-payout-widget/webhooks` runs on Web Crypto runtimes: bundled (with zod) and run in a bare V8 context that
 * has only Web-standard globals (no process, Buffer, require or DOM), it verifies and normalizes. And the import
 * boundaries hold: no node: imports or DOM access in src/webhooks, and no browser entry reaches src/webhooks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import vm from 'node:vm';
import { build } from 'esbuild';
import { Webhook } from 'standardwebhooks';
import { liqxPayload } from '../../fixtures/webhooks/samples.js';

const files = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));

test('src/webhooks imports nothing from node: and touches no DOM global', () => {
  for (const f of files('src/webhooks')) {
    const code = readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
    assert.doesNotMatch(code, /from\s+['"]node:|require\(/, f);
    assert.doesNotMatch(code, /\b(document|window|navigator|HTMLElement|customElements)\b/, f);
    for (const [, spec] of code.matchAll(/from\s+['"]([^'"]+)['"]/g)) {
      assert.ok(spec!.startsWith('.') || spec === 'zod', `${f} imports ${spec}`);
    }
  }
});

test('no browser entry reaches src/webhooks', async () => {
  for (const entry of ['src/index.ts', 'src/define.ts', 'src/frame/index.ts', 'src/script-tag.ts']) {
    const result = await build({ entryPoints: [entry], bundle: true, write: false, metafile: true, platform: 'browser', format: 'esm', logLevel: 'silent', external: ['lit', 'lit/*', '@lit/*', 'penpal', 'zod', 'zod/*'] });
    const inputs = Object.keys(result.metafile!.inputs);
    assert.ok(inputs.length > 1, entry);
    assert.deepEqual(inputs.filter((i) => i.includes('src/webhooks')), [], entry);
  }
});

test('bundled, it verifies and normalizes in a context with only Web-standard globals', async () => {
  const bundle = await build({
    entryPoints: ['src/webhooks/index.ts'],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'iife',
    globalName: 'webhooks',
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const code = bundle.outputFiles[0]!.text;
  // What a worker-style runtime offers; nothing Node-specific.
  const context = vm.createContext({
    crypto: globalThis.crypto,
    TextEncoder,
    TextDecoder,
    atob,
    btoa,
    structuredClone,
    Headers,
    URL,
    console,
  });
  assert.equal(vm.runInContext('typeof process + typeof Buffer + typeof require + typeof document', context), 'undefinedundefinedundefinedundefined');
  vm.runInContext(code, context);

  const secret = `whsec_${Buffer.from('runtime-test-secret-0123456789').toString('base64')}`;
  const body = JSON.stringify(liqxPayload('transaction.completed'));
  const at = new Date();
  const headers = {
    'webhook-id': 'msg_rt',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': new Webhook(secret).sign('msg_rt', at, body),
  };
  Object.assign(context, { input: { secret, body, headers } });
  const result = await vm.runInContext(
    `(async () => {
       const { PayoutWebhook, SharedSecretScheme, parseWebhookBody, normalizePayoutWebhook, receiptKey } = webhooks;
       const liqx = new PayoutWebhook('liqx', { secret: [input.secret] });
       const { receipt, key } = await liqx.verify(new TextEncoder().encode(input.body), new Headers(input.headers));
       if (key !== await receiptKey(receipt)) throw new Error('key mismatch');
       const shared = new SharedSecretScheme('s');
       await shared.verify('{"a":1}', await shared.sign('{"a":1}'));
       const cash = normalizePayoutWebhook('cashout-reference', parseWebhookBody(${JSON.stringify(readFileSync('demo/contract/provider-examples/cashout-reference/CASHOUT_REFERENCE_EXPIRED.jsonc', 'utf8'))}), { timeZone: 'Asia/Seoul' });
       return JSON.stringify({ key: await receiptKey(receipt), status: receipt.status, cashKey: await receiptKey(cash), cashAt: cash.occurredAt });
     })()`,
    context,
  );
  const out = JSON.parse(result);
  assert.equal(out.key, 'liqx:msg_rt');
  assert.equal(out.status, 'completed');
  assert.match(out.cashKey, /^cashout-reference:sha256:[0-9a-f]{64}$/);
  assert.equal(out.cashAt, '2024-07-15T03:34:56.000Z');
});
