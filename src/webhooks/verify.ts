/**
 * Signature verification with Web Crypto only (`globalThis.crypto.subtle`), so it runs on Node 20 and on edge
 * runtimes alike. Comparisons go through `subtle.verify`, which compares in constant time.
 *
 * - LIQX: Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64>` over
 *   `${id}.${timestamp}.${body}` with the `whsec_` secret), compatible with the `standardwebhooks` package.
 * - Cash-out reference and Ipay: their documents define no signature. We accept a shared-secret HMAC-SHA256 header
 *   instead (`x-webhook-signature: sha256=<hex>` over `${timestamp}.${body}`, timestamp in `x-webhook-timestamp`),
 *   configured out of band with the provider or the gateway in front of it.
 */
import { WebhookVerificationError, WebhookVerificationErrorCode as Code } from './errors.js';
import type { WebhookProvider } from './receipt.js';

/** Request headers: a Fetch `Headers`, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
/** A secret: a string (Standard Webhooks: `whsec_<base64>`; shared secret: its UTF-8 bytes) or raw key bytes. */
export type WebhookSecret = string | Uint8Array;

/** Default tolerance between a webhook's timestamp and our clock, both ways: 5 minutes, as Standard Webhooks. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** Options of {@link verifyStandardWebhook}. */
export interface StandardWebhookOptions {
  /** `whsec_<base64>` (or bare base64), or the raw key bytes. */
  secret: WebhookSecret;
  /** Allowed clock difference in seconds, both ways; default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds, for tests; default `Date.now`. */
  now?: () => number;
}

/** Options of {@link verifySharedSecretSignature} (cash-out reference, Ipay). */
export interface SharedSecretOptions {
  /** The shared secret: a string (its UTF-8 bytes are the key) or raw key bytes. */
  secret: WebhookSecret;
  /** Header carrying `sha256=<hex>` (several may be listed, comma or space separated); default `x-webhook-signature`. */
  signatureHeader?: string;
  /** Header carrying Unix seconds, signed as `${timestamp}.${body}`; default `x-webhook-timestamp`. */
  timestampHeader?: string;
  /**
   * Refuse a request without a timestamp (default true). With false, a body-only signature is accepted too: it has
   * no replay window, and only deduplication stands between a replay and a second receipt.
   */
  requireTimestamp?: boolean;
  /** Allowed clock difference in seconds, both ways; default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds, for tests; default `Date.now`. */
  now?: () => number;
}

/** What a verified request established. */
export interface VerifiedWebhook {
  /** The message id (Standard Webhooks `webhook-id`); pass it to `normalizePayoutWebhook` as `eventId`. */
  id?: string;
  /** The signed timestamp, Unix seconds, when there was one. */
  timestamp?: number;
}

const encoder = new TextEncoder();

/** Reads one header case-insensitively; a repeated header counts as absent (ambiguous). */
export function getHeader(headers: HeaderSource, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | readonly string[] | undefined>)) {
    if (k.toLowerCase() !== wanted) continue;
    if (typeof v === 'string') return v;
    return Array.isArray(v) && v.length === 1 ? v[0] : undefined;
  }
  return undefined;
}

const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const bytes = (body: string | Uint8Array) => (typeof body === 'string' ? encoder.encode(body) : body);

function base64Decode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
const base64Encode = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const hexDecode = (text: string) =>
  /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16)) : null;
