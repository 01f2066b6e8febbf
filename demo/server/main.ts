/**
 * Starts the whole demo: the mock LIQX server and the partner proxy, on two loopback origins, sharing
 * nothing but HTTP, the webhook secret and the partner API key.
 *
 *   npm run demo                       (scripts/demo.mjs: vite build, then this file via tsx)
 *   PORT=4317 LIQX_PORT=4318 DATA_DIR=.data WEBHOOK_RETRY_BASE_MS=50 EXPIRES_TTL_MS=8000
 *   DATABASE_URL=postgres://user@host/db   receipts in PostgreSQL instead of <DATA_DIR>/receipts.sqlite
 *   and the mock LIQX's options, read as `npm run sandbox` reads them (./sandbox.ts): PARTNER_ORIGINS (added to the
 *   demo page's own origin), WEBHOOK_URL (instead of the demo proxy's endpoint), LIQX_API_KEY, WEBHOOK_SECRET,
 *   INTENT_TTL_MS, SESSION_TTL_MS, CONFIRM_DELAY_MS, WEBHOOK_MAX_ATTEMPTS, ALLOWED_HOSTS (both servers answer only
 *   localhost, 127.0.0.1 and [::1] on their ports, and these Host values: DNS rebinding)
 *
 *   const demo = await startDemo({ port: 0, liqxPort: 0, dataDir, webhookRetryBaseMs: 10 });
 *   demo.partnerUrl, demo.liqxUrl   // 'http://127.0.0.1:<port>'
 *   await demo.close();
 *
 * Receipts live in <dataDir>/receipts.sqlite (created on first run), or in PostgreSQL with `databaseUrl` /
 * DATABASE_URL, and survive restarts.
 */
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { listen, type Listening } from './http.js';
import { createLiqxApp } from './liqx/app.js';
import { createLiqxClient } from '../../src/server/index.js';
import { createPartnerApp } from './partner/app.js';
import { openDemoStore } from './receipt-store.js';
import { SANDBOX_API_KEY, SANDBOX_WEBHOOK_SECRET, envInt, sandboxEnv } from './sandbox.js';

/** Demo-only credentials (the sandbox's): both servers run on your machine; never reuse them anywhere real. */
export const DEMO_WEBHOOK_SECRET = SANDBOX_WEBHOOK_SECRET;
export const DEMO_PARTNER_API_KEY = SANDBOX_API_KEY;

export interface DemoOptions {
  /** Partner page port; 0 = any free port. Default 4317. */
  port?: number;
  /** Mock LIQX port; 0 = any free port. Default 4318. */
  liqxPort?: number;
  /** Holds receipts.sqlite. Default `.data`. */
  dataDir?: string;
  /** Built pages (vite build --config demo/vite.config.ts). Default demo/dist. */
  distDir?: string;
  /** First retry delay of the webhook dispatcher (the rest keep Standard Webhooks' proportions: x60, x360, ...). Default 50, so the flaky-endpoint scenario settles in about 3 s on screen. */
  webhookRetryBaseMs?: number;
  webhookMaxAttempts?: number;
  /** Replay window of the partner's webhook endpoint, seconds (at most 300). Default 300. */
  webhookToleranceSec?: number;
  /** TTL of the EXPIRES scenario. Default 8000. */
  expiresTtlMs?: number;
  /** TTL of any other reservation. Default 15 minutes. */
  intentTtlMs?: number;
  sessionTtlMs?: number;
  /** Simulated settlement time after Confirm. Default 600. */
  confirmDelayMs?: number;
  /** Deliveries a PARTNER_ENDPOINT_FLAKY intent refuses first. Default 2. */
  flakyFailures?: number;
  webhookSecret?: string;
  partnerApiKey?: string;
  /** Where LIQX sends webhooks. Default `<partnerUrl>/api/webhooks/liqx`. */
  webhookUrl?: string;
  /** More page origins allowed to embed the widget frame, besides the demo page's own (PARTNER_ORIGINS). */
  partnerOrigins?: string[];
  /** Shared HMAC secrets of the cash-out reference and Ipay endpoints. Default DEMO_PROVIDER_SECRETS. */
  providerSecrets?: { cashout: string; ipay: string };
  /** PostgreSQL URL: keep receipts there instead of <dataDir>/receipts.sqlite. */
  databaseUrl?: string;
  /** Host header values both servers answer besides localhost, 127.0.0.1 and [::1] on their ports (ALLOWED_HOSTS). */
  allowedHosts?: string[];
}

export interface RunningDemo {
  partnerUrl: string;
  liqxUrl: string;
  dataDir: string;
  /** The receipts file, or the database URL (without password). */
  receipts: string;
  webhookSecret: string;
  partnerApiKey: string;
  /** Whether a confirm LIQX accepted is still settling for this intent (tests reload the page inside that delay). */
  isSettling(intentId: string): boolean;
  close(): Promise<void>;
}

