/**
 * The widget's frame: the real frame SDK (src/frame), hello with PAYOUT_READY in it (the frame knows its intent from
 * the URL, as a frame that shows the payout at once would); one PAYOUT_SUBMITTED per event.
 * `bare=1`: the same script loads, then says ready with one raw postMessage and never connects (the baseline of the
 * protocol overhead row: the same frame, minus the protocol).
 */
import { connectToHost, type HostConnection } from '../../src/frame/index.js';
import { onEmitOne, parentOrigin, query } from './common.js';

let host: HostConnection | null = null;
onEmitOne(() => void host?.submitted());
if (query.get('bare') === '1') window.parent.postMessage({ bench: 'ready' }, parentOrigin);
else void connectToHost({ allowedParentOrigins: [parentOrigin], resizeTarget: false, intentId: query.get('intent') ?? '', ready: true }).then((connection) => {
  host = connection;
});
