/**
 * DEMO ONLY: the bodies the sample sender signs, built from the providers' documented examples
 * (demo/contract/provider-examples/): the cash-out reference and Ipay bodies are the documents' example text,
 * comments and trailing commas included, with fresh ids so each click is a new event. The LIQX sample is the
 * package's LiqxWebhookEvent.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { WebhookEvent } from '../../contract/liqx.js';
import { WebhookProvider } from '../../../src/webhooks/receipt.js';

/** Every provider the package reads has a sample: the list is the package's. */
export const SAMPLE_PROVIDERS = WebhookProvider.options;
export type SampleProvider = WebhookProvider;

/** The providers' documented examples, verbatim (demo/contract/provider-examples/, also read by the tests). */
const example = (path: string) => readFileSync(new URL(`../../contract/provider-examples/${path}`, import.meta.url), 'utf8').trimEnd();
/** CASHOUT_REFERENCE_COMPLETED, verbatim from cashout-reference-webhooks.txt. */
const CASHOUT_COMPLETED_EXAMPLE = example('cashout-reference/CASHOUT_REFERENCE_COMPLETED.jsonc');
/** The example of ipay-payout-webhooks.txt, verbatim ("payoutUpdate", amount in cents, milliseconds). */
const IPAY_EXAMPLE = example('ipay/example.jsonc');

const pad = (n: number) => String(n).padStart(2, '0');
/** `YYYY-MM-DD HH:mm:ss` in UTC, the cash-out reference's zone-less format (the demo reads it as UTC). */
const wallClockUtc = (d: Date) =>
  `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

/** Replaces one `"key": value` in the example text, asserting it was there (the examples are fixed text). */
function replaceValue(text: string, key: string, value: string | number): string {
  const re = new RegExp(`("${key}"\\s*:\\s*)("[^"]*"|\\d+)`);
  if (!re.test(text)) throw new Error(`sample has no "${key}"`);
  return text.replace(re, `$1${JSON.stringify(value)}`);
}

/** A fresh sample body of the provider, and the id the sender puts in a header (LIQX only). */
export function sampleWebhook(provider: SampleProvider, now = new Date()): { body: string; webhookId?: string } {
  const tag = randomBytes(6).toString('hex');
  switch (provider) {
    case 'cashout-reference': {
      let body = replaceValue(CASHOUT_COMPLETED_EXAMPLE, 'created_at', wallClockUtc(now));
      body = replaceValue(body, 'first_sent_at', wallClockUtc(now));
      body = replaceValue(body, 'transaction_id', `trx_sample_${tag}`);
      body = replaceValue(body, 'code', String(parseInt(tag, 16)).padStart(12, '0').slice(-12));
      return { body };
    }
    case 'ipay': {
      let body = replaceValue(IPAY_EXAMPLE, 'payout_id', randomUUID());
      body = replaceValue(body, 'reference', `ref-sample-${tag}`);
      body = replaceValue(body, 'timestamp', now.getTime());
      return { body };
    }
    case 'liqx': {
      const event: WebhookEvent = {
        type: 'transaction.completed',
        timestamp: now.toISOString(),
        data: {
          intent_id: `pi_sample_${tag}`,
          external_ref: `ext_sample_${tag}`,
          external_user_id: 'crm-user-0001',
          phase: 'PAYOUT',
          status: 'completed',
          amount_krw: '100000',
          amount_usdt: '75.000000',
          transaction_id: `tx_sample_${tag}`,
          attempt: 1,
        },
      };
      return { body: JSON.stringify(event), webhookId: `msg_sample_${tag}` };
    }
  }
}
