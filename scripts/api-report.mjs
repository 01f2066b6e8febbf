// The public surface of every package entry, one file each in api/ (`npm run api:update` rewrites them; the test
// test/node/repo/api-report.test.ts fails when the built types differ). A change to what partners can import shows in
// review as a diff of one small file. Reads the built declarations (dist/types), so run `npm run build` first.
import { mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const ROOT = new URL('..', import.meta.url).pathname;
export const API_DIR = join(ROOT, 'api');

/** Every export of package.json that has types: `[entry, absolute .d.ts path]`. */
export function typedEntries() {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return Object.entries(pkg.exports)
    .filter(([, v]) => typeof v === 'object' && v && 'types' in v)
    .map(([entry, v]) => [entry, join(ROOT, v.types)]);
}

/** `.` -> `index`, `./webhooks` -> `webhooks`: the report's file name. */
export const reportName = (entry) => (entry === '.' ? 'index' : entry.slice(2).replaceAll('/', '-'));

const stripDocs = (text) =>
  text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim())
    .join('\n');

/** The report of one entry: each export, sorted by name, as its declaration text without doc comments. */
function report(program, file, entry) {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${entry}: no declarations at ${file} (run npm run build)`);
  const moduleSymbol = checker.getSymbolAtLocation(source);
  const exports = moduleSymbol ? checker.getExportsOfModule(moduleSymbol) : [];
  const lines = [`# API of liqx-payout-widget${entry === '.' ? '' : entry.slice(1)}`, '', `${exports.length} exports.`, ''];
  for (const symbol of [...exports].sort((a, b) => a.name.localeCompare(b.name))) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    const declarations = target.getDeclarations() ?? [];
    lines.push(`## ${symbol.name}`, '');
    for (const decl of declarations) {
      // A variable's statement carries `declare const`; a plain declaration node would lose it.
      const node = ts.isVariableDeclaration(decl) ? decl.parent.parent : decl;
      lines.push('```ts', stripDocs(node.getText()), '```', '');
    }
  }
  return lines.join('\n');
}

/** Builds every report from the built types: `{ name: text }`. */
export function buildReports() {
  const entries = typedEntries().filter(([, file]) => existsSync(file));
  const program = ts.createProgram(
    entries.map(([, file]) => file),
    { strict: true, skipLibCheck: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true },
  );
  return Object.fromEntries(entries.map(([entry, file]) => [reportName(entry), report(program, file, entry)]));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  mkdirSync(API_DIR, { recursive: true });
  for (const [name, text] of Object.entries(buildReports())) writeFileSync(join(API_DIR, `${name}.api.md`), text);
  console.log(`api/: ${Object.keys(buildReports()).length} reports written`);
}
