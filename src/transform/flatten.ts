/**
 * flattenFinding: one finding (SDK PascalCase or wire camelCase) → one `findings` row.
 * The column list is compiled once into a tree of accessors (PascalCase key, then the model's
 * `jsonName`), so a finding is walked once and absent subtrees are skipped.
 */
import { FINDING_MODEL_COLUMNS, FINDING_MODEL_SOURCES } from './columns.generated.js';
import { findingFamily, resourceId, severityLabel } from './derived.js';
import { MalformedFindingError } from './errors.js';
import { FINDINGS_TABLE } from './tables.js';
import type { Row, RowContext } from './types.js';
import { additionalInfoText, compileConverter, type Converter } from './values.js';

interface Leaf { readonly column: string; readonly key: string; readonly jsonKey: string; readonly convert: Converter }
interface Node {
  readonly key: string;
  readonly jsonKey: string;
  readonly leaves: Leaf[];
  readonly children: Node[];
  /** Both spellings of every member (PascalCase and jsonName) → its leaf or child node; filled by {@link indexTree}. */
  readonly index: Map<string, Leaf | Node>;
}

/** Columns whose value needs a converter other than the one of their shape. */
const SPECIAL_CONVERTERS: Readonly<Record<string, Converter>> = { service_additional_info: additionalInfoText };

function compileTree(): Node {
  const root: Node = { key: '', jsonKey: '', leaves: [], children: [], index: new Map() };
  for (const spec of FINDING_MODEL_COLUMNS) {
    const source = FINDING_MODEL_SOURCES[spec.name];
    if (!source) throw new Error(`no source for column ${spec.name}`);
    let node = root;
    for (let i = 0; i < spec.path.length - 1; i++) {
      const key = spec.path[i] as string;
      const jsonKey = source.jsonPath[i] as string;
      let child = node.children.find((c) => c.key === key);
      if (!child) { child = { key, jsonKey, leaves: [], children: [], index: new Map() }; node.children.push(child); }
      node = child;
    }
    node.leaves.push({
      column: spec.name,
      key: spec.path[spec.path.length - 1] as string,
      jsonKey: source.jsonPath[source.jsonPath.length - 1] as string,
      convert: SPECIAL_CONVERTERS[spec.name] ?? compileConverter(source.shape),
    });
  }
  indexTree(root);
  return root;
}

function indexTree(node: Node): void {
  for (const m of [...node.leaves, ...node.children]) {
    node.index.set(m.key, m);
    node.index.set(m.jsonKey, m);
  }
  for (const c of node.children) indexTree(c);
}

const ROOT = compileTree();

/** A row with every column set to null, created with one stable object shape (fast property access downstream). */
// eslint-disable-next-line @typescript-eslint/no-implied-eval -- names are generated constants, JSON-quoted
const newRow = new Function(`return {${FINDINGS_TABLE.columns.map((c) => `${JSON.stringify(c.name)}:null`).join(',')}};`) as () => Row;

/**
 * Generalises the row map's field representations up front (V8 otherwise deprecates the map as fields
 * first receive numbers, strings, Dates, …, and rows end up with thousands of different maps, which made
 * reading them back 2–3× slower). Measured: with this, all rows share one map.
 */
function generaliseRowShape(): void {
  const samples: unknown[] = [0, 0.5, 'x', true, 1n, new Date(0), [], {}, null];
  for (let k = 0; k < 3; k++) {
    const row = newRow();
    for (const c of FINDINGS_TABLE.columns) for (const v of samples) row[c.name] = v;
  }
}
generaliseRowShape();

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date);
}

/** Walks the keys the object has (findings are sparse), not every column of the list. */
function visit(node: Node, obj: Record<string, unknown>, row: Row): void {
  for (const k in obj) {
    const target = node.index.get(k);
    if (target === undefined) continue;
    const v = obj[k];
    if (v === undefined || v === null) continue;
    if ('column' in target) row[target.column] = target.convert(v);
    else if (isPlainObject(v)) visit(target, v, row);
  }
}

function present(raw: Record<string, unknown>, pascal: string, camel: string): unknown {
  const v = raw[pascal];
  return v === undefined || v === null ? raw[camel] : v;
}

/** `arn:aws:guardduty:us-east-1:111122223333:detector/…` → `111122223333`. */
function accountFromArn(arn: unknown): string | null {
  if (typeof arn !== 'string') return null;
  const account = arn.split(':')[4];
  return account ? account : null;
}

function preview(v: unknown): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
}

/**
 * Flattens one finding. Throws {@link MalformedFindingError} when it is not an object, lacks
 * id/type/updatedAt, lacks accountId with no fallback (ARN account, then `ctx.sourceAccountId`), or updatedAt cannot be parsed; optional values that cannot be parsed become null
 * (the finding is still in `finding_json`).
 */
export function flattenFinding(raw: unknown, ctx: RowContext): Row {
  if (!isPlainObject(raw)) throw new MalformedFindingError(raw === null ? 'not an object: null' : `not an object: ${Array.isArray(raw) ? 'array' : typeof raw}`);
  const row = newRow();
  try {
    visit(ROOT, raw, row);
  } catch (cause) {
    throw new MalformedFindingError(`unconvertible value: ${(cause as Error).message}`, { cause });
  }
  if (!row['id']) throw new MalformedFindingError('missing id');
  if (!row['type']) throw new MalformedFindingError('missing type');
  if (!row['account_id']) {
    // Some published findings (partial EventBridge test events) carry no accountId: take the ARN's account,
    // else the account whose detector returned it. With neither, the finding is malformed.
    const fallback = accountFromArn(row['arn']) ?? (ctx.sourceAccountId || null);
    if (!fallback) throw new MalformedFindingError('missing accountId');
    row['account_id'] = fallback;
  }
  if (row['updated_at'] === null) {
    const v = present(raw, 'UpdatedAt', 'updatedAt');
    throw new MalformedFindingError(v === undefined || v === null ? 'missing updatedAt' : `unparseable updatedAt: ${preview(v)}`);
  }
  row['severity_label'] = severityLabel(row['severity'] as number | null);
  row['finding_family'] = findingFamily(row['type'] as string);
  row['resource_id'] = resourceId(row);
  row['source_account_id'] = ctx.sourceAccountId;
  row['detector_id'] = ctx.detectorId;
  row['exported_at'] = ctx.exportedAt;
  row['run_id'] = ctx.runId;
  try {
    row['finding_json'] = JSON.stringify(raw);
  } catch (cause) {
    throw new MalformedFindingError(`not serialisable as JSON: ${(cause as Error).message}`, { cause });
  }
  return row;
}
