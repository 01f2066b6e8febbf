/**
 * The sandbox's OpenAPI 3.1 document (GET /openapi.json): every route the mock LIQX server has is in it, every
 * example validates with the zod schema the server parses with, and the documented request schemas are those
 * schemas (a body the document's example describes is accepted by the running server).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startSandbox, type RunningSandbox } from '../../../demo/server/sandbox.js';
import { EXAMPLES, EXAMPLE_SCHEMAS } from '../../../demo/server/liqx/openapi.js';

let sandbox: RunningSandbox;
let doc: any;
before(async () => {
  sandbox = await startSandbox({ port: 0, confirmDelayMs: 0 });
  const res = await fetch(`${sandbox.url}/openapi.json`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /application\/json/);
  doc = await res.json();
});
after(async () => {
  await sandbox.close();
});

/** Hono's `/a/:id/*` as OpenAPI's `/a/{id}`; middleware (method ALL) is not a route. */
function serverRoutes(): string[] {
  const routes = sandbox.liqx.app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:(\w+)/g, '{$1}')}`);
  return [...new Set(routes)].sort();
}

test('is OpenAPI 3.1 with this server as its server', () => {
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.servers[0].url, sandbox.url);
  assert.ok(doc.components.securitySchemes.partnerApiKey);
});

test('documents every route the server has, and no route it does not have', () => {
  const documented = Object.entries(doc.paths)
    .flatMap(([path, ops]) => Object.keys(ops as object).map((method) => `${method} ${path}`))
    .sort();
  const routes = serverRoutes();
  assert.ok(routes.length >= 10, `the app lists its routes: ${routes.join(', ')}`);
  assert.deepEqual(documented, routes);
});

test('every example validates with the zod schema the server uses, and every inline example is one of them', () => {
  for (const [name, example] of Object.entries(EXAMPLES)) {
    const parsed = EXAMPLE_SCHEMAS[name as keyof typeof EXAMPLES].safeParse(example);
    assert.ok(parsed.success, `${name}: ${parsed.success ? '' : JSON.stringify(parsed.error.issues)}`);
  }
  // Every example embedded in the served document (request bodies, responses, webhooks) is checked above.
  const known = new Set(Object.values(EXAMPLES).map((e) => JSON.stringify(e)));
  let count = 0;
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'example') {
        count++;
        if (typeof v === 'object') assert.ok(known.has(JSON.stringify(v)), `an unchecked example: ${JSON.stringify(v)}`);
      } else walk(v);
    }
  };
  walk(doc.paths);
  walk(doc.webhooks);
  assert.ok(count >= 15, `examples found: ${count}`);
});

test('the schemas come from zod: the request body schema has the contract\'s fields and rules', () => {
  const create = doc.components.schemas.CreateIntentRequest;
  // scenario is optional: a partner's backend sends none and the sandbox plays VERIFIED.
  assert.deepEqual([...create.required].sort(), ['amount_krw', 'amount_usdt', 'external_ref', 'external_user_id', 'legal_name', 'return_url', 'user_email']);
  assert.ok(create.properties.scenario.enum.includes('VERIFIED'));
  assert.equal(create.properties.scenario.default, 'VERIFIED');
  assert.equal(create.properties.amount_krw.pattern, '^[1-9][0-9]{0,11}$');
  assert.deepEqual(doc.components.schemas.DeclineRequest.properties.reason_code.enum, ['USER_DECLINED', 'AMOUNT_INCORRECT', 'ACCOUNT_INCORRECT', 'NOT_REQUESTED']);
  assert.ok(doc.components.schemas.WidgetPayout.required.includes('session_expires_at'));
});

test('the documented examples work against the running sandbox: create, exchange, read, decline', async () => {
  const auth = (key: string) => ({ authorization: `Bearer ${key}`, 'content-type': 'application/json' });
  const created = await fetch(`${sandbox.url}/v1/payout-intents`, { method: 'POST', headers: auth(sandbox.apiKey), body: JSON.stringify(EXAMPLES.CreateIntentRequest) });
  assert.equal(created.status, 201);
  const intent = await created.json();
  assert.ok(EXAMPLE_SCHEMAS.Intent.safeParse(intent).success);
  const exchanged = await fetch(`${sandbox.url}/v1/payout-intents/${intent.intent_id}/widget-sessions`, { method: 'POST', headers: auth(sandbox.apiKey) });
  assert.equal(exchanged.status, 201);
  const session = await exchanged.json();
  assert.ok(EXAMPLE_SCHEMAS.WidgetSession.safeParse(session).success);
  const view = await (await fetch(`${sandbox.url}/v1/widget/payout`, { headers: auth(session.session_token) })).json();
  assert.ok(EXAMPLE_SCHEMAS.WidgetPayout.safeParse(view).success, JSON.stringify(view));
  const declined = await fetch(`${sandbox.url}/v1/widget/payout/decline`, { method: 'POST', headers: auth(session.session_token), body: JSON.stringify(EXAMPLES.DeclineRequest) });
  assert.equal(declined.status, 200);
  const refused = await fetch(`${sandbox.url}/v1/widget/payout`, { headers: auth(session.session_token) });
  assert.equal(refused.status, 401);
  assert.ok(EXAMPLE_SCHEMAS.LiqxError.safeParse(await refused.json()).success);
});

test('the recovery routes answer with their documented schemas: events list, one event, redeliver, delivery log', async () => {
  const auth = { authorization: `Bearer ${sandbox.apiKey}` };
  // The decline above sent a transaction.failed event (logged only: this sandbox has no WEBHOOK_URL).
  const page = await (await fetch(`${sandbox.url}/v1/events?limit=1`, { headers: auth })).json();
  assert.ok(EXAMPLE_SCHEMAS.EventPage.safeParse(page).success, JSON.stringify(page));
  assert.equal(page.data.length, 1);
  const event = await (await fetch(`${sandbox.url}/v1/events/${page.data[0].id}`, { headers: auth })).json();
  assert.ok(EXAMPLE_SCHEMAS.Event.safeParse(event).success, JSON.stringify(event));
  const redelivered = await fetch(`${sandbox.url}/v1/events/${event.id}/redeliver`, { method: 'POST', headers: auth });
  assert.equal(redelivered.status, 200);
  assert.ok(EXAMPLE_SCHEMAS.Redelivery.safeParse(await redelivered.json()).success);
  const log = await (await fetch(`${sandbox.url}/v1/webhook-deliveries?event_id=${event.id}`, { headers: auth })).json();
  assert.ok(EXAMPLE_SCHEMAS.WebhookDeliveries.safeParse(log).success, JSON.stringify(log));
  assert.deepEqual(log.deliveries.map((d: { trigger: string }) => d.trigger), ['schedule', 'redeliver']);
  const missing = await fetch(`${sandbox.url}/v1/events/msg_missing`, { headers: auth });
  assert.equal(missing.status, 404);
  assert.ok(EXAMPLE_SCHEMAS.EventNotFound.safeParse(await missing.json()).success);
  const documented = doc.paths['/v1/events'].get.parameters.map((p: { name: string }) => p.name);
  assert.deepEqual(documented, ['since', 'cursor', 'limit']);
  assert.equal(doc.paths['/v1/events'].get.parameters[2].schema.maximum, 100);
});
