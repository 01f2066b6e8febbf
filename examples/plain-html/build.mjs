// `npm run build`: the page and its script into dist/, with the widget's script-tag file from the installed
// package at the versioned path index.html pins (as a CDN that serves npm packages would).
import { copyFileSync, cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const pkgJson = createRequire(import.meta.url).resolve('liqx-payout-widget/package.json');
const { version } = JSON.parse(readFileSync(pkgJson, 'utf8'));
const cdn = join('dist', 'npm', `liqx-payout-widget@${version}`, 'dist', 'cdn');
rmSync('dist', { recursive: true, force: true });
cpSync('public', 'dist', { recursive: true });
mkdirSync(cdn, { recursive: true });
copyFileSync(join(dirname(pkgJson), 'dist', 'cdn', 'liqx-payout-widget.js'), join(cdn, 'liqx-payout-widget.js'));
