/**
 * Arrow schema from a TableSpec (Athena/Hive type text → Arrow type) and rows → Arrow RecordBatch.
 * Timestamps are TimestampMillisecond WITHOUT a timezone, so Parquet readers (DuckDB) see TIMESTAMP, not TIMESTAMPTZ.
 */
import {
  Bool, Field, Float64, Int32, Int64, List, Map_, RecordBatch, Schema, Struct, TimestampMillisecond, Utf8, DateDay,
  makeData, type DataType,
} from 'apache-arrow';
import { compileEncoder, type ColumnEncoder } from './arrow-encode.js';
import { ParquetEncodeError } from './errors.js';
import type { AthenaType, Row, TableSpec } from './types.js';

/** Splits `a:int,b:struct<c:int,d:string>` at top-level commas. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (ch === ',' && depth === 0) { parts.push(text.slice(start, i)); start = i + 1; }
  }
  parts.push(text.slice(start));
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Arrow type for an Athena (Hive DDL) type text. */
export function arrowType(type: AthenaType | string): DataType {
  const t = type.trim();
  switch (t) {
    case 'string': return new Utf8();
    case 'timestamp': return new TimestampMillisecond();
    case 'double': return new Float64();
    case 'bigint': return new Int64();
    case 'int': return new Int32();
    case 'boolean': return new Bool();
    case 'date': return new DateDay();
    default: break;
  }
  if (t.startsWith('array<') && t.endsWith('>')) {
    return new List(new Field('element', arrowType(t.slice(6, -1)), true));
  }
  if (t.startsWith('struct<') && t.endsWith('>')) {
    const fields = splitTopLevel(t.slice(7, -1)).map((f) => {
      const i = f.indexOf(':');
      if (i <= 0) throw new ParquetEncodeError(`bad struct field "${f}" in ${t}`);
      return new Field(f.slice(0, i), arrowType(f.slice(i + 1)), true);
    });
    return new Struct(fields);
  }
  if (t.startsWith('map<') && t.endsWith('>')) {
    const [k, v] = splitTopLevel(t.slice(4, -1));
    if (!k || !v) throw new ParquetEncodeError(`bad map type ${t}`);
    const entries = new Field('entries', new Struct([new Field('key', arrowType(k), false), new Field('value', arrowType(v), true)]), false);
    return new Map_(entries as unknown as ConstructorParameters<typeof Map_>[0]);
  }
  throw new ParquetEncodeError(`unsupported Athena type ${t}`);
}

/** The Arrow schema of a table (partition keys excluded: they live in the object key). */
export function arrowSchema(table: TableSpec): Schema {
  return new Schema(table.columns.map((c) => new Field(c.name, arrowType(c.type), c.nullable)));
}

/** Builds RecordBatches column by column with the typed-array encoders of arrow-encode.ts; reuse one per table. */
export class RecordBatchBuilder {
  readonly schema: Schema;
  readonly #names: readonly string[];
  readonly #encoders: readonly ColumnEncoder[];
  /** Copies rows into per-column arrays with one named property load per column (monomorphic for same-shaped rows). */
  readonly #gather: (rows: readonly Row[], columns: unknown[][]) => void;

  static readonly #cache = new WeakMap<TableSpec, RecordBatchBuilder>();

  /**
   * The builder of a table, made once per process: parsing ~600 column types and compiling their
   * encoders cost more than encoding a small file's rows.
   */
  static for(table: TableSpec): RecordBatchBuilder {
    let builder = RecordBatchBuilder.#cache.get(table);
    if (builder === undefined) {
      builder = new RecordBatchBuilder(table);
      RecordBatchBuilder.#cache.set(table, builder);
    }
    return builder;
  }

  constructor(table: TableSpec) {
    this.schema = arrowSchema(table);
    this.#names = table.columns.map((c) => c.name);
    this.#encoders = this.schema.fields.map((f) => compileEncoder(f.type));
    const body = this.#names.map((name, c) => `c${c}[r] = row[${JSON.stringify(name)}];`).join('\n');
    const decl = this.#names.map((_n, c) => `const c${c} = columns[${c}];`).join('\n');
    // Column names are validated identifiers-or-strings from the table spec, JSON-quoted.
    this.#gather = new Function('rows', 'columns', `${decl}\nfor (let r = 0; r < rows.length; r++) { const row = rows[r];\n${body}\n}`) as (rows: readonly Row[], columns: unknown[][]) => void;
  }

  /** Converts rows to one RecordBatch. */
  build(rows: readonly Row[]): RecordBatch {
    const n = rows.length;
    const columns = this.#names.map(() => new Array<unknown>(n));
    this.#gather(rows, columns);
    const children = this.#names.map((name, c) => {
      try {
        return (this.#encoders[c] as ColumnEncoder)(columns[c] as unknown[]);
      } catch (cause) {
        throw new ParquetEncodeError(`column ${name}: ${(cause as Error).message}`, { cause });
      }
    });
    const data = makeData({ type: new Struct(this.schema.fields), length: n, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
