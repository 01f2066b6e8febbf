/**
 * One definition per wire shape. The canonical schemas are imported and their field names (or values) read at run
 * time; every TypeScript file of src/, demo/, bench/ and examples/ is parsed, and each place that spells out a shape
 * (a `z.object({...})` literal, an interface's own members, a type literal `{ a: ...; b: ... }`, a list of string
 * literals, a union of them) is compared with each canonical one. A second place that spells the same fields, or the
 * same values, fails: derive it from the package's schema instead (`.pick`, `.extend`, `z.infer`, a type import).
 * docs/maintainers/wire-shapes.md shows the same facts as grep commands.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { CreateIntentRequest, NewReceipt, WidgetSession } from '../../../src/server/internal.js';
import { CASHOUT_EVENTS, IPAY_EVENTS, LIQX_EVENT_STATUS, ReceiptFailure, ReceiptStatus } from '../../../src/webhooks/internal.js';
import { PayoutRequest } from '../../../demo/contract/partner.js';
import { SCENARIO_IDS, ScenarioSummary } from '../../../demo/contract/scenarios.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const SCANNED = ['src', 'demo', 'bench', 'examples'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.next', '.angular', 'coverage']);

/** The field names of a zod object (classic or mini, behind the element's lazy wrapper or not). */
const fieldsOf = (schema: unknown): string[] => Object.keys((schema as { _zod: { def: { shape: object } } })._zod.def.shape);

/** A shape is matched by its field names: at least this share of the union of both sets in common. */
const SAME_FIELDS = 0.8;

interface Shape {
  name: string;
  fields: string[];
  /**
   * Places that spell the same fields on purpose, with the reason: by declared name, or `file#name` where the name
   * says nothing. Each must still exist, so a copy that goes away takes its entry with it.
   */
  allowed?: Record<string, string>;
  /**
   * Copies in files their owner is rewriting at the time of writing, each with where it is going. Unlike `allowed`
   * they need not exist (the rewrite may already have removed them): delete an entry once its copy is gone.
   */
  pending?: Record<string, string>;
}

/** The stored receipt as the receipts API returns it: the store's row (NewReceipt) keyed by webhook_id, plus received_at. */
const storedReceiptFields = [...fieldsOf(NewReceipt).filter((f) => f !== 'event_id'), 'webhook_id', 'received_at'];

const SHAPES: Shape[] = [
  {
    name: 'widget session',
    fields: fieldsOf(WidgetSession),
    allowed: { AttributeSession: 'the element attribute form of the same session: the same names, all but two optional' },
  },
  {
    name: 'failure { code, message }',
    fields: fieldsOf(ReceiptFailure),
    allowed: {
      Reason: "the browser's zod/mini failure: the script-tag file cannot carry classic zod (build/size-budget.ts)",
    },
  },
  {
    name: 'stored receipt',
    fields: storedReceiptFields,
    allowed: { DbRow: 'the table row both engines read (seq, event_id, payload as text): the column list, not the wire shape' },
  },
  { name: 'payout request', fields: fieldsOf(PayoutRequest) },
  { name: 'scenario list entry', fields: fieldsOf(ScenarioSummary) },
];

interface ValueSet {
  name: string;
  values: readonly string[];
}

const VALUE_SETS: ValueSet[] = [
  { name: 'scenario ids', values: SCENARIO_IDS },
  { name: 'receipt statuses', values: ReceiptStatus.options },
  { name: 'LIQX event types', values: Object.keys(LIQX_EVENT_STATUS) },
  { name: 'cash-out reference event types', values: Object.keys(CASHOUT_EVENTS) },
  { name: 'Ipay event types', values: IPAY_EVENTS },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    if (SKIPPED_DIRS.has(name)) return [];
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts|mjs|js)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** One place that spells out fields or values. */
interface Spelled {
  file: string;
  line: number;
  /** The declared name it belongs to (variable, interface, type alias, property), or '' when anonymous. */
  name: string;
  kind: 'schema' | 'interface' | 'type literal' | 'string list' | 'string union' | 'object keys';
  items: string[];
  /** For string lists: `satisfies` checks elsewhere in the file that tie this list to a package type. */
  linked?: boolean;
}

const propName = (n: ts.PropertyName | undefined): string | null =>
  n && (ts.isIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) ? n.text : null;

