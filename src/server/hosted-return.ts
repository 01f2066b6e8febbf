/**
 * Hosted mode's return: at the end of a hosted payout LIQX sends the browser to the intent's `return_url` with
 * `liqx_result` (base64url JSON, HostedReturnPayload) and `liqx_sig` (`v1,<base64url HMAC-SHA256>` over
 * `liqx-hosted-return.v1.<liqx_result>` with the partner's webhook secret; one signature per secret while a secret
 * is rotated, space-separated). The partner's backend verifies it before it shows the outcome. It is a convenience
 * for the page the user lands on; the signed webhook stays the proof that money moved.
 *
 * ```ts
 * const result = await verifyHostedReturn(request.url, { secret: process.env.LIQX_WEBHOOK_SECRET! });
 * // result.intent_id, result.outcome ('completed' | 'rejected' | 'expired'), result.reason_code, ...
 * ```
 */
import { HOSTED_RETURN_PARAMS, HostedReturnPayload } from './liqx-contract.js';

/** The prefix the signature covers: a webhook signature can never pass as a return signature, nor the reverse. */
const SIGNED_PREFIX = 'liqx-hosted-return.v1.';
/** Default age a return may have: the user clicked "Done" moments after LIQX signed it. */
export const DEFAULT_HOSTED_RETURN_TOLERANCE_SECONDS = 300;
/** A return's parameters are small; anything longer is refused before it is decoded. */
const MAX_PARAM_CHARS = 4096;
const MAX_SECRETS = 4;

export type HostedReturnErrorCode =
  /** `liqx_result` or `liqx_sig` is missing, given twice, or too long. */
  | 'MISSING_PARAMS'
  /** The payload is not base64url JSON of the contract's shape (or the signature header is malformed). */
  | 'MALFORMED'
  /** No signature matches any configured secret: tampered, or signed for another partner. */
  | 'BAD_SIGNATURE'
  /** Signed longer ago than `toleranceSeconds` (or that far in the future). */
  | 'EXPIRED'
  /** `claim` says this return_id was accepted before. */
  | 'REPLAYED'
  /** No usable secret was configured. */
  | 'INVALID_SECRET';

