import type { NextConfig } from 'next';

// better-sqlite3 (a native addon) stays a runtime require of the server, never bundled.
const config: NextConfig = { serverExternalPackages: ['better-sqlite3'] };
export default config;
