/** penpal 7 raw: connect, then one call (`ready`) to the host; one call per event. */
import { connect, WindowMessenger } from 'penpal';
import { onEmitOne, parentOrigin } from './common.js';

type HostMethods = { ready(): Promise<void>; event(): Promise<void> };
let host: import('penpal').RemoteProxy<HostMethods> | null = null;
onEmitOne(() => void host?.event());
const messenger = new WindowMessenger({ remoteWindow: window.parent, allowedOrigins: [parentOrigin] });
void connect<HostMethods>({ messenger }).promise.then((remote) => {
  host = remote;
  return remote.ready();
});
