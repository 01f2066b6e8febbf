/**
 * Sample webhooks for the diagnostics panel's "Send sample event" buttons, built from the providers' documented
 * examples (../shared/seeds/): the cash-out reference and Ipay bodies are the documents' example text, comments
 * and trailing commas included, with fresh ids so each click is a new event. The LIQX sample follows the mock
 * LIQX's contract (../liqx-contract.ts WebhookEvent).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { WebhookEvent } from '../../contract/liqx.js';

export const SAMPLE_PROVIDERS = ['liqx', 'cashout-reference', 'ipay'] as const;
export type SampleProvider = (typeof SAMPLE_PROVIDERS)[number];

/** CASHOUT_REFERENCE_COMPLETED, verbatim from cashout-reference-webhooks.txt. */
const CASHOUT_COMPLETED_EXAMPLE = `{
	  "event_type": "PAYMENT_REQUEST_CASHOUT", /* API Event Type */
	  "event_type_description": "CASHOUT_REFERENCE_COMPLETED", /* Event Sub-Type description */
	  "webhook_notification_code": 8001, /* Webhook notification event code */
	  "created_at": "2024-07-15 12:34:56", /* The timestamp when the event was created */
	  "first_sent_at": "2024-07-15 12:36:00", /* The timestamp of first attempt to send the event */
	  "attempts": 1, /* Attempts made by the webhook */
	  "account_id": 321, /* Account ID related with the event sent */
	  "customer_id": 345, /* Customer ID related with the event, if exist. */
    "request_id": 12343, /* If exist, our internal request ID related with the event. */
	  "transaction_id": "trx_ewrehe77r6t8et8t6", /* External transaction ID related with the event, if exist */
	  "details": {
		    "id": null, /* Object ID of the API resource created/updated */
		    "code": "128944531190", /*  Cashout reference */
        "name": "SUCCESS", /* Object Code of the API resource created/updated */
		    "status": "success", /* The status of the action */
	  }
}`;

/** The example of ipay-payout-webhooks.txt, verbatim ("payoutUpdate", amount in cents, milliseconds). */
const IPAY_EXAMPLE = `{
    "event": "payoutUpdate",
    "amount": 2000,
    "currency": "AUD",
    "payout_id": "3971f24a-b901-4bdb-b3a5-7690ca350cd3",
    "batch_id": "b4ac0283-354c-4008-9b25-0338198b6fa0",
    "batch_run_time": 1710282140000,
    "receiver_account_id": "6afec8ad-c026-463b-9f09-f60adfae10a0",
    "receiver_id":"e4908c83-6656-408a-8ba2-61dae8f039a5",
    "reference": "ref-a00020",
    "status": "successful",
    "subccount_id": "ccb93d70-00d0-4ec4-a454-32bfc8e8428f",
    "timestamp": 1710091428000
}`;

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
