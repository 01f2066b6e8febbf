/**
 * Signature verification with Web Crypto only (`globalThis.crypto.subtle`), so it runs on Node 20 and on edge
 * runtimes alike. One scheme object per provider, built once from its secret(s), reads the signature headers,
 * verifies and signs (the model is the `standardwebhooks` package's `Webhook` class):
 *
 * - LIQX: {@link StandardWebhookScheme}, Standard Webhooks (`webhook-id`, `webhook-timestamp`,
 *   `webhook-signature: v1,<base64>` over `${id}.${timestamp}.${body}` with the `whsec_` secret), compatible with
 *   the `standardwebhooks` package.
 * - Cash-out reference and Ipay: {@link SharedSecretScheme}. Their documents define no signature; we accept a
 *   shared-secret HMAC-SHA256 header instead (`x-webhook-signature: sha256=<hex>` over `${timestamp}.${body}`,
 *   timestamp in `x-webhook-timestamp`), configured out of band with the provider or the gateway in front of it.
 *
 * Rotation: every scheme takes one secret or a list. Any listed secret verifies; signing emits one signature per
 * secret (`v1,<a> v1,<b>`), so a sender can sign with the new and the old secret during a grace period while
 * receivers move over one by one.
 *
 * Cost: each secret's HMAC over the body is computed once per request and compared, in constant time, with every
 * candidate signature in the header; a header with more than {@link MAX_SIGNATURE_CANDIDATES} candidates is
 * refused before any HMAC runs.
 */
import { WebhookVerificationError, WebhookVerificationErrorCode as Code } from './errors.js';

/** Request headers: a Fetch `Headers`, or a plain record such as Node's `IncomingHttpHeaders`. */
export type HeaderSource = Headers | Readonly<Record<string, string | readonly string[] | undefined>>;
/** A secret: a string (Standard Webhooks: `whsec_<base64>`; shared secret: its UTF-8 bytes) or raw key bytes. */
export type WebhookSecret = string | Uint8Array;
/** One secret, or several while a secret is being rotated: any of them verifies, signing uses each. */
export type WebhookSecrets = WebhookSecret | readonly WebhookSecret[];

/** Default tolerance between a webhook's timestamp and our clock, both ways: 5 minutes, as Standard Webhooks. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/**
 * The most signatures one signature header may carry. A rotation needs two or three; a header with hundreds is
 * an attempt to make the receiver work (refused with `TOO_MANY_SIGNATURES`, before any HMAC).
 */
export const MAX_SIGNATURE_CANDIDATES = 16;

/** The most secrets one scheme holds: each costs one HMAC over every body. */
export const MAX_SECRETS = 8;

/** Clock and tolerance, shared by both schemes. */
interface ClockOptions {
  /** Allowed clock difference in seconds, both ways; default 300. */
  toleranceSeconds?: number;
  /** Clock in milliseconds, for tests; default `Date.now`. */
  now?: () => number;
}

/** Options of {@link StandardWebhookScheme} and {@link verifyStandardWebhook}. */
export interface StandardWebhookOptions extends ClockOptions {
  /** `whsec_<base64>` (or bare base64), or the raw key bytes; a list during a rotation. */
  secret: WebhookSecrets;
}

/** Header names and replay rule of {@link SharedSecretScheme} (cash-out reference, Ipay). */
export interface SharedSecretHeaderOptions {
  /** Header carrying `sha256=<hex>` (several may be listed, comma or space separated); default `x-webhook-signature`. */
  signatureHeader?: string;
  /** Header carrying Unix seconds, signed as `${timestamp}.${body}`; default `x-webhook-timestamp`. */
  timestampHeader?: string;
  /**
   * Refuse a request without a timestamp (default true). With false, a body-only signature is accepted too: it has
   * no replay window, and only deduplication stands between a replay and a second receipt.
   */
  requireTimestamp?: boolean;
}

/** Options of {@link SharedSecretScheme} and {@link verifySharedSecretSignature}. */
export interface SharedSecretOptions extends ClockOptions, SharedSecretHeaderOptions {
  /** The shared secret: a string (its UTF-8 bytes are the key) or raw key bytes; a list during a rotation. */
  secret: WebhookSecrets;
}

/** What a verified request established. */
export interface VerifiedWebhook {
  /** The message id (Standard Webhooks `webhook-id`): the receipt's `eventId`. */
  id?: string;
  /** The signed timestamp, Unix seconds, when there was one. */
  timestamp?: number;
}

