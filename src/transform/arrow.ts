/**
 * Arrow schema from a TableSpec (Athena/Hive type text → Arrow type) and rows → Arrow RecordBatch.
 * Timestamps are TimestampMillisecond WITHOUT a timezone, so Parquet readers (DuckDB) see TIMESTAMP, not TIMESTAMPTZ.
 */
import {
  Bool, Field, Float64, Int32, Int64, List, Map_, RecordBatch, Schema, Struct, TimestampMillisecond, Utf8, DateDay,
  makeBuilder, makeData, type DataType, type Builder,
} from 'apache-arrow';
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

/** Builds RecordBatches column by column; reuse one per table. */
export class RecordBatchBuilder {
  readonly schema: Schema;
  readonly #names: readonly string[];
  #builders: Builder[];

  constructor(table: TableSpec) {
    this.schema = arrowSchema(table);
    this.#names = table.columns.map((c) => c.name);
    this.#builders = this.#newBuilders();
  }

  #newBuilders(): Builder[] {
    return this.schema.fields.map((f) => makeBuilder({ type: f.type, nullValues: [null, undefined] }));
  }

  /** Converts rows to one RecordBatch. */
  build(rows: readonly Row[]): RecordBatch {
    const builders = this.#builders;
    const names = this.#names;
    for (let c = 0; c < names.length; c++) {
      const b = builders[c] as Builder;
      const name = names[c] as string;
      try {
        for (let r = 0; r < rows.length; r++) b.append((rows[r] as Row)[name]);
      } catch (cause) {
        throw new ParquetEncodeError(`column ${name}: ${(cause as Error).message}`, { cause });
      }
    }
    const children = builders.map((b) => b.finish().flush());
    this.#builders = this.#newBuilders();
    const data = makeData({ type: new Struct(this.schema.fields), length: rows.length, nullCount: 0, children });
    return new RecordBatch(this.schema, data);
  }
}
