/**
 * The public surface of each package entry matches its report in api/. A deliberate change is one
 * `npm run api:update` and shows in review as a diff of api/<entry>.api.md; an accidental one fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script without declarations
import { API_DIR, buildReports, reportName, typedEntries } from '../../../scripts/api-report.mjs';

const reports: Record<string, string> = buildReports();

test('every typed entry of package.json has an API report', () => {
  for (const [entry] of typedEntries() as [string, string][]) {
    assert.ok(reportName(entry) in reports, `${entry}: no built declarations (npm run build)`);
    assert.ok(existsSync(join(API_DIR, `${reportName(entry)}.api.md`)), `${entry}: api/${reportName(entry)}.api.md is missing (npm run api:update)`);
  }
});

for (const [name, text] of Object.entries(reports)) {
  test(`api/${name}.api.md matches the built types`, () => {
    const file = join(API_DIR, `${name}.api.md`);
    const committed = existsSync(file) ? readFileSync(file, 'utf8') : '';
    if (committed === text) return;
    const a = committed.split('\n');
    const b = text.split('\n');
    const at = a.findIndex((line, i) => line !== b[i]);
    assert.fail(
      `The public API of ${name} changed (first difference at line ${at + 1}):\n- ${a[at] ?? ''}\n+ ${b[at] ?? ''}\n` +
        'If the change is deliberate, run `npm run api:update` and commit api/.',
    );
  });
}