/**
 * The signature headers of one request, read and checked (present, timestamp fresh, at most
 * {@link MAX_SIGNATURE_CANDIDATES} signatures) by a scheme's `checkHeaders`, before any of the body is read.
 * Pass it to the same scheme's `verify` instead of the headers so they are not read twice.
 */
export class CheckedHeaders {
  /** @internal built by the schemes only */
  constructor(
    readonly id: string | undefined,
    readonly timestamp: number | undefined,
    readonly signatures: readonly Uint8Array[],
  ) {}
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

const concat = (prefix: string, body: Uint8Array) => {
  const head = encoder.encode(prefix);
  const out = new Uint8Array(head.length + body.length);
  out.set(head, 0);
  out.set(body, head.length);
  return out;
};
const bytes = (body: string | Uint8Array) => (typeof body === 'string' ? encoder.encode(body) : body);

function base64Decode(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    const binary = atob(text);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}
const base64Encode = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const hexDecode = (text: string) =>
  /^(?:[0-9a-fA-F]{2})+$/.test(text) ? Uint8Array.from(text.match(/../g)!, (h) => parseInt(h, 16)) : null;
const hexEncode = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

function standardKey(secret: WebhookSecret): Uint8Array {
  const key = typeof secret === 'string' ? base64Decode(secret.startsWith('whsec_') ? secret.slice(6) : secret) : secret;
  if (!key?.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret must be whsec_<base64> or raw bytes');
  return key;
}
function sharedKey(secret: WebhookSecret): Uint8Array {
  const key = typeof secret === 'string' ? encoder.encode(secret) : secret;
  if (!key.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'Secret is empty');
  return key;
}

/** The secret list as key bytes: at least one, at most {@link MAX_SECRETS}, each well-formed. */
function keysOf(secret: WebhookSecrets | undefined, toKey: (s: WebhookSecret) => Uint8Array): Uint8Array[] {
  // isView rather than instanceof: key bytes may come from another realm (a worker, a vm context).
  const list: readonly WebhookSecret[] = secret === undefined ? [] : typeof secret === 'string' || ArrayBuffer.isView(secret) ? [secret as WebhookSecret] : (secret as readonly WebhookSecret[]);
  if (!Array.isArray(list) || !list.length) throw new WebhookVerificationError(Code.INVALID_SECRET, 'No secret configured');
  if (list.length > MAX_SECRETS) throw new WebhookVerificationError(Code.INVALID_SECRET, `At most ${MAX_SECRETS} secrets at once`);
  return list.map(toKey);
}

/**
 * Imported keys, by their bytes: importKey costs about as much as the HMAC itself, and the functional API
 * (`verifyStandardWebhook` & co.) verifies with the same one or two secrets all day. Bounded, so a caller passing
 * ever-new secrets cannot grow it. The scheme classes hold their own keys.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();
function importHmacKey(key: Uint8Array): Promise<CryptoKey> {
  const id = String.fromCharCode(...key);
  let imported = keyCache.get(id);
  if (!imported) {
    if (keyCache.size >= 32) keyCache.clear();
    imported = globalThis.crypto.subtle.importKey('raw', key as BufferSource, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
    keyCache.set(id, imported);
  }
  return imported;
}

/**
 * Node's own HMAC, where the runtime has one. Web Crypto's HMAC in Node runs every call as a queued crypto job
 * behind a promise, which costs more than the hash of a webhook-sized body: in a profile of the ingest bench it
 * was about 14 % of the server's CPU. It is reached through `process.getBuiltinModule` (Node >= 20.16), not an
 * import, so this module still bundles and runs unchanged on Web Crypto runtimes, which take the `subtle` path.
 */
interface NodeHmac {
  createHmac(algorithm: 'sha256', key: Uint8Array): { update(data: Uint8Array): { digest(): Uint8Array } };
}
const nodeCrypto = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.('node:crypto') as
  | NodeHmac
  | undefined;

/** Equality in time that depends only on the lengths (public: an HMAC-SHA256 is 32 bytes). */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Parses a Unix-seconds header and checks it against the clock. */
function checkTimestamp(value: string, toleranceSeconds: number, now: () => number): number {
  if (!/^\d{1,12}$/.test(value)) throw new WebhookVerificationError(Code.INVALID_TIMESTAMP, 'Timestamp is not Unix seconds');
  const ts = Number(value);
  const skew = Math.floor(now() / 1000) - ts;
  if (skew > toleranceSeconds) throw new WebhookVerificationError(Code.STALE_TIMESTAMP, 'Message timestamp too old');
  if (-skew > toleranceSeconds) throw new WebhookVerificationError(Code.STALE_TIMESTAMP, 'Message timestamp too new');
  return ts;
}

/** The header's entries, refused past {@link MAX_SIGNATURE_CANDIDATES} before anything is decoded. */
function candidateTokens(header: string, separator: RegExp): string[] {
  const tokens = header.split(separator).filter(Boolean);
  if (tokens.length > MAX_SIGNATURE_CANDIDATES) {
    throw new WebhookVerificationError(Code.TOO_MANY_SIGNATURES, `More than ${MAX_SIGNATURE_CANDIDATES} signatures in one header`);
  }
  return tokens;
}

/** What both schemes share: the keys, the clock, one HMAC per key and the comparison. */
abstract class HmacScheme {
  readonly #keys: Uint8Array[];
  #imported: Promise<CryptoKey[]> | undefined;
  protected readonly tolerance: number;
  protected readonly now: () => number;

  protected constructor(keys: Uint8Array[], options: ClockOptions) {
    this.#keys = keys;
    this.tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
    this.now = options.now ?? Date.now;
  }

  /** How many secrets this scheme verifies with (and signs with). */
  get secretCount(): number {
    return this.#keys.length;
  }

  #cryptoKeys(): Promise<CryptoKey[]> {
    this.#imported ??= Promise.all(this.#keys.map(importHmacKey));
    return this.#imported;
  }

  /** The HMAC of `data` under each secret, in the order the secrets were given. */
  protected async macs(data: Uint8Array): Promise<Uint8Array[]> {
    if (nodeCrypto) return this.#keys.map((key) => nodeCrypto.createHmac('sha256', key).update(data).digest());
    const keys = await this.#cryptoKeys();
    return Promise.all(keys.map(async (k) => new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', k, data as BufferSource))));
  }

  /**
   * True when any candidate is the HMAC of `data` under any secret. One HMAC per secret, whatever the number of
   * candidates; every pair is compared (no early exit), so timing tells neither which secret nor which candidate.
   */
  protected async matches(data: Uint8Array, candidates: readonly Uint8Array[]): Promise<boolean> {
    if (!candidates.length) return false;
    let ok = false;
    for (const mac of await this.macs(data)) {
      for (const sig of candidates) if (constantTimeEqual(mac, sig)) ok = true;
    }
    return ok;
  }

  protected timestampOf(value: string): number {
    return checkTimestamp(value, this.tolerance, this.now);
  }
}

/**
 * Standard Webhooks (LIQX), built once from its secret(s).
 *
 * @example
 * const scheme = new StandardWebhookScheme([process.env.LIQX_WEBHOOK_SECRET!, process.env.LIQX_WEBHOOK_SECRET_OLD!]);
 * const { id } = await scheme.verify(rawBody, request.headers);
 */
export class StandardWebhookScheme extends HmacScheme {
  /**
   * @throws {WebhookVerificationError} `INVALID_SECRET` for no secret, more than {@link MAX_SECRETS}, or one that
   *   is not `whsec_<base64>` (or bare base64, or raw bytes)
   */
  constructor(secret: WebhookSecrets, options: ClockOptions = {}) {
    super(keysOf(secret, standardKey), options);
  }

  /**
   * The checks that need no body: the three headers are present, the timestamp is fresh, the signature header has
   * at most {@link MAX_SIGNATURE_CANDIDATES} entries. Run it before reading the body.
   *
   * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `TOO_MANY_SIGNATURES`
   */
  checkHeaders(headers: HeaderSource): CheckedHeaders {
    const id = getHeader(headers, 'webhook-id');
    const timestamp = getHeader(headers, 'webhook-timestamp');
    const signature = getHeader(headers, 'webhook-signature');
    if (!id || !timestamp || !signature) {
      throw new WebhookVerificationError(Code.MISSING_HEADERS, 'Missing webhook-id, webhook-timestamp or webhook-signature');
    }
    const ts = this.timestampOf(timestamp);
    const signatures: Uint8Array[] = [];
    for (const token of candidateTokens(signature, / +/)) {
      const comma = token.indexOf(',');
      if (comma < 0 || token.slice(0, comma) !== 'v1') continue;
      const sig = base64Decode(token.slice(comma + 1));
      if (sig) signatures.push(sig);
    }
    return new CheckedHeaders(id, ts, signatures);
  }

  /**
   * Verifies a request over its raw body bytes, as received, before any JSON parsing.
   *
   * @param headers the request's headers, or what {@link checkHeaders} returned for them
   * @returns the message id (the event id) and timestamp
   * @throws {WebhookVerificationError} the codes of {@link checkHeaders}, and `BAD_SIGNATURE`
   */
  async verify(body: string | Uint8Array, headers: HeaderSource | CheckedHeaders): Promise<Required<VerifiedWebhook>> {
    const checked = headers instanceof CheckedHeaders ? headers : this.checkHeaders(headers);
    const id = checked.id!;
    const ts = checked.timestamp!;
    if (!(await this.matches(concat(`${id}.${ts}.`, bytes(body)), checked.signatures))) {
      throw new WebhookVerificationError(Code.BAD_SIGNATURE, 'No matching signature found');
    }
    return { id, timestamp: ts };
  }

  /**
   * The `webhook-signature` value: `v1,<base64>` for each secret, space separated (one secret: the same string as
   * `new Webhook(secret).sign(id, date, body)` of the `standardwebhooks` package).
   */
  async sign(id: string, timestampSeconds: number, body: string | Uint8Array): Promise<string> {
    const macs = await this.macs(concat(`${id}.${Math.floor(timestampSeconds)}.`, bytes(body)));
    return macs.map((mac) => `v1,${base64Encode(mac)}`).join(' ');
  }
}

/**
 * The shared-secret HMAC header of the cash-out reference and Ipay endpoints, built once from its secret(s):
 * `sha256=<hex>` of `${timestamp}.${body}` (or of the body alone when there is no timestamp and
 * `requireTimestamp` is false).
 */
export class SharedSecretScheme extends HmacScheme {
  readonly #signatureHeader: string;
  readonly #timestampHeader: string;
  readonly #requireTimestamp: boolean;

  /** @throws {WebhookVerificationError} `INVALID_SECRET` for no secret, an empty one, or more than {@link MAX_SECRETS} */
  constructor(secret: WebhookSecrets, options: ClockOptions & SharedSecretHeaderOptions = {}) {
    super(keysOf(secret, sharedKey), options);
    this.#signatureHeader = options.signatureHeader ?? 'x-webhook-signature';
    this.#timestampHeader = options.timestampHeader ?? 'x-webhook-timestamp';
    this.#requireTimestamp = options.requireTimestamp ?? true;
  }

  /**
   * The checks that need no body (see {@link StandardWebhookScheme.checkHeaders}).
   *
   * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `TOO_MANY_SIGNATURES`
   */
  checkHeaders(headers: HeaderSource): CheckedHeaders {
    const signature = getHeader(headers, this.#signatureHeader);
    const timestamp = getHeader(headers, this.#timestampHeader);
    if (!signature) throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${this.#signatureHeader}`);
    if (timestamp === undefined && this.#requireTimestamp) {
      throw new WebhookVerificationError(Code.MISSING_HEADERS, `Missing ${this.#timestampHeader}`);
    }
    const ts = timestamp === undefined ? undefined : this.timestampOf(timestamp);
    const signatures: Uint8Array[] = [];
    for (const token of candidateTokens(signature, /[\s,]+/)) {
      if (!token.startsWith('sha256=')) continue;
      const sig = hexDecode(token.slice(7));
      if (sig) signatures.push(sig);
    }
    return new CheckedHeaders(undefined, ts, signatures);
  }

  /**
   * Verifies a request over its raw body bytes.
   *
   * @throws {WebhookVerificationError} the codes of {@link checkHeaders}, and `BAD_SIGNATURE`
   */
  async verify(body: string | Uint8Array, headers: HeaderSource | CheckedHeaders): Promise<VerifiedWebhook> {
    const checked = headers instanceof CheckedHeaders ? headers : this.checkHeaders(headers);
    const ts = checked.timestamp;
    const signed = ts === undefined ? bytes(body) : concat(`${ts}.`, bytes(body));
    if (!(await this.matches(signed, checked.signatures))) {
      throw new WebhookVerificationError(Code.BAD_SIGNATURE, 'No matching signature found');
    }
    return ts === undefined ? {} : { timestamp: ts };
  }

  /**
   * The headers a sender attaches: `{ 'x-webhook-timestamp': '<seconds>', 'x-webhook-signature': 'sha256=<hex>' }`
   * (one `sha256=` per secret, comma separated). `timestampSeconds: null` signs the body alone.
   */
  async sign(body: string | Uint8Array, timestampSeconds: number | null = Math.floor(Date.now() / 1000)): Promise<Record<string, string>> {
    const ts = timestampSeconds === null ? null : Math.floor(timestampSeconds);
    const macs = await this.macs(ts === null ? bytes(body) : concat(`${ts}.`, bytes(body)));
    return {
      ...(ts === null ? {} : { [this.#timestampHeader]: String(ts) }),
      [this.#signatureHeader]: macs.map((mac) => `sha256=${hexEncode(mac)}`).join(', '),
    };
  }
}

/**
 * Verifies a Standard Webhooks request (LIQX). Same as `new StandardWebhookScheme(secret, options).verify(...)`.
 *
 * @returns the message id and timestamp; the id is the event id for `normalizePayoutWebhook`
 * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `BAD_SIGNATURE`,
 *   `TOO_MANY_SIGNATURES`, `INVALID_SECRET`
 */
export async function verifyStandardWebhook(
  body: string | Uint8Array,
  headers: HeaderSource,
  options: StandardWebhookOptions,
): Promise<Required<VerifiedWebhook>> {
  return new StandardWebhookScheme(options.secret, options).verify(body, headers);
}

/**
 * Signs a message the Standard Webhooks way: returns the `webhook-signature` value, `v1,<base64>` per secret.
 * With one secret, the same result as `new Webhook(secret).sign(id, date, body)` of the `standardwebhooks` package.
 */
export async function signStandardWebhook(
  secret: WebhookSecrets,
  id: string,
  timestampSeconds: number,
  body: string | Uint8Array,
): Promise<string> {
  return new StandardWebhookScheme(secret).sign(id, timestampSeconds, body);
}

/**
 * Verifies the shared-secret HMAC header (cash-out reference, Ipay). Same as
 * `new SharedSecretScheme(secret, options).verify(...)`.
 *
 * @throws {WebhookVerificationError} `MISSING_HEADERS`, `INVALID_TIMESTAMP`, `STALE_TIMESTAMP`, `BAD_SIGNATURE`,
 *   `TOO_MANY_SIGNATURES`, `INVALID_SECRET`
 */
export async function verifySharedSecretSignature(
  body: string | Uint8Array,
  headers: HeaderSource,
  options: SharedSecretOptions,
): Promise<VerifiedWebhook> {
  return new SharedSecretScheme(options.secret, options).verify(body, headers);
}

/**
 * Produces the shared-secret headers a sender (or the demo's sample sender, or a test) attaches:
 * `{ 'x-webhook-timestamp': '<seconds>', 'x-webhook-signature': 'sha256=<hex>' }`. Pass `timestampSeconds: null`
 * to sign the body alone.
 */
export async function signSharedSecret(
  secret: WebhookSecrets,
  body: string | Uint8Array,
  timestampSeconds: number | null = Math.floor(Date.now() / 1000),
  names: { signatureHeader?: string; timestampHeader?: string } = {},
): Promise<Record<string, string>> {
  return new SharedSecretScheme(secret, names).sign(body, timestampSeconds);
}

/** Verification settings per provider, for {@link verifyPayoutWebhook}. */
export interface PayoutWebhookSecrets {
  liqx?: StandardWebhookOptions;
  'cashout-reference'?: SharedSecretOptions;
  ipay?: SharedSecretOptions;
}

/**
 * Verifies a request the way its provider signs it (see the module comment). A provider without configured
 * settings is refused with `INVALID_SECRET`: an unconfigured endpoint must not accept unsigned webhooks.
 */
export async function verifyPayoutWebhook(
  provider: 'liqx' | 'cashout-reference' | 'ipay',
  body: string | Uint8Array,
  headers: HeaderSource,
  secrets: PayoutWebhookSecrets,
): Promise<VerifiedWebhook> {
  const options = secrets[provider];
  if (!options) throw new WebhookVerificationError(Code.INVALID_SECRET, `No ${provider} secret configured`);
  return provider === 'liqx' ? verifyStandardWebhook(body, headers, options) : verifySharedSecretSignature(body, headers, options);
}
