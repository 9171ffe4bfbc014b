/**
 * `npm run gen:columns`: derives the findings column list from the INSTALLED @aws-sdk/client-guardduty
 * model and writes src/transform/columns.generated.ts and docs/columns.md.
 *
 * Rules (also in docs/columns.md):
 * - Every scalar leaf of `Finding` outside an array is a column; its name is each PascalCase path segment
 *   in snake_case joined by `_` (`Resource.InstanceDetails.InstanceId` → `resource_instance_details_instance_id`).
 * - Arrays: lists of scalars → `array<scalar>`; `Tags` → `array<struct<key:string,value:string>>`; lists of
 *   structures → `array<struct<…>>` with typed fields, nested structures kept as structs up to
 *   {@link MAX_NESTED_DEPTH} levels inside the array element, deeper ones (and maps) as JSON text fields.
 * - Maps, documents, recursive shapes and `Service.AdditionalInfo` → JSON text (`string`).
 * - Names longer than {@link MAX_NAME_LENGTH} → first 110 chars + `_` + 8 hex of the path's FNV-1a hash;
 *   a name already taken → suffix `_2`, `_3`, … (none occur in the current model; the test checks uniqueness).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  loadSdkSchemas, members, isStruct, isList, isMap, isSimpleWrapper, listElement, sdkVersion, SIMPLE,
  type StructSchema,
} from './sdk-model.js';
import type { AthenaType, ColumnSpec, ColumnSource, ValueShape } from '../src/transform/types.js';

/** Struct levels kept typed inside an array element (element = level 1). */
export const MAX_NESTED_DEPTH = 4;
/** Athena allows 255; we keep names well under it. */
export const MAX_NAME_LENGTH = 120;

/** String-typed in the model but timestamps on the wire (ISO strings, epoch numbers). */
const TIMESTAMP_OVERRIDES = new Set(['CreatedAt', 'UpdatedAt', 'Service.EventFirstSeen', 'Service.EventLastSeen', 'Resource.InstanceDetails.LaunchTime']);
/** Free-form JSON documents kept as text. */
const JSON_OVERRIDES = new Set(['Service.AdditionalInfo']);

/** `IpAddressV4` → `ip_address_v4`, `S3BucketDetails` → `s3_bucket_details`, `VolumeSizeInGB` → `volume_size_in_gb`. */
export function snakeCase(pascal: string): string {
  return pascal
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
}

function numericType(memberName: string): 'double' | 'int' | 'bigint' {
  if (/(Severity|Confidence|Lat|Lon|Latitude|Longitude|Score|Percentage)$/.test(memberName)) return 'double';
  if (/Port$/.test(memberName)) return 'int';
  return 'bigint';
}

function simpleShape(code: number, memberName: string, dotted: string): ValueShape {
  if (TIMESTAMP_OVERRIDES.has(dotted)) return { kind: 'timestamp' };
  switch (code) {
    case SIMPLE.STRING: return { kind: 'string' };
    case SIMPLE.NUMERIC: return { kind: numericType(memberName) };
    case SIMPLE.BOOLEAN: return { kind: 'boolean' };
    case SIMPLE.TIMESTAMP_DEFAULT: case SIMPLE.TIMESTAMP_DATE_TIME: case SIMPLE.TIMESTAMP_HTTP_DATE: case SIMPLE.TIMESTAMP_EPOCH_SECONDS:
      return { kind: 'timestamp' };
    case SIMPLE.BIG_INTEGER: return { kind: 'bigint' };
    case SIMPLE.BIG_DECIMAL: return { kind: 'double' };
    default: return { kind: 'json' };
  }
}

/** Shape of a value inside an array element (nested structs typed up to a depth, then JSON). */
function nestedShape(schema: unknown, memberName: string, depth: number, seen: readonly string[]): ValueShape {
  if (typeof schema === 'number') {
    if (schema & SIMPLE.MAP) return { kind: 'json' };
    if (schema & SIMPLE.LIST) return { kind: 'list', element: simpleShape(schema & ~SIMPLE.LIST, memberName, '') };
    return simpleShape(schema, memberName, '');
  }
  if (isSimpleWrapper(schema)) return simpleShape(schema[4], memberName, '');
  if (isMap(schema)) return { kind: 'json' };
  if (isList(schema)) {
    const element = listElement(schema);
    if (isStruct(element) && (depth + 1 > MAX_NESTED_DEPTH || seen.includes(element[2]))) return { kind: 'json' };
    return { kind: 'list', element: nestedShape(element, memberName, depth + 1, seen) };
  }
  if (isStruct(schema)) {
    if (depth > MAX_NESTED_DEPTH || seen.includes(schema[2])) return { kind: 'json' };
    return {
      kind: 'struct',
      fields: members(schema).map((m) => ({
        name: snakeCase(m.name), key: m.name, jsonKey: m.jsonName,
        shape: nestedShape(m.schema, m.name, depth + 1, [...seen, schema[2]]),
      })),
    };
  }
  return { kind: 'json' };
}

