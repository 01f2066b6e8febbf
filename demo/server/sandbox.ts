/**
 * The mock LIQX alone, as a sandbox for a partner's own page and backend (`npm run sandbox`).
 *
 *   PARTNER_ORIGINS=http://localhost:4519 WEBHOOK_URL=http://localhost:4519/webhooks/liqx npm run sandbox
 *
 * Environment (all optional; printed at start):
 *   PARTNER_ORIGINS   comma-separated page origins that may embed the widget frame: its CSP
 *                     `frame-ancestors` and the frame's allowed parent origins. Unset: no page may embed it.
 *   WEBHOOK_URL       where the signed webhooks go. Unset: they are logged (GET /v1/webhook-deliveries), not sent.
 *   LIQX_PORT (4318), LIQX_HOST (127.0.0.1), LIQX_PUBLIC_ORIGIN (the origin in widget_url; default the request's)
 *   ALLOWED_HOSTS     comma-separated Host values (host or host:port) answered besides localhost, 127.0.0.1 and
 *                     [::1] on the port and LIQX_PUBLIC_ORIGIN's host; any other Host gets 421 (DNS rebinding)
 *   LIQX_API_KEY, WEBHOOK_SECRET (whsec_<base64>): default to the demo's sandbox credentials below
 *   WEBHOOK_SECRET_PREVIOUS (whsec_<base64>): a rotation's grace period: each delivery is signed with both secrets
 *   DEMO_DIST_DIR (demo/dist: the built frame page)
 *   INTENT_TTL_MS (15 min), EXPIRES_TTL_MS (8000), SESSION_TTL_MS (15 min), CONFIRM_DELAY_MS (600),
 *   WEBHOOK_RETRY_BASE_MS (500), WEBHOOK_MAX_ATTEMPTS (8)
 *
 *   const sandbox = await startSandbox({ port: 0, partnerOrigins: ['http://localhost:4519'], webhookUrl });
 *   sandbox.url, sandbox.apiKey, sandbox.webhookSecret; await sandbox.close();
 *
 * `npm run demo` starts the same mock LIQX beside the partner proxy (./main.ts), with the same options.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listen } from './http.js';
import { createLiqxApp, type LiqxServer } from './liqx/app.js';

/** Sandbox-only credentials: the mock runs on your machine; never reuse them anywhere real. */
export const SANDBOX_WEBHOOK_SECRET = `whsec_${Buffer.from('liqx-demo-webhook-secret-not-for-production').toString('base64')}`;
export const SANDBOX_API_KEY = 'lqx_test_partner_demo_0001';

export interface SandboxOptions {
  /** 0 = any free port. Default 4318. */
  port?: number;
  /** Default 127.0.0.1. */
  hostname?: string;
  /** Page origins that may embed the frame; read per request when a function. */
  partnerOrigins?: string[] | (() => string[]);
  /** Where webhooks go; read at each delivery when a function. Empty: logged, not sent. */
  webhookUrl?: string | (() => string);
  /** The origin put in widget_url. Default: the origin this server listens on. Its host is always answered. */
  publicOrigin?: string;
  /** Host header values answered besides the loopback names on the port (ALLOWED_HOSTS); others get 421. */
  allowedHosts?: string[];
  apiKey?: string;
  webhookSecret?: string;
  /** The secret being rotated out (WEBHOOK_SECRET_PREVIOUS): deliveries carry a signature with each. */
  previousWebhookSecret?: string;
  /** Built pages (vite build --config demo/vite.config.ts). Default demo/dist. */
  distDir?: string;
  intentTtlMs?: number;
  /** TTL of the EXPIRES scenario. Default 8000. */
  expiresTtlMs?: number;
  sessionTtlMs?: number;
  confirmDelayMs?: number;
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
  /** The clock of intent and session deadlines (tests). */
  now?: () => number;
}

export interface RunningSandbox {
  /** `http://<host>:<port>` (no trailing slash). */
  url: string;
  apiKey: string;
  webhookSecret: string;
  partnerOrigins: () => string[];
  webhookUrl: () => string;
  liqx: LiqxServer;
  close(): Promise<void>;
}

export const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

const fn = <T>(v: T | (() => T) | undefined, fallback: T): (() => T) => (typeof v === 'function' ? (v as () => T) : () => v ?? fallback);

