/** The floor: no library. One raw postMessage says ready; one raw postMessage per event. */
import { onEmitOne, parentOrigin } from './common.js';

onEmitOne(() => window.parent.postMessage({ bench: 'event' }, parentOrigin));
window.parent.postMessage({ bench: 'ready' }, parentOrigin);
