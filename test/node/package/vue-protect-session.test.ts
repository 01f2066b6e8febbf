/**
 * `protectSession` (liqx-payout-widget/vue): the token is in none of what a console or a serializer shows (enumerable
 * fields, JSON, Node's inspection), the element's own session parsing still reads it, and Vue's reactivity leaves the
 * object unwrapped (frozen). The browser side (Vue's dev warning in a real app) is in the examples e2e.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { protectSession, REDACTED_TOKEN } from '../../../src/vue.js';
import { resolveSession } from '../../../src/protocol/session.js';

const TOKEN = `lqxwst_${'k'.repeat(43)}`;
const session = {
  session_id: 'ws_3b1d8f0a2c4e6a8b0d2f4a6c',
  widget_url: 'https://widget.liqx.example/widget/ws_3b1d8f0a2c4e6a8b0d2f4a6c',
  session_token: TOKEN,
  expires_at: '2030-01-01T00:00:00.000Z',
  intent_id: 'pi_1',
};

test('the token is in no enumerable field, JSON, inspection or spread copy', () => {
  const p = protectSession(session);
  assert.deepEqual(Object.keys(p), ['session_id', 'widget_url', 'expires_at', 'intent_id']);
  for (const shown of [JSON.stringify(p), inspect(p, { depth: 5, showHidden: false }), JSON.stringify({ ...p }), String(Object.values(p))]) {
    assert.ok(!shown.includes(TOKEN), `shown: ${shown}`);
  }
  assert.equal(JSON.parse(JSON.stringify(p)).session_token, REDACTED_TOKEN);
  assert.match(inspect(p), /session_token: '\[redacted\]'/);
});

test('the element reads the same session: its token and the other fields', () => {
  const p = protectSession(session);
  assert.equal(p.session_token, TOKEN);
  const resolved = resolveSession(p);
  assert.ok(resolved.ok, JSON.stringify(resolved));
  assert.equal(resolved.session.token, TOKEN);
  assert.equal(resolved.session.sessionId, session.session_id);
  assert.equal(resolved.session.intentId, session.intent_id);
  // Protecting twice keeps the token (a component may pass on what it was given).
  assert.equal(protectSession(p).session_token, TOKEN);
});

test('frozen: Vue does not wrap it in a reactive proxy, and nothing can swap the token', () => {
  const p = protectSession(session);
  assert.ok(Object.isFrozen(p));
  assert.throws(() => Object.defineProperty(p, 'session_token', { value: 'x' }), TypeError);
  // The caller's object is left as it was.
  assert.equal(Object.keys(session).includes('session_token'), true);
});

test('not a session -> TypeError naming what was expected', () => {
  for (const bad of [null, undefined, 'lqxwst_x', {}, { session_token: 42 }]) {
    assert.throws(() => protectSession(bad as never), { name: 'TypeError', message: /widget session object/ });
  }
});