/** Throws on an entry that is not a bare http(s) origin (a path or a typo would silently never match). */
export function parseOrigins(list: string): string[] {
  return list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      let url: URL;
      try {
        url = new URL(entry);
      } catch {
        throw new Error(`PARTNER_ORIGINS: "${entry}" is not a URL (expected an origin such as http://localhost:4519)`);
      }
      if (!/^https?:$/.test(url.protocol) || url.origin !== entry.replace(/\/$/, '')) {
        throw new Error(`PARTNER_ORIGINS: "${entry}" is not an origin (scheme://host[:port], no path), e.g. ${url.origin}`);
      }
      return url.origin;
    });
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const apiKey = options.apiKey ?? SANDBOX_API_KEY;
  const webhookSecret = options.webhookSecret ?? SANDBOX_WEBHOOK_SECRET;
  if (!webhookSecret.startsWith('whsec_')) throw new Error('The webhook secret must be whsec_<base64>.');
  if (options.previousWebhookSecret !== undefined && !options.previousWebhookSecret.startsWith('whsec_')) {
    throw new Error('WEBHOOK_SECRET_PREVIOUS must be whsec_<base64>.');
  }
  const partnerOrigins = fn(options.partnerOrigins, []);
  const webhookUrl = fn(options.webhookUrl, '');
  let self = '';
  const liqx = createLiqxApp({
    apiKey,
    webhookSecret,
    previousWebhookSecret: options.previousWebhookSecret,
    webhookUrl,
    partnerOrigins,
    publicOrigin: () => options.publicOrigin ?? self,
    distDir: options.distDir ?? DEFAULT_DIST,
    intentTtlMs: options.intentTtlMs ?? 15 * 60_000,
    expiresTtlMs: options.expiresTtlMs ?? 8_000,
    sessionTtlMs: options.sessionTtlMs ?? 15 * 60_000,
    retryBaseMs: options.webhookRetryBaseMs ?? 500,
    maxAttempts: options.webhookMaxAttempts ?? 8,
    confirmDelayMs: options.confirmDelayMs ?? 600,
    now: options.now,
  });
  let server;
  try {
    const publicHost = options.publicOrigin ? [new URL(options.publicOrigin).host] : [];
    server = await listen(liqx.app, options.port ?? 4318, options.hostname, { allowedHosts: [...publicHost, ...(options.allowedHosts ?? [])] });
  } catch (error) {
    liqx.close();
    throw error;
  }
  self = server.url;
  let closed = false;
  return {
    url: server.url,
    apiKey,
    webhookSecret,
    partnerOrigins,
    webhookUrl,
    liqx,
    async close() {
      if (closed) return;
      closed = true;
      liqx.close();
      await server.close();
    },
  };
}

/** A non-negative integer from the environment, or undefined when unset; anything else stops the start with a clear line. */
export const envInt = (name: string): number | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${v}"`);
  return n;
};

/** Reads the sandbox options from the environment (shared with `npm run demo`). */
export function sandboxEnv(env = process.env): SandboxOptions & { partnerOrigins?: string[]; webhookUrl?: string } {
  return {
    port: envInt('LIQX_PORT'),
    hostname: env.LIQX_HOST || undefined,
    partnerOrigins: env.PARTNER_ORIGINS ? parseOrigins(env.PARTNER_ORIGINS) : undefined,
    webhookUrl: env.WEBHOOK_URL || undefined,
    publicOrigin: env.LIQX_PUBLIC_ORIGIN || undefined,
    allowedHosts: env.ALLOWED_HOSTS ? env.ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) : undefined,
    distDir: env.DEMO_DIST_DIR || undefined,
    apiKey: env.LIQX_API_KEY || undefined,
    webhookSecret: env.WEBHOOK_SECRET || undefined,
    previousWebhookSecret: env.WEBHOOK_SECRET_PREVIOUS || undefined,
    intentTtlMs: envInt('INTENT_TTL_MS'),
    expiresTtlMs: envInt('EXPIRES_TTL_MS'),
    sessionTtlMs: envInt('SESSION_TTL_MS'),
    confirmDelayMs: envInt('CONFIRM_DELAY_MS'),
    webhookRetryBaseMs: envInt('WEBHOOK_RETRY_BASE_MS'),
    webhookMaxAttempts: envInt('WEBHOOK_MAX_ATTEMPTS'),
  };
}

/** The start-up banner: everything a partner's page and backend need. */
export function describeSandbox(s: RunningSandbox): string {
  const origins = s.partnerOrigins();
  const hook = s.webhookUrl();
  return [
    `Mock LIQX sandbox:      ${s.url}/`,
    `OpenAPI document:       ${s.url}/openapi.json`,
    `PARTNER_ORIGINS:        ${origins.length ? origins.join(', ') : "(none: no page may embed the widget; set PARTNER_ORIGINS=http://localhost:4519)"}`,
    `WEBHOOK_URL:            ${hook || '(not set: webhooks are logged at GET /v1/webhook-deliveries, not sent)'}`,
    `Partner API key:        ${s.apiKey}   (Authorization: Bearer ..., server side only)`,
    `Webhook secret:         ${s.webhookSecret}`,
  ].join('\n');
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const sandbox = await startSandbox(sandboxEnv());
  console.log(describeSandbox(sandbox));
  const stop = () => void sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
