/**
 * The element's session schema (../protocol/session.ts) as a schema value for the server kit. The element builds it
 * on first use; the server builds it when this module loads (the factory returns that same schema to both). Its own
 * module because the type is zod/mini's, and liqx-contract.ts's `z` is classic zod.
 */
import type * as z from 'zod/mini';
import { WidgetSession as widgetSession } from '../protocol/session.js';

export const WidgetSession = widgetSession();
export type WidgetSession = z.infer<typeof WidgetSession>;
