/**
 * The comparison route of bench:encode: the same flattened rows through the DuckDB appender into a
 * staging table, then `COPY (SELECT …) TO … (FORMAT parquet, COMPRESSION zstd)` with the same column types.
 * Nested columns (lists/structs) are appended as JSON text and converted by DuckDB (`from_json`) in the COPY:
 * appending them as DuckDB list/struct values through @duckdb/node-api grew native memory by ~20 KB per row
 * (value wrappers freed only on GC), 5 GB before 200,000 rows. Timed from the first append to the end of the COPY.
 */
import { DuckDBInstance, timestampValue } from '@duckdb/node-api';
import type { Row, TableSpec } from '../src/transform/types.js';

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
  return parts;
}

/** DuckDB SQL type of an Athena type. */
export function sqlType(t: string): string {
  switch (t) {
    case 'string': return 'VARCHAR';
    case 'timestamp': return 'TIMESTAMP';
    case 'double': return 'DOUBLE';
    case 'bigint': return 'BIGINT';
    case 'int': return 'INTEGER';
    case 'boolean': return 'BOOLEAN';
    default: break;
  }
  if (t.startsWith('array<')) return `${sqlType(t.slice(6, -1))}[]`;
  const fields = splitTopLevel(t.slice(7, -1)).map((f) => { const i = f.indexOf(':'); return `"${f.slice(0, i)}" ${sqlType(f.slice(i + 1))}`; });
  return `STRUCT(${fields.join(', ')})`;
}

const isNested = (t: string): boolean => t.startsWith('array<') || t.startsWith('struct<');
const jsonReplacer = (_k: string, v: unknown): unknown => (typeof v === 'bigint' ? Number(v) : v);

/** `file` is the Parquet output; the DuckDB database lives beside it on disk. */
export async function duckdbEncode(table: TableSpec, rows: Iterable<Row>, file: string): Promise<{ seconds: number }> {
  const db = await DuckDBInstance.create(`${file}.duckdb`, { memory_limit: process.env['GDL_DUCK_MEM'] ?? '1GB' });
  const conn = await db.connect();
  await conn.run(`CREATE TABLE t (${table.columns.map((c) => `"${c.name}" ${isNested(c.type) ? 'VARCHAR' : sqlType(c.type)}`).join(', ')})`);
  const appender = await conn.createAppender('t');
  const cols = table.columns.map((c) => ({ name: c.name, type: isNested(c.type) ? 'json' : c.type }));
  const started = process.hrtime.bigint();
  for (const row of rows) {
    for (const c of cols) {
      const v = row[c.name];
      if (v === null || v === undefined) { appender.appendNull(); continue; }
      switch (c.type) {
        case 'string': appender.appendVarchar(v as string); break;
        case 'double': appender.appendDouble(v as number); break;
        case 'bigint': appender.appendBigInt(v as bigint); break;
        case 'int': appender.appendInteger(v as number); break;
        case 'boolean': appender.appendBoolean(v as boolean); break;
        case 'timestamp': appender.appendTimestamp(timestampValue(BigInt((v as Date).getTime()) * 1000n)); break;
        default: appender.appendVarchar(JSON.stringify(v, jsonReplacer)); break;
      }
    }
    appender.endRow();
  }
  appender.closeSync();
  const select = table.columns.map((c) => (isNested(c.type) ? `from_json("${c.name}", '${JSON.stringify(sqlType(c.type))}')::${sqlType(c.type)} AS "${c.name}"` : `"${c.name}"`)).join(', ');
  await conn.run(`COPY (SELECT ${select} FROM t) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  conn.closeSync();
  return { seconds };
}
