/**
 * Mock LIQX state, in memory: payout intents, widget sessions and their tokens, and the server-side
 * expiry timers (authoritative: the frame's countdown only mirrors them).
 *
 * Every intent reaches exactly one terminal status (completed | failed | expired) and `onOutcome` is
 * called once for it; the webhook dispatcher hangs off that callback.
 *
 * Widget sessions keep the rules of a real issuer (each checked by test/node/demo/liqx-sessions.test.ts):
 * - a session never outlives its intent: expires_at = min(intent expiry, now + sessionTtlMs);
 * - past its expires_at a token is refused (SESSION_EXPIRED), when read and when it confirms or declines;
 * - a newer session for the same intent revokes the older ones (SESSION_REVOKED);
 * - the intent's completion or decline revokes every session of it (SESSION_REVOKED). Its expiry needs no
 *   revocation: each session's deadline is at or before the intent's, so the session has expired too;
 * - a session opened for a completed or declined intent only reads it (a reload shows the outcome): its confirm and
 *   decline answer INTENT_NOT_PENDING, so nothing is confirmed twice;
 * - an accepted confirm is committed: a newer session during the settlement delay (a reload) neither cancels nor
 *   repeats it, a second confirm meanwhile gets the same answer, and a read waits for its outcome.
 * - a refusal carries an error code and a message, never payout data.
 */
import { randomBytes } from 'node:crypto';
import type { CreateIntentRequest, Failure, Intent, WidgetPayout, WidgetSession } from '../../contract/liqx.js';

export interface IntentRecord extends Intent {
  legal_name: string;
  user_email: string;
  transaction_id?: string;
  failure?: Failure;
}

export interface SessionRecord {
  session_id: string;
  intent_id: string;
  token: string;
  expires_at: string;
  /** Set when a newer session replaced this one, or when the intent completed or failed. */
  revoked?: 'SUPERSEDED' | 'INTENT_FINISHED';
}

/** Why a widget session token is refused (HTTP 401). */
export type SessionRefusal = 'INVALID_SESSION_TOKEN' | 'SESSION_EXPIRED' | 'SESSION_REVOKED';

export const SESSION_REFUSAL_MESSAGES: Record<SessionRefusal, string> = {
  INVALID_SESSION_TOKEN: 'This widget session token was not issued by LIQX.',
  SESSION_EXPIRED: 'This widget session has expired; the partner can open a new one.',
  SESSION_REVOKED: 'This widget session was revoked: a newer session was opened for the payout, or the payout has finished.',
};

export type Redeemed = { ok: true; session: SessionRecord; intent: IntentRecord } | { ok: false; code: SessionRefusal };

export interface PayoutBookOptions {
  /** TTL of an ordinary reservation. */
  intentTtlMs: number;
  /** TTL of the EXPIRES scenario's reservation (short, so the demo shows expiry). */
  expiresTtlMs: number;
  /** Upper bound of a widget session; it never outlives its intent. */
  sessionTtlMs: number;
  onOutcome(intent: IntentRecord): void;
  /** The clock every deadline is read from (tests move it forward). Default Date.now. */
  now?: () => number;
}

export type Transition =
  | { ok: true; intent: IntentRecord }
  | { ok: false; code: 'INTENT_EXPIRED' | 'INTENT_NOT_PENDING'; intent: IntentRecord }
  | { ok: false; code: SessionRefusal };

const rid = (prefix: string, bytes = 12) => `${prefix}${randomBytes(bytes).toString('hex')}`;

/** The seeded recipient account: the mock always pays out to the same masked Shinhan account. */
const SEEDED_BANK = { name_ko: '신한은행', name_en: 'Shinhan Bank', masked_account: '••••-••-1234' };

export class PayoutBook {
  readonly #intents = new Map<string, IntentRecord>();
  readonly #sessions = new Map<string, SessionRecord>();
  readonly #tokens = new Map<string, SessionRecord>();
  /** Every session opened for an intent, oldest first. */
  readonly #sessionsOf = new Map<string, SessionRecord[]>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  /** Confirms accepted and still in their settlement delay, by intent. */
  readonly #settling = new Map<string, Promise<Transition>>();
  readonly #opts: PayoutBookOptions;

  readonly #now: () => number;

  constructor(opts: PayoutBookOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
  }

