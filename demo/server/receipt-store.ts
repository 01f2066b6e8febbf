/**
 * The demo partner's receipt store: the kit's SQLite store in `<dataDir>/receipts.sqlite` (created on first use),
 * or its PostgreSQL store when a database URL is given (DATABASE_URL), for running several partner instances.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { postgresReceiptStore, sqliteReceiptStore, type ReceiptStore } from '../../src/server/index.js';

export const RECEIPTS_FILE = 'receipts.sqlite';

export interface DemoStore {
  store: ReceiptStore<unknown>;
  /** Where the receipts live, for the startup banner (a URL without its password, or the file). */
  location: string;
}

export async function openDemoStore(dataDir: string, databaseUrl?: string): Promise<DemoStore> {
  if (databaseUrl) {
    const url = new URL(databaseUrl);
    url.password = '';
    return { store: await postgresReceiptStore({ connectionString: databaseUrl }), location: url.href };
  }
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, RECEIPTS_FILE);
  const synchronous = process.env.RECEIPTS_SYNCHRONOUS === 'FULL' ? 'FULL' : 'NORMAL';
  return { store: await sqliteReceiptStore(file, { synchronous }), location: file };
}