export class HostedReturnError extends Error {
  override readonly name = 'HostedReturnError';
  constructor(
    readonly code: HostedReturnErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** `whsec_<base64>` (or bare base64) as LIQX prints it, or the raw key bytes. */
export type HostedReturnSecret = string | Uint8Array;

export interface VerifyHostedReturnOptions {
  /** The webhook secret LIQX signs with; a list while one is rotated (the return is signed with each). */
  secret: HostedReturnSecret | readonly HostedReturnSecret[];
  /** How old (or how far ahead) `issued_at` may be; default {@link DEFAULT_HOSTED_RETURN_TOLERANCE_SECONDS}. */
  toleranceSeconds?: number;
  /** Milliseconds since the epoch; default Date.now (tests). */
  now?: () => number;
  /**
   * Refuses replays: called once per verified return with its `return_id` and when the return stops being accepted
   * anyway. Resolve `true` the first time (store the id until `expiresAt`), `false` when the id was seen: REPLAYED.
   */
  claim?: (returnId: string, expiresAt: Date) => boolean | Promise<boolean>;
}

/** A verified return: the contract's payload, with `issued_at` as a Date too. */
export type HostedReturn = HostedReturnPayload & { issuedAt: Date };

const encoder = new TextEncoder();

function base64Bytes(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) return null;
  try {
    return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return base64Bytes(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
}

function keysOf(secret: VerifyHostedReturnOptions['secret']): Uint8Array[] {
  const list = typeof secret === 'string' || ArrayBuffer.isView(secret) ? [secret as HostedReturnSecret] : (secret as readonly HostedReturnSecret[]);
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_SECRETS) {
    throw new HostedReturnError('INVALID_SECRET', `Configure 1..${MAX_SECRETS} secrets.`);
  }
  return list.map((s) => {
    const key = typeof s === 'string' ? base64Bytes(s.startsWith('whsec_') ? s.slice(6) : s) : s;
    if (!key?.length) throw new HostedReturnError('INVALID_SECRET', 'A secret must be whsec_<base64> or raw key bytes.');
    return key;
  });
}

async function hmac(key: Uint8Array, text: string): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return new Uint8Array(await crypto.subtle.sign('HMAC', k, encoder.encode(text)));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/**
 * Signs a return (LIQX's side; the mock LIQX and tests use it): the two query parameters to append to `return_url`.
 * Not part of the partner API.
 */
export async function signHostedReturn(
  payload: HostedReturnPayload,
  secret: VerifyHostedReturnOptions['secret'],
): Promise<{ liqx_result: string; liqx_sig: string }> {
  const result = base64url(encoder.encode(JSON.stringify(HostedReturnPayload.parse(payload))));
  const sigs = await Promise.all(keysOf(secret).map(async (key) => `v1,${base64url(await hmac(key, SIGNED_PREFIX + result))}`));
  return { [HOSTED_RETURN_PARAMS.result]: result, [HOSTED_RETURN_PARAMS.signature]: sigs.join(' ') } as { liqx_result: string; liqx_sig: string };
}

function paramsOf(input: string | URL | URLSearchParams): URLSearchParams {
  if (input instanceof URLSearchParams) return input;
  if (input instanceof URL) return input.searchParams;
  if (typeof input !== 'string') throw new HostedReturnError('MISSING_PARAMS', 'Pass the return URL, its query string or its URLSearchParams.');
  // A full URL, a path with a query, or a bare query string.
  const q = input.indexOf('?');
  return new URLSearchParams(q >= 0 ? input.slice(q + 1).split('#')[0] : input);
}

function single(params: URLSearchParams, name: string): string {
  const values = params.getAll(name);
  if (values.length !== 1 || !values[0] || values[0].length > MAX_PARAM_CHARS) {
    throw new HostedReturnError('MISSING_PARAMS', `Expected exactly one ${name} of at most ${MAX_PARAM_CHARS} characters.`);
  }
  return values[0];
}

/**
 * Verifies a hosted-mode return (the URL the browser landed on, its query, or its URLSearchParams) and returns its
 * payload. Throws HostedReturnError: MISSING_PARAMS, MALFORMED, BAD_SIGNATURE, EXPIRED, REPLAYED, INVALID_SECRET.
 * The signature is checked before the payload is parsed, so nothing unsigned is ever read.
 */
export async function verifyHostedReturn(input: string | URL | URLSearchParams, options: VerifyHostedReturnOptions): Promise<HostedReturn> {
  const keys = keysOf(options.secret);
  const params = paramsOf(input);
  const result = single(params, HOSTED_RETURN_PARAMS.result);
  const header = single(params, HOSTED_RETURN_PARAMS.signature);
  const given: Uint8Array[] = [];
  for (const part of header.split(' ')) {
    const [version, sig, ...rest] = part.split(',');
    const bytes = version === 'v1' && rest.length === 0 && sig ? fromBase64url(sig) : null;
    // Unknown versions are skipped (a later LIQX may add one next to v1); a v1 that does not decode is malformed.
    if (version === 'v1' && !bytes) throw new HostedReturnError('MALFORMED', 'A v1 signature is not base64url.');
    if (bytes) given.push(bytes);
  }
  if (given.length === 0) throw new HostedReturnError('BAD_SIGNATURE', 'No v1 signature.');
  let matched = false;
  for (const key of keys) {
    const expected = await hmac(key, SIGNED_PREFIX + result);
    // Every pair is compared (no early exit): the time taken says nothing about which one matched.
    for (const sig of given) matched = sameBytes(expected, sig) || matched;
  }
  if (!matched) throw new HostedReturnError('BAD_SIGNATURE', 'The return signature does not match: it was altered, or signed with another secret.');

  const bytes = fromBase64url(result);
  let json: unknown;
  try {
    json = bytes ? JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = HostedReturnPayload.safeParse(json);
  if (!parsed.success) throw new HostedReturnError('MALFORMED', 'The return payload is not a LIQX hosted return.');

  const tolerance = options.toleranceSeconds ?? DEFAULT_HOSTED_RETURN_TOLERANCE_SECONDS;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw new RangeError('toleranceSeconds must be a non-negative number.');
  const nowSeconds = Math.floor((options.now ?? Date.now)() / 1000);
  if (Math.abs(nowSeconds - parsed.data.issued_at) > tolerance) {
    throw new HostedReturnError('EXPIRED', `The return was signed ${nowSeconds - parsed.data.issued_at} s ago; at most ${tolerance} s is accepted.`);
  }
  if (options.claim) {
    const expiresAt = new Date((parsed.data.issued_at + tolerance) * 1000);
    if (!(await options.claim(parsed.data.return_id, expiresAt))) throw new HostedReturnError('REPLAYED', 'This return was already used.');
  }
  return { ...parsed.data, issuedAt: new Date(parsed.data.issued_at * 1000) };
}