/** Hive/Athena type text of a shape. */
export function athenaType(shape: ValueShape): AthenaType {
  switch (shape.kind) {
    case 'json': return 'string';
    case 'list': return `array<${athenaType(shape.element)}>`;
    case 'struct': return `struct<${shape.fields.map((f) => `${f.name}:${athenaType(f.shape)}`).join(',')}>`;
    default: return shape.kind;
  }
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16).padStart(8, '0');
}

export interface GeneratedColumn { spec: ColumnSpec; source: ColumnSource }

function docFor(pathParts: readonly string[], shape: ValueShape): string {
  const what = shape.kind === 'json' ? 'JSON text of' : shape.kind === 'list' ? 'List from' : 'From';
  return `${what} Finding.${pathParts.join('.')}`;
}

/** Walks `Finding` and returns the model-derived columns (no derived columns), in model order. */
export function buildModelColumns(schemas: Record<string, unknown> = loadSdkSchemas()): GeneratedColumn[] {
  const finding = schemas['Finding$'];
  if (!isStruct(finding)) throw new Error('Finding$ not found in the installed @aws-sdk/client-guardduty schema');
  const out: GeneratedColumn[] = [];
  const taken = new Set<string>();
  const add = (pathParts: string[], jsonPath: string[], shape: ValueShape): void => {
    let name = pathParts.map(snakeCase).join('_');
    if (name.length > MAX_NAME_LENGTH) name = `${name.slice(0, 110)}_${fnv1a(pathParts.join('.'))}`;
    if (taken.has(name)) { let i = 2; while (taken.has(`${name}_${i}`)) i++; name = `${name}_${i}`; }
    taken.add(name);
    const required = pathParts.length === 1 && ['Id', 'AccountId', 'Type', 'UpdatedAt'].includes(pathParts[0] ?? '');
    out.push({
      spec: { name, type: athenaType(shape), path: pathParts, nullable: !required, doc: docFor(pathParts, shape) },
      source: shape.kind === 'struct' || shape.kind === 'list' ? { jsonPath, shape } : { jsonPath, shape },
    });
  };
  const walk = (s: StructSchema, pathParts: string[], jsonPath: string[], seen: string[]): void => {
    for (const m of members(s)) {
      const p = [...pathParts, m.name];
      const j = [...jsonPath, m.jsonName];
      const dotted = p.join('.');
      const schema = m.schema;
      if (JSON_OVERRIDES.has(dotted)) { add(p, j, { kind: 'json' }); continue; }
      if (isStruct(schema)) {
        if (seen.includes(schema[2])) add(p, j, { kind: 'json' });
        else walk(schema, p, j, [...seen, schema[2]]);
        continue;
      }
      if (typeof schema === 'number') {
        if (schema & SIMPLE.MAP) add(p, j, { kind: 'json' });
        else if (schema & SIMPLE.LIST) add(p, j, { kind: 'list', element: simpleShape(schema & ~SIMPLE.LIST, m.name, '') });
        else add(p, j, simpleShape(schema, m.name, dotted));
        continue;
      }
      if (isSimpleWrapper(schema)) { add(p, j, simpleShape(schema[4], m.name, dotted)); continue; }
      if (isMap(schema)) { add(p, j, { kind: 'json' }); continue; }
      if (isList(schema)) { add(p, j, nestedShape(schema, m.name, 0, seen)); continue; }
      add(p, j, { kind: 'json' });
    }
  };
  walk(finding, [], [], ['Finding']);
  return out;
}

function render(columns: GeneratedColumn[]): string {
  const lines = [
    '// GENERATED by `npm run gen:columns` from @aws-sdk/client-guardduty ' + sdkVersion() + ' — do not edit.',
    "import type { ColumnSpec, ColumnSource } from './types.js';",
    '',
    '/** Columns derived from the SDK model of `Finding`, in model order. */',
    'export const FINDING_MODEL_COLUMNS: readonly ColumnSpec[] = [',
    ...columns.map((c) => `  ${JSON.stringify(c.spec)},`),
    '];',
    '',
    '/** Where each model column is read from in wire/camelCase JSON, and the shape of nested values. */',
    'export const FINDING_MODEL_SOURCES: Readonly<Record<string, ColumnSource>> = {',
    ...columns.map((c) => `  ${JSON.stringify(c.spec.name)}: ${JSON.stringify(c.source)},`),
    '};',
    '',
  ];
  return lines.join('\n');
}

async function main(): Promise<void> {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const columns = buildModelColumns();
  writeFileSync(path.join(root, 'src/transform/columns.generated.ts'), render(columns));
  const { renderColumnsDoc } = await import('../src/transform/columns-doc.js');
  writeFileSync(path.join(root, 'docs/columns.md'), renderColumnsDoc());
  console.log(JSON.stringify({ columns: columns.length, sdk: sdkVersion() }));
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