const hexEncode = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function standardKey(secret: WebhookSecret): Uint8Array {
  if (typeof secret !== 'string') return secret;
  const key = base64Decode(secret.startsWith('whsec_') ? secret.slice(6) : secret);
  if (!key?.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret must be whsec_<base64> or raw bytes');
  return key;
}
const sharedKey = (secret: WebhookSecret) => (typeof secret === 'string' ? encoder.encode(secret) : secret);

/**
 * Imported keys, by their bytes: importKey costs about as much as the HMAC itself, and an endpoint verifies with
 * the same one or two secrets all day. Bounded, so a caller passing ever-new secrets cannot grow it.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  if (!key.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret is empty');
  const id = String.fromCharCode(...key);
  let imported = keyCache.get(id);
  if (!imported) {
    if (keyCache.size >= 32) keyCache.clear();
    imported = globalThis.crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    keyCache.set(id, imported);
  }
  return imported;
}
const hmac = async (key: Uint8Array, data: Uint8Array) =>
  new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', await hmacKey(key), data as BufferSource));

/** Parses a Unix-seconds header and checks it against the clock. */
function checkTimestamp(value: string, toleranceSeconds: number, now: () => number): number {
  if (!/^\d{1,12}$/.test(value)) throw new WebhookVerificationError(Code.INVALID_TIMESTAMP, 'Timestamp is not Unix seconds');
  const ts = Number(value);
  const skew = Math.floor(now() / 1000) - ts;
  if (skew > toleranceSeconds) throw new WebhookVerificationError(Code.STALE_TIMESTAMP, 'Message timestamp too old');
  if (-skew > toleranceSeconds) throw new WebhookVerificationError(Code.STALE_TIMESTAMP, 'Message timestamp too new');
  return ts;
}

/** True when any candidate signature is the HMAC of `data` (constant-time, via subtle.verify). */
async function anyMatches(key: Uint8Array, data: Uint8Array, candidates: Uint8Array[]): Promise<boolean> {
  const k = await hmacKey(key);
  let ok = false;
  // Check every candidate (no early exit), so timing does not tell which one matched.
  for (const sig of candidates) {
    if (await globalThis.crypto.subtle.verify('HMAC', k, sig as BufferSource, data as BufferSource)) ok = true;
  }
  return ok;
}

/**
 * Verifies a Standard Webhooks request (LIQX). Use the raw body bytes as received, before any JSON parsing.
 *
 * @returns the message id and timestamp; the id is the event id for `normalizePayoutWebhook`
 * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `BAD_SIGNATURE`,
 *   `INVALID_SECRET`
 */
export async function verifyStandardWebhook(
  body: string | Uint8Array,
  headers: HeaderSource,
  options: StandardWebhookOptions,
): Promise<Required<VerifiedWebhook>> {
  const key = standardKey(options.secret);
  const id = getHeader(headers, 'webhook-id');
  const timestamp = getHeader(headers, 'webhook-timestamp');
  const signature = getHeader(headers, 'webhook-signature');
  if (!id || !timestamp || !signature) {
    throw new WebhookVerificationError(Code.MISSING_HEADERS, 'Missing webhook-id, webhook-timestamp or webhook-signature');
  }
  const ts = checkTimestamp(timestamp, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, options.now ?? Date.now);
  const candidates = signature
    .split(' ')
    .map((s) => s.split(','))
    .filter(([version]) => version === 'v1')
    .map(([, sig]) => base64Decode(sig ?? ''))
    .filter((s) => s !== null);
  const signed = concat(encoder.encode(`${id}.${ts}.`), bytes(body));
  if (!(await anyMatches(key, signed, candidates))) {
    throw new WebhookVerificationError(Code.BAD_SIGNATURE, 'No matching signature found');
  }
  return { id, timestamp: ts };
}

/**
 * Signs a message the Standard Webhooks way: returns the `webhook-signature` value `v1,<base64>`.
 * Same result as `new Webhook(secret).sign(id, date, body)` of the `standardwebhooks` package.
 */
export async function signStandardWebhook(
  secret: WebhookSecret,
  id: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): Promise<string> {
  const mac = await hmac(standardKey(secret), concat(encoder.encode(`${id}.${Math.floor(timestampSeconds)}.`), bytes(body)));
  return `v1,${base64Encode(mac)}`;
}

/**
 * Verifies the shared-secret HMAC-SHA256 header we accept for providers whose documents define no signature
 * (cash-out reference, Ipay): `sha256=<hex>` of `${timestamp}.${body}` (or of the body alone when there is no
 * timestamp and `requireTimestamp` is false).
 *
 * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `BAD_SIGNATURE`,
 *   `INVALID_SECRET`
 */
export async function verifySharedSecretSignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  options: SharedSecretOptions,
): Promise<VerifiedWebhook> {
  const key = sharedKey(options.secret);
  if (!key.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret is empty');
  const signatureHeader = options.signatureHeader ?? 'x-webhook-signature';
  const signature = getHeader(headers, signatureHeader);
  const timestamp = getHeader(headers, options.timestampHeader ?? 'x-webhook-timestamp');
  if (!signature) throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${signatureHeader}`);
  if (timestamp === undefined && (options.requireTimestamp ?? true)) {
    throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${options.timestampHeader ?? 'x-webhook-timestamp'}`);
  }
  const ts =
    timestamp === undefined
      ? undefined
      : checkTimestamp(timestamp, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, options.now ?? Date.now);
  const candidates = signature
    .split(/[\s,]+/)
    .filter((s) => s.startsWith('sha256='))
    .map((s) => hexDecode(s.slice(7)))
    .filter((s) => s !== null);
  const signed = ts === undefined ? bytes(body) : concat(encoder.encode(`${ts}.`), bytes(body));
  if (!(await anyMatches(key, signed, candidates))) {
    throw new WebhookVerificationError(Code.BAD_SIGNATURE, 'No matching signature found');
  }
  return ts === undefined ? {} : { timestamp: ts };
}