/** The name of the nearest declaration a node belongs to. */
function ownerName(node: ts.Node): string {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if ((ts.isVariableDeclaration(n) || ts.isPropertyAssignment(n) || ts.isPropertySignature(n)) && n.name) return n.name.getText();
    if (ts.isTypeAliasDeclaration(n) || ts.isInterfaceDeclaration(n)) return n.name.text;
  }
  return '';
}

/** `z.object({...})` (zod) or `v.object({...})` (the protocol's wire-schema.ts), and zod's strict and loose forms. */
const isZodObjectCall = (n: ts.CallExpression) =>
  /(^|\.)(object|strictObject|looseObject)$/.test(n.expression.getText()) && /^[zv]\b|\b[zv]\./.test(n.expression.getText());

function spelledIn(file: string, text = readFileSync(join(ROOT, file), 'utf8')): Spelled[] {
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: Spelled[] = [];
  const satisfiesTexts: string[] = [];
  const at = (n: ts.Node) => sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
  const visit = (node: ts.Node) => {
    if (ts.isCallExpression(node) && isZodObjectCall(node) && node.arguments[0] && ts.isObjectLiteralExpression(node.arguments[0])) {
      const items = node.arguments[0].properties.map((p) => propName(p.name)).filter((x): x is string => x !== null);
      out.push({ file, line: at(node), name: ownerName(node), kind: 'schema', items });
    } else if (ts.isInterfaceDeclaration(node)) {
      const items = node.members.map((m) => propName(m.name)).filter((x): x is string => x !== null);
      out.push({ file, line: at(node), name: node.name.text, kind: 'interface', items });
    } else if (ts.isTypeLiteralNode(node)) {
      const items = node.members.map((m) => propName(m.name)).filter((x): x is string => x !== null);
      out.push({ file, line: at(node), name: ownerName(node), kind: 'type literal', items });
    } else if (ts.isArrayLiteralExpression(node) && node.elements.length >= 2 && node.elements.every(ts.isStringLiteralLike)) {
      out.push({ file, line: at(node), name: ownerName(node), kind: 'string list', items: node.elements.map((e) => (e as ts.StringLiteralLike).text) });
    } else if (ts.isUnionTypeNode(node)) {
      const literals = node.types.flatMap((t) => (ts.isLiteralTypeNode(t) && ts.isStringLiteral(t.literal) ? [t.literal.text] : []));
      if (literals.length >= 2) out.push({ file, line: at(node), name: ownerName(node), kind: 'string union', items: literals });
    } else if (ts.isObjectLiteralExpression(node) && node.properties.length >= 2) {
      const items = node.properties.map((p) => (ts.isPropertyAssignment(p) ? propName(p.name) : null));
      if (items.every((x) => x !== null)) out.push({ file, line: at(node), name: ownerName(node), kind: 'object keys', items: items as string[] });
    } else if (ts.isSatisfiesExpression(node)) {
      satisfiesTexts.push(node.type.getText(sf));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  // A list whose name a `satisfies` check compares with a package type is a copy the compiler keeps in step.
  for (const s of out) {
    if (s.kind === 'string list' && s.name) s.linked = satisfiesTexts.some((t) => new RegExp(`\\btypeof ${s.name}\\b`).test(t));
  }
  return out;
}

const files = SCANNED.flatMap((dir) => sourceFiles(dir));
const spelled = files.flatMap((file) => spelledIn(file));

const overlap = (a: readonly string[], b: readonly string[]) => {
  const A = new Set(a);
  const B = new Set(b);
  const common = [...A].filter((x) => B.has(x)).length;
  return common / new Set([...A, ...B]).size;
};
const sameSet = (a: readonly string[], b: readonly string[]) => overlap(a, b) === 1;
const isAllowed = (shape: Shape, s: Spelled) =>
  Boolean(shape.allowed?.[s.name] ?? shape.allowed?.[`${s.file}#${s.name}`] ?? shape.pending?.[`${s.file}#${s.name}`]);
const isFieldShape = (s: Spelled) => s.kind === 'schema' || s.kind === 'interface' || s.kind === 'type literal';
/** Every place in `found` that spells `shape`'s fields, and those of them it does not allow. */
function copiesOf(shape: Shape, found: Spelled[]): { matches: Spelled[]; extra: Spelled[] } {
  const matches = found.filter((s) => isFieldShape(s) && overlap(s.items, shape.fields) >= SAME_FIELDS);
  return { matches, extra: matches.filter((s) => !isAllowed(shape, s)) };
}
/** Every place in `found` that lists `set`'s values with no type check tying it to the package's. */
const unlinkedListsOf = (set: ValueSet, found: Spelled[]) => found.filter((s) => !isFieldShape(s) && sameSet(s.items, set.values) && !s.linked);
const where = (s: Spelled) => `${s.file}:${s.line} ${s.kind} ${s.name || '(anonymous)'} {${s.items.join(', ')}}`;

describe('one definition per wire shape', () => {
  test('the scan reads the whole tree', () => {
    assert.ok(files.length > 100, `only ${files.length} files scanned`);
    for (const dir of SCANNED) assert.ok(files.some((f) => f.startsWith(`${dir}/`)), `nothing scanned under ${dir}/`);
  });

  for (const shape of SHAPES) {
    test(`${shape.name}: spelled once {${shape.fields.join(', ')}}`, () => {
      const { matches, extra } = copiesOf(shape, spelled);
      assert.equal(extra.length, 1, `expected exactly one definition, found:\n${extra.map(where).join('\n') || '(none)'}`);
      assert.equal(extra[0].kind, 'schema', `the one definition must be a schema: ${where(extra[0])}`);
      for (const key of Object.keys(shape.allowed ?? {})) {
        assert.ok(matches.some((s) => s.name === key || `${s.file}#${s.name}` === key), `the allowed copy ${key} no longer exists: drop it from this test`);
      }
    });
  }

  for (const set of VALUE_SETS) {
    test(`${set.name}: listed once (${set.values.length} values)`, () => {
      const unlinked = unlinkedListsOf(set, spelled);
      assert.equal(unlinked.length, 1, `expected the one list, found:\n${unlinked.map(where).join('\n') || '(none)'}`);
    });
  }

  test('hand-typed copies, as demo/app/api.ts had them, are found; derived ones are not', () => {
    const receipt = SHAPES.find((s) => s.name === 'stored receipt')!;
    const scenarioIds = VALUE_SETS.find((s) => s.name === 'scenario ids')!;
    const statuses = VALUE_SETS.find((s) => s.name === 'receipt statuses')!;
    const handTyped = spelledIn(
      'demo/app/copy.ts',
      [
        // The old ReceiptRow: the stored receipt's fields without `owner`.
        `export interface ReceiptRow { ${receipt.fields.filter((f) => f !== 'owner').map((f) => `${f}: unknown;`).join(' ')} }`,
        `export type ScenarioId = ${scenarioIds.values.map((v) => `'${v}'`).join(' | ')} | (string & {});`,
        `const failure: { code: string; message: string } | null = null;`,
        `export const STATUSES = [${statuses.values.map((v) => `'${v}'`).join(', ')}] as const;`,
      ].join('\n'),
    );
    assert.deepEqual(copiesOf(receipt, handTyped).extra.map((s) => s.name), ['ReceiptRow']);
    assert.deepEqual(unlinkedListsOf(scenarioIds, handTyped).map((s) => s.kind), ['string union']);
    assert.deepEqual(copiesOf(SHAPES.find((s) => s.name.startsWith('failure'))!, handTyped).extra.map((s) => s.name), ['failure']);
    assert.deepEqual(unlinkedListsOf(statuses, handTyped).map((s) => s.name), ['STATUSES']);

    const derived = spelledIn(
      'demo/app/derived.ts',
      [
        `import type { StoredReceipt, ReceiptStatus } from '../../src/server/internal.js';`,
        `export type ReceiptRow = StoredReceipt;`,
        `export const STATUSES = [${statuses.values.map((v) => `'${v}'`).join(', ')}] as const;`,
        `true satisfies Exactly<typeof STATUSES, ReceiptStatus>;`,
        // A refusal carries a status beside the failure: another shape.
        `type Refusal = { ok: false; status: number; code: string; message: string };`,
      ].join('\n'),
    );
    assert.deepEqual(copiesOf(receipt, derived).matches, []);
    assert.deepEqual(unlinkedListsOf(statuses, derived), []);
    assert.deepEqual(copiesOf(SHAPES.find((s) => s.name.startsWith('failure'))!, derived).matches, []);
  });
});
