/**
 * Mock LIQX state, in memory: payout intents, widget sessions and their tokens, and the server-side
 * expiry timers (authoritative: the frame's countdown only mirrors them).
 *
 * Every intent reaches exactly one terminal status (completed | failed | expired) and `onOutcome` is
 * called once for it; the webhook dispatcher hangs off that callback.
 */
import { randomBytes } from 'node:crypto';
import type { CreateIntentRequest, Failure, Intent, IntentStatus, WidgetPayout, WidgetSession } from '../liqx-contract.js';

export interface IntentRecord extends Intent {
  legal_name: string;
  user_email: string;
  transaction_id?: string;
  failure?: Failure;
}

interface SessionRecord {
  session_id: string;
  intent_id: string;
  token: string;
  expires_at: string;
}

export interface PayoutBookOptions {
  /** TTL of an ordinary reservation. */
  intentTtlMs: number;
  /** TTL of the EXPIRES scenario's reservation (short, so the demo shows expiry). */
  expiresTtlMs: number;
  /** Upper bound of a widget session; it never outlives its intent. */
  sessionTtlMs: number;
  onOutcome(intent: IntentRecord): void;
}

export type Transition = { ok: true; intent: IntentRecord } | { ok: false; code: 'INTENT_EXPIRED' | 'INTENT_NOT_PENDING'; intent: IntentRecord };

const rid = (prefix: string, bytes = 12) => `${prefix}${randomBytes(bytes).toString('hex')}`;

/** The seeded recipient account: the mock always pays out to the same masked Shinhan account. */
const SEEDED_BANK = { name_ko: '신한은행', name_en: 'Shinhan Bank', masked_account: '••••-••-1234' };

export class PayoutBook {
  readonly #intents = new Map<string, IntentRecord>();
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #tokens = new Map<string, SessionRecord>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #opts: PayoutBookOptions;

  constructor(opts: PayoutBookOptions) {
    this.#opts = opts;
  }

  /** Records a new intent. With `failure` it is created already failed (reservation preflight refused). */
  create(req: CreateIntentRequest, failure?: Failure): IntentRecord {
    const now = Date.now();
    const ttl = req.scenario === 'EXPIRES' ? this.#opts.expiresTtlMs : this.#opts.intentTtlMs;
    const intent: IntentRecord = {
      intent_id: rid('pi_'),
      status: failure ? 'failed' : 'reserved',
      phase: 'PAYOUT',
      scenario: req.scenario,
      external_ref: req.external_ref,
      external_user_id: req.external_user_id,
      amount_krw: req.amount_krw,
      amount_usdt: req.amount_usdt,
      return_url: req.return_url,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + ttl).toISOString(),
      legal_name: req.legal_name,
      user_email: req.user_email,
      ...(failure ? { failure } : {}),
    };
    this.#intents.set(intent.intent_id, intent);
    if (failure) {
      this.#opts.onOutcome(intent);
    } else {
      const timer = setTimeout(() => this.#expire(intent), ttl);
      timer.unref();
      this.#timers.set(intent.intent_id, timer);
    }
    return intent;
  }

  get(intentId: string): IntentRecord | undefined {
    const intent = this.#intents.get(intentId);
    // A timer can lag behind the clock by a few ms; the deadline itself is what counts.
    if (intent) this.#expireIfDue(intent);
    return intent;
  }

  openSession(intent: IntentRecord, widgetOrigin: string): WidgetSession {
    const expires = Math.min(Date.parse(intent.expires_at), Date.now() + this.#opts.sessionTtlMs);
    const session: SessionRecord = {
      session_id: rid('ws_'),
      intent_id: intent.intent_id,
      token: `lqxwst_${randomBytes(32).toString('base64url')}`,
      expires_at: new Date(expires).toISOString(),
    };
    this.#sessions.set(session.session_id, session);
    this.#tokens.set(session.token, session);
    return {
      session_id: session.session_id,
      widget_url: `${widgetOrigin}/widget/${session.session_id}`,
      session_token: session.token,
      expires_at: session.expires_at,
      intent_id: intent.intent_id,
    };
  }

  /** The intent a session belongs to (the frame page learns it before the token is redeemed). */
  intentOfSession(sessionId: string): string | undefined {
    return this.#sessions.get(sessionId)?.intent_id;
  }

  /** The session and intent a bearer token was issued for; undefined for a token this server never issued. */
  redeem(token: string): { session: SessionRecord; intent: IntentRecord } | undefined {
    const session = this.#tokens.get(token);
    const intent = session && this.get(session.intent_id);
    return session && intent ? { session, intent } : undefined;
  }

  view(session: SessionRecord, intent: IntentRecord): WidgetPayout {
    return {
      intent_id: intent.intent_id,
      session_id: session.session_id,
      status: intent.status,
      external_ref: intent.external_ref,
      amount_krw: intent.amount_krw,
      amount_usdt: intent.amount_usdt,
      legal_name: intent.legal_name,
      bank: SEEDED_BANK,
      expires_at: intent.expires_at,
      server_time: new Date().toISOString(),
      ...(intent.transaction_id ? { transaction_id: intent.transaction_id } : {}),
      ...(intent.failure ? { failure: intent.failure } : {}),
    };
  }

  complete(intent: IntentRecord): Transition {
    return this.#finish(intent, 'completed', { transaction_id: rid('tx_', 10) });
  }

  decline(intent: IntentRecord, failure: Failure): Transition {
    return this.#finish(intent, 'failed', { failure });
  }

  /** Stops every expiry timer (server shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  #finish(intent: IntentRecord, status: Exclude<IntentStatus, 'reserved'>, extra: Partial<IntentRecord>): Transition {
    this.#expireIfDue(intent);
    if (intent.status !== 'reserved') {
      return { ok: false, code: intent.status === 'expired' ? 'INTENT_EXPIRED' : 'INTENT_NOT_PENDING', intent };
    }
    Object.assign(intent, extra, { status });
    clearTimeout(this.#timers.get(intent.intent_id));
    this.#timers.delete(intent.intent_id);
    this.#opts.onOutcome(intent);
    return { ok: true, intent };
  }

  #expireIfDue(intent: IntentRecord): void {
    if (intent.status === 'reserved' && Date.parse(intent.expires_at) <= Date.now()) this.#expire(intent);
  }

  #expire(intent: IntentRecord): void {
    if (intent.status !== 'reserved') return;
    this.#timers.delete(intent.intent_id);
    intent.status = 'expired';
    intent.failure = { code: 'INTENT_EXPIRED', message: 'The PAYOUT reservation expired before the recipient confirmed it.' };
    this.#opts.onOutcome(intent);
  }
}