/**
 * Produces the shared-secret headers a sender (or the demo's sample sender, or a test) attaches:
 * `{ 'x-webhook-timestamp': '<seconds>', 'x-webhook-signature': 'sha256=<hex>' }`. Pass `timestampSeconds: null`
 * to sign the body alone.
 */
export async function signSharedSecret(
  secret: WebhookSecret,
  body: string | Uint8Array,
  timestampSeconds: number | null = Math.floor(Date.now() / 1000),
  names: { signatureHeader?: string; timestampHeader?: string } = {},
): Promise<Record<string, string>> {
  const ts = timestampSeconds === null ? null : Math.floor(timestampSeconds);
  const signed = ts === null ? bytes(body) : concat(encoder.encode(`${ts}.`), bytes(body));
  const mac = hexEncode(await hmac(sharedKey(secret), signed));
  return {
    ...(ts === null ? {} : { [names.timestampHeader ?? 'x-webhook-timestamp']: String(ts) }),
    [names.signatureHeader ?? 'x-webhook-signature']: `sha256=${mac}`,
  };
}

/** Verification settings per provider, for {@link verifyPayoutWebhook}. */
export interface PayoutWebhookSecrets {
  liqx?: StandardWebhookOptions;
  'cashout-reference'?: SharedSecretOptions;
  ipay?: SharedSecretOptions;
}

/**
 * The checks of {@link verifyPayoutWebhook} that need no body: the secret is configured, the signature, id and
 * timestamp headers are present, the timestamp is inside the tolerance. A server runs this BEFORE reading the
 * body, so an unsigned or replayed request costs it no upload.
 *
 * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `INVALID_SECRET`
 */
export function checkWebhookHeaders(provider: WebhookProvider, headers: HeaderSource, secrets: PayoutWebhookSecrets): void {
  if (provider === 'liqx') {
    const options = secrets.liqx;
    if (!options) throw new WebhookVerificationError(Code.INVALID_SECRET, 'No LIQX secret configured');
    standardKey(options.secret);
    const timestamp = getHeader(headers, 'webhook-timestamp');
    if (!getHeader(headers, 'webhook-id') || !timestamp || !getHeader(headers, 'webhook-signature')) {
      throw new WebhookVerificationError(Code.MISSING_HEADERS, 'Missing webhook-id, webhook-timestamp or webhook-signature');
    }
    checkTimestamp(timestamp, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, options.now ?? Date.now);
    return;
  }
  const options = secrets[provider];
  if (!options) throw new WebhookVerificationError(Code.INVALID_SECRET, `No ${provider} secret configured`);
  if (!sharedKey(options.secret).length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret is empty');
  const signatureHeader = options.signatureHeader ?? 'x-webhook-signature';
  const timestampHeader = options.timestampHeader ?? 'x-webhook-timestamp';
  if (!getHeader(headers, signatureHeader)) throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${signatureHeader}`);
  const timestamp = getHeader(headers, timestampHeader);
  if (timestamp === undefined) {
    if (options.requireTimestamp ?? true) throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${timestampHeader}`);
    return;
  }
  checkTimestamp(timestamp, options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS, options.now ?? Date.now);
}

/**
 * Verifies a request the way its provider signs it (see the module comment). A provider without configured
 * settings is refused with `INVALID_SECRET`: an unconfigured endpoint must not accept unsigned webhooks.
 */
export async function verifyPayoutWebhook(
  provider: WebhookProvider,
  body: string | Uint8Array,
  headers: HeaderSource,
  secrets: PayoutWebhookSecrets,
): Promise<VerifiedWebhook> {
  if (provider === 'liqx') {
    if (!secrets.liqx) throw new WebhookVerificationError(Code.INVALID_SECRET, 'No LIQX secret configured');
    return verifyStandardWebhook(body, headers, secrets.liqx);
  }
  const options = secrets[provider];
  if (!options) throw new WebhookVerificationError(Code.INVALID_SECRET, `No ${provider} secret configured`);
  return verifySharedSecretSignature(body, headers, options);
}
