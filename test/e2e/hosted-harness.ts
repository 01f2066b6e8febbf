/**
 * Shared set-up of the hosted-mode e2e tests (hosted.e2e.test.ts on Chromium, hosted-webkit.e2e.test.ts on
 * WebKitGTK): the demo pages built into a private directory, the mock LIQX sandbox, a webhook receiver it posts to,
 * and the partner's return page, which verifies the signed result with the kit (verifyHostedReturn) before it shows
 * anything. Every server is on loopback on a free port; `close()` stops them and removes the directory.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { startSandbox, type RunningSandbox } from '../../demo/server/sandbox.js';
import { createLiqxClient, HostedReturnError, verifyHostedReturn, type HostedReturn, type LiqxClient } from '../../src/server/index.js';

const ROOT = resolve(import.meta.dirname, '../..');
export const STEP_TIMEOUT = 30_000;

/** One request to the partner's return page. */
export interface PartnerReturn {
  url: string;
  referer: string | undefined;
  /** What the page shows: `verified <intent_id> <outcome>[ <reason_code>]` or `refused <code>`. */
  verdict: string;
  /** The verified result, or null when the partner refused it. */
  result: HostedReturn | null;
}

export interface HostedHarness {
  sandbox: RunningSandbox;
  client: LiqxClient;
  /** `http://localhost:<port>`: another site than the mock LIQX (127.0.0.1), as a partner's is. */
  partnerOrigin: string;
  /** Every webhook the sandbox delivered, in arrival order. */
  webhooks: { intent_id: string; type: string }[];
  /** Every request to the partner's return page, in arrival order. */
  returns: PartnerReturn[];
  /** Reserves an intent that returns to the partner's page (`EXPIRES` with `expire`), and its hosted link. */
  hostedPayout(o: { ref: string; expire: boolean; user: { id: string; name: string; email: string } }): Promise<{ intentId: string; url: string; sessionId: string }>;
  close(): Promise<void>;
}

/** Polls `get` until it returns a value; fails naming `what` after `ms`. */
export async function waitFor<T>(what: string, get: () => T | undefined | Promise<T | undefined>, ms = STEP_TIMEOUT, pollMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

const listen = (server: Server) => new Promise<number>((ok) => server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port)));
const closeServer = (s: Server) => new Promise<void>((ok) => (s.close(() => ok()), s.closeAllConnections()));
const readBody = (req: IncomingMessage) =>
  new Promise<string>((ok, fail) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });

/** Builds the demo pages, starts the receiver, the partner's return page and the sandbox (its reservations expire after `expiresTtlMs`). */
export async function startHostedHarness(options: { expiresTtlMs: number; tmpPrefix: string }): Promise<HostedHarness> {
  const workDir = mkdtempSync(join(tmpdir(), options.tmpPrefix));
  const servers: Server[] = [];
  let sandbox: RunningSandbox | undefined;
  const close = async () => {
    await sandbox?.close();
    await Promise.all(servers.map(closeServer));
    rmSync(workDir, { recursive: true, force: true });
  };
  try {
    const distDir = join(workDir, 'dist');
    const viteBin = join(dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
    const built = spawnSync(process.execPath, [viteBin, 'build', '--config', 'demo/vite.config.ts', '--outDir', distDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(built.status, 0, `vite build failed:\n${built.stdout}\n${built.stderr}`);

    const webhooks: HostedHarness['webhooks'] = [];
    const receiver = createServer(async (req, res) => {
      const event = JSON.parse(await readBody(req));
      webhooks.push({ intent_id: event.data.intent_id, type: event.type });
      res.writeHead(204).end();
    });
    servers.push(receiver);
    const receiverUrl = `http://127.0.0.1:${await listen(receiver)}/webhooks/liqx`;

    const returns: PartnerReturn[] = [];
    let partnerOrigin = '';
    const partner = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', partnerOrigin);
      if (url.pathname !== '/done') return void res.writeHead(404).end();
      let result: HostedReturn | null = null;
      let verdict: string;
      try {
        result = await verifyHostedReturn(url, { secret: sandbox!.webhookSecret });
        verdict = `verified ${result.intent_id} ${result.outcome}${result.reason_code ? ` ${result.reason_code}` : ''}`;
      } catch (error) {
        verdict = `refused ${error instanceof HostedReturnError ? error.code : String(error)}`;
      }
      returns.push({ url: url.toString(), referer: req.headers.referer, verdict, result });
      res.writeHead(result ? 200 : 400, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html><title>Partner</title><p id="verdict">${verdict}</p>`);
    });
    servers.push(partner);
    partnerOrigin = `http://localhost:${await listen(partner)}`;

    sandbox = await startSandbox({ port: 0, distDir, webhookUrl: receiverUrl, expiresTtlMs: options.expiresTtlMs, confirmDelayMs: 100, webhookRetryBaseMs: 50 });
    const client = createLiqxClient({ baseUrl: sandbox.url, apiKey: sandbox.apiKey });

    return {
      sandbox,
      client,
      partnerOrigin,
      webhooks,
      returns,
      async hostedPayout({ ref, expire, user }) {
        const intent = await client.createIntent({
          scenario: expire ? 'EXPIRES' : 'VERIFIED',
          external_ref: ref,
          external_user_id: user.id,
          legal_name: user.name,
          user_email: user.email,
          return_url: `${partnerOrigin}/done?order=${ref}`,
          amount_krw: '50000',
          amount_usdt: '37.500000',
        });
        assert.ok(intent.ok, JSON.stringify(intent));
        const link = await client.createHostedLink(intent.data.intent_id);
        assert.ok(link.ok, JSON.stringify(link));
        return { intentId: intent.data.intent_id, url: link.data.url, sessionId: link.data.session_id };
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