  /** Records a new intent. With `failure` it is created already failed (reservation preflight refused). */
  create(req: CreateIntentRequest, failure?: Failure): IntentRecord {
    const now = this.#now();
    const ttl = req.scenario === 'EXPIRES' ? this.#opts.expiresTtlMs : this.#opts.intentTtlMs;
    const intent: IntentRecord = {
      intent_id: rid('pi_'),
      status: failure ? 'failed' : 'reserved',
      phase: 'PAYOUT',
      scenario: req.scenario,
      external_ref: req.external_ref,
      external_user_id: req.external_user_id,
      ...(req.owner !== undefined ? { owner: req.owner } : {}),
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
    for (const older of this.#sessionsOf.get(intent.intent_id) ?? []) older.revoked ??= 'SUPERSEDED';
    // A finished intent has no reservation deadline left to bound the session: it lives its own TTL, read-only.
    const finished = intent.status === 'completed' || intent.status === 'failed';
    const expires = finished ? this.#now() + this.#opts.sessionTtlMs : Math.min(Date.parse(intent.expires_at), this.#now() + this.#opts.sessionTtlMs);
    const session: SessionRecord = {
      session_id: rid('ws_'),
      intent_id: intent.intent_id,
      token: `lqxwst_${randomBytes(32).toString('base64url')}`,
      expires_at: new Date(expires).toISOString(),
    };
    this.#sessions.set(session.session_id, session);
    this.#tokens.set(session.token, session);
    this.#sessionsOf.set(intent.intent_id, [...(this.#sessionsOf.get(intent.intent_id) ?? []), session]);
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

  /**
   * The session and intent a bearer token stands for, if the token may still act: issued here, not revoked,
   * not expired. A revoked token says SESSION_REVOKED even past its expiry (revocation is the cause).
   */
  redeem(token: string): Redeemed {
    const session = this.#tokens.get(token);
    const intent = session && this.get(session.intent_id);
    if (!session || !intent) return { ok: false, code: 'INVALID_SESSION_TOKEN' };
    if (session.revoked) return { ok: false, code: 'SESSION_REVOKED' };
    if (Date.parse(session.expires_at) <= this.#now()) return { ok: false, code: 'SESSION_EXPIRED' };
    return { ok: true, session, intent };
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
      session_expires_at: session.expires_at,
      server_time: new Date(this.#now()).toISOString(),
      ...(intent.transaction_id ? { transaction_id: intent.transaction_id } : {}),
      ...(intent.failure ? { failure: intent.failure } : {}),
    };
  }

  /** Completes the session's intent. The session is checked again here: it may have lapsed since it was read. */
  complete(session: SessionRecord): Transition {
    return this.#finish(session, 'completed', { transaction_id: rid('tx_', 10) });
  }

  /**
   * A confirm with a settlement delay. Accepted once per intent: a second confirm while it settles (another tab,
   * a reloaded frame) gets the same outcome instead of a second completion. During the delay only the session's
   * expiry and the intent's can still stop it; a newer session (a reload) cannot.
   */
  confirm(session: SessionRecord, delayMs: number): Promise<Transition> {
    const pending = this.#settling.get(session.intent_id);
    if (pending) return pending;
    const redeemed = this.redeem(session.token);
    if (!redeemed.ok || redeemed.intent.status !== 'reserved' || delayMs <= 0) return Promise.resolve(this.complete(session));
    const intentId = session.intent_id;
    const settled = new Promise<Transition>((resolve) => {
      const timer = setTimeout(() => {
        this.#settling.delete(intentId);
        resolve(session.revoked === 'SUPERSEDED' ? this.#finishSuperseded(session) : this.complete(session));
      }, delayMs);
      timer.unref();
    });
    this.#settling.set(intentId, settled);
    return settled;
  }

  /** The outcome of a confirm still settling for this intent, if one is. */
  settling(intentId: string): Promise<Transition> | undefined {
    return this.#settling.get(intentId);
  }

  decline(session: SessionRecord, failure: Failure): Transition {
    // A confirm already accepted for this intent decides it; a decline during its delay changes nothing.
    const intent = this.#settling.has(session.intent_id) ? this.get(session.intent_id) : undefined;
    if (intent) return { ok: false, code: 'INTENT_NOT_PENDING', intent };
    return this.#finish(session, 'failed', { failure });
  }

  /** Stops every expiry timer (server shutdown). */
  close(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }

  /** The confirm was accepted before a newer session replaced its own: it completes unless the session expired. */
  #finishSuperseded(session: SessionRecord): Transition {
    const intent = this.get(session.intent_id);
    if (!intent) return { ok: false, code: 'INVALID_SESSION_TOKEN' };
    if (Date.parse(session.expires_at) <= this.#now()) return { ok: false, code: 'SESSION_EXPIRED' };
    return this.#settle(intent, 'completed', { transaction_id: rid('tx_', 10) });
  }

  #finish(session: SessionRecord, status: 'completed' | 'failed', extra: Partial<IntentRecord>): Transition {
    const redeemed = this.redeem(session.token);
    if (!redeemed.ok) return redeemed;
    return this.#settle(redeemed.intent, status, extra);
  }

  #settle(intent: IntentRecord, status: 'completed' | 'failed', extra: Partial<IntentRecord>): Transition {
    if (intent.status !== 'reserved') {
      return { ok: false, code: intent.status === 'expired' ? 'INTENT_EXPIRED' : 'INTENT_NOT_PENDING', intent };
    }
    Object.assign(intent, extra, { status });
    clearTimeout(this.#timers.get(intent.intent_id));
    this.#timers.delete(intent.intent_id);
    for (const s of this.#sessionsOf.get(intent.intent_id) ?? []) s.revoked ??= 'INTENT_FINISHED';
    this.#opts.onOutcome(intent);
    return { ok: true, intent };
  }

  #expireIfDue(intent: IntentRecord): void {
    if (intent.status === 'reserved' && Date.parse(intent.expires_at) <= this.#now()) this.#expire(intent);
  }

  #expire(intent: IntentRecord): void {
    if (intent.status !== 'reserved') return;
    this.#timers.delete(intent.intent_id);
    intent.status = 'expired';
    intent.failure = { code: 'INTENT_EXPIRED', message: 'The PAYOUT reservation expired before the recipient confirmed it.' };
    this.#opts.onOutcome(intent);
  }
}
