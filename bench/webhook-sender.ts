/**
 * The webhook sender of the ingest benchmarks (bench/server.ts, bench/stores.ts), run in a worker thread so that
 * signing and HTTP client work do not count as server time (a real sender is another machine). Signs every event
 * the Standard Webhooks way, warms each endpoint up with a few deliveries that are not counted, then POSTs `count`
 * events round-robin over the endpoints with `concurrency` in flight and reports the elapsed time and how many were
 * not stored exactly once.
 */
import http from 'node:http';
import { parentPort, workerData } from 'node:worker_threads';
import { Webhook } from 'standardwebhooks';

export interface SenderInput {
  /** The partner webhook endpoint of each instance (one for a single server). */
  urls: string[];
  secret: string;
  count: number;
  concurrency: number;
  /** Post `{ started: true }` when the timed deliveries start (after the warm-up). */
  signalStart?: boolean;
}
export interface SenderResult {
  /** The timed deliveries' elapsed time (warm-up not included). */
  seconds: number;
  failed: number;
}

const { urls, secret, count, concurrency, signalStart } = workerData as SenderInput;
const wh = new Webhook(secret);
const run = `${process.pid}_${Date.now()}`;

function signed(prefix: string, i: number) {
  const now = new Date();
  const body = JSON.stringify({
    type: 'transaction.completed',
    timestamp: now.toISOString(),
    data: { intent_id: `pi_${prefix}_${run}_${i}`, external_ref: `ext_bench_${i}`, external_user_id: 'crm-user-0001', phase: 'PAYOUT', status: 'completed', amount_krw: '100000', amount_usdt: '75.000000', transaction_id: `tx_bench_${i}`, attempt: 1 },
  });
  const id = `msg_${prefix}_${run}_${i}`;
  return { body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': String(Math.floor(now.getTime() / 1000)), 'webhook-signature': wh.sign(id, now, body) } };
}

// node:http with keep-alive: a fraction of fetch's (undici's) cost per request.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
function post(url: string, { headers, body }: ReturnType<typeof signed>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const stored = (res: { status: number; body: string }) => {
  const json = JSON.parse(res.body) as { received?: boolean; duplicate?: boolean };
  return res.status === 200 && json.received === true && json.duplicate === false;
};

// Warm-up: JIT on both sides, the first database pages, on every instance.
for (const [u, url] of urls.entries()) for (let i = 0; i < 5; i++) if (!stored(await post(url, signed(`warm${u}`, i)))) throw new Error(`warm-up delivery to ${url} was not stored`);

const requests = Array.from({ length: count }, (_, i) => signed('bench', i));
let next = 0;
let failed = 0;
// The timed part starts: a caller that asked is told, to start counters of its own (bench/server.ts alone).
if (signalStart) parentPort!.postMessage({ started: true });
const t0 = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < requests.length) {
      const i = next++;
      if (!stored(await post(urls[i % urls.length]!, requests[i]!))) failed++;
    }
  }),
);
const result: SenderResult = { seconds: (performance.now() - t0) / 1000, failed };
agent.destroy();
parentPort!.postMessage(result);