const DEFAULT_DIST = fileURLToPath(new URL('../dist', import.meta.url));

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? '.data');
  const webhookSecret = options.webhookSecret ?? DEMO_WEBHOOK_SECRET;
  const partnerApiKey = options.partnerApiKey ?? DEMO_PARTNER_API_KEY;
  const distDir = options.distDir ?? DEFAULT_DIST;
  // Each server needs the other's origin, known only once both listen (port 0): read lazily.
  const origins = { partner: '', liqx: '' };

  const { store, location } = await openDemoStore(dataDir, options.databaseUrl);
  const liqx = createLiqxApp({
    apiKey: partnerApiKey,
    webhookSecret,
    webhookUrl: () => options.webhookUrl ?? `${origins.partner}/api/webhooks/liqx`,
    partnerOrigins: () => [origins.partner, ...(options.partnerOrigins ?? [])],
    publicOrigin: () => origins.liqx,
    distDir,
    intentTtlMs: options.intentTtlMs ?? 15 * 60_000,
    expiresTtlMs: options.expiresTtlMs ?? 8_000,
    sessionTtlMs: options.sessionTtlMs ?? 15 * 60_000,
    retryBaseMs: options.webhookRetryBaseMs ?? 50,
    maxAttempts: options.webhookMaxAttempts ?? 8,
    confirmDelayMs: options.confirmDelayMs ?? 600,
  });
  const partner = createPartnerApp({
    liqx: createLiqxClient({ baseUrl: () => origins.liqx, apiKey: partnerApiKey }),
    liqxOrigin: () => origins.liqx,
    webhookSecret,
    webhookToleranceSec: options.webhookToleranceSec ?? 300,
    store,
    distDir,
    flakyFailures: options.flakyFailures ?? 2,
    providerSecrets: options.providerSecrets,
    selfUrl: () => origins.partner,
    liqxApi: { baseUrl: () => origins.liqx, apiKey: partnerApiKey },
  });

  const servers: Listening[] = [];
  try {
    const liqxServer = await listen(liqx.app, options.liqxPort ?? 4318, undefined, { allowedHosts: options.allowedHosts });
    servers.push(liqxServer);
    const partnerServer = await listen(partner, options.port ?? 4317, undefined, { allowedHosts: options.allowedHosts });
    servers.push(partnerServer);
    origins.liqx = liqxServer.url;
    origins.partner = partnerServer.url;
  } catch (error) {
    liqx.close();
    await Promise.all(servers.map((s) => s.close()));
    await store.close();
    throw error;
  }

  let closed = false;
  return {
    partnerUrl: origins.partner,
    liqxUrl: origins.liqx,
    dataDir,
    receipts: location,
    webhookSecret,
    partnerApiKey,
    isSettling: (intentId) => liqx.book.settling(intentId) !== undefined,
    async close() {
      if (closed) return;
      closed = true;
      liqx.close();
      await Promise.all(servers.map((s) => s.close()));
      await store.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const liqx = sandboxEnv();
  const demo = await startDemo({
    port: envInt('PORT'),
    liqxPort: liqx.port,
    dataDir: process.env.DATA_DIR || undefined,
    webhookRetryBaseMs: liqx.webhookRetryBaseMs,
    webhookMaxAttempts: liqx.webhookMaxAttempts,
    expiresTtlMs: liqx.expiresTtlMs,
    intentTtlMs: liqx.intentTtlMs,
    sessionTtlMs: liqx.sessionTtlMs,
    confirmDelayMs: liqx.confirmDelayMs,
    partnerOrigins: liqx.partnerOrigins,
    webhookUrl: liqx.webhookUrl,
    partnerApiKey: liqx.apiKey,
    webhookSecret: liqx.webhookSecret,
    databaseUrl: process.env.DATABASE_URL || undefined,
    allowedHosts: liqx.allowedHosts,
  });
  console.log(`Mock LIQX:              ${demo.liqxUrl}/   (OpenAPI: ${demo.liqxUrl}/openapi.json)`);
  console.log(`PARTNER_ORIGINS:        ${[demo.partnerUrl, ...(liqx.partnerOrigins ?? [])].join(', ')}`);
  console.log(`WEBHOOK_URL:            ${liqx.webhookUrl ?? `${demo.partnerUrl}/api/webhooks/liqx (the demo proxy)`}`);
  console.log(`Partner API key:        ${demo.partnerApiKey}`);
  console.log(`Webhook secret:         ${demo.webhookSecret}`);
  console.log(`Receipts:               ${demo.receipts}`);
  console.log(`Partner CRM simulator: ${demo.partnerUrl}/`);
  const stop = () => void demo.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
