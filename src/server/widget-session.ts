/**
 * The element's session schema (../protocol/session.ts) as a zod schema for the server kit: the LIQX client parses
 * LIQX's answer with it, and OpenAPI documents are generated from it. The element writes its wire shapes with
 * wire-schema.ts, which zod's functions cannot read, so the kit derives the zod schema from that one definition
 * (`def`): the same fields, the same checks with the same messages, optional where it is optional.
 */
import * as z from 'zod/mini';
import { WidgetSession as widgetSession } from '../protocol/session.js';
import type * as v from '../protocol/wire-schema.js';

/** A zod schema that accepts exactly what `schema` accepts and parses to the same data. */
export function zodFromWire<S extends v.Schema<unknown, boolean>>(schema: S): z.ZodMiniType<v.infer<S>> {
  return build(schema) as z.ZodMiniType<v.infer<S>>;
}

function build(schema: v.Schema<unknown, boolean>): z.ZodMiniType {
  const def = schema.def;
  switch (def.type) {
    case 'string':
    case 'number': {
      const base = def.type === 'string' ? z.string() : z.number();
      const checks = def.checks.map(({ test, message }) => z.refine((value) => (test as (value: unknown) => boolean)(value), message));
      return checks.length ? (base as z.ZodMiniType).check(...checks) : base;
    }
    case 'literal':
      return z.literal(def.values);
    case 'optional':
      return z.optional(build(def.inner));
    case 'object':
      return z.object(Object.fromEntries(Object.entries(def.shape).map(([key, field]) => [key, build(field)])));
  }
}

export const WidgetSession = zodFromWire(widgetSession());
export type WidgetSession = v.infer<ReturnType<typeof widgetSession>>;
