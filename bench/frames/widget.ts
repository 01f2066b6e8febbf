/** The widget's frame: the real frame SDK (src/frame), hello, then PAYOUT_READY; one PAYOUT_SUBMITTED per event. */
import { connectToHost, type HostConnection } from '../../src/frame/index.js';
import { onEmitOne, parentOrigin, query } from './common.js';

let host: HostConnection | null = null;
onEmitOne(() => void host?.submitted());
void connectToHost({ allowedParentOrigins: [parentOrigin], resizeTarget: false }).then((connection) => {
  host = connection;
  host.bindIntent(query.get('intent') ?? '');
  return host.ready();
});
