/**
 * The comparison route of bench:encode: the same flattened rows through the DuckDB appender into an
 * in-memory table, then `COPY … TO parquet (ZSTD)`. Timed from the first append to the end of the COPY.
 */
import { DuckDBInstance, listValue, structValue, timestampValue, type DuckDBValue } from '@duckdb/node-api';
import type { AthenaType, Row, TableSpec } from '../src/transform/types.js';

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

function sqlType(t: string): string {
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

type ToDuck = (v: unknown) => DuckDBValue;

function converter(t: string): ToDuck {
  switch (t) {
    case 'timestamp': return (v) => (v instanceof Date ? timestampValue(BigInt(v.getTime()) * 1000n) : null);
    case 'string': case 'double': case 'bigint': case 'int': case 'boolean': return (v) => (v ?? null) as DuckDBValue;
    default: break;
  }
  if (t.startsWith('array<')) {
    const el = converter(t.slice(6, -1));
    return (v) => (Array.isArray(v) ? listValue(v.map((x) => (x === null ? null : el(x)))) : null);
  }
  const fields = splitTopLevel(t.slice(7, -1)).map((f) => { const i = f.indexOf(':'); return [f.slice(0, i), converter(f.slice(i + 1))] as const; });
  return (v) => {
    if (v === null || typeof v !== 'object') return null;
    const o = v as Record<string, unknown>;
    const out: Record<string, DuckDBValue> = {};
    for (const [name, conv] of fields) { const x = o[name]; out[name] = x === null || x === undefined ? null : conv(x); }
    return structValue(out);
  };
}

export async function duckdbEncode(table: TableSpec, rows: Iterable<Row>, file: string): Promise<{ seconds: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(`CREATE TABLE t (${table.columns.map((c) => `"${c.name}" ${sqlType(c.type)}`).join(', ')})`);
  const appender = await conn.createAppender('t');
  const cols = table.columns.map((c, i) => ({ name: c.name, type: c.type as AthenaType, duckType: appender.columnType(i), conv: converter(c.type) }));
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
        default: appender.appendValue(c.conv(v), c.duckType); break;
      }
    }
    appender.endRow();
  }
  appender.closeSync();
  await conn.run(`COPY t TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  conn.closeSync();
  return { seconds };
}
