/** Small helpers shared by the statistics / investigation row mappers. */
import { parseTimestamp } from './timestamps.js';
import type { Row, TableSpec } from './types.js';
import { toBigint, toDouble, toText } from './values.js';

/** A row of `table` with every column null. */
export function emptyRow(table: TableSpec): Row {
  const row: Row = {};
  for (const c of table.columns) row[c.name] = null;
  return row;
}

/** `o.Pascal ?? o.camel` (SDK objects, or their JSON in wire casing). */
export function field(o: unknown, pascal: string): unknown {
  if (o === null || typeof o !== 'object') return undefined;
  const r = o as Record<string, unknown>;
  const v = r[pascal];
  return v === undefined || v === null ? r[pascal.charAt(0).toLowerCase() + pascal.slice(1)] : v;
}

export function text(v: unknown): string | null { return v === undefined || v === null ? null : toText(v); }
export function double(v: unknown): number | null { return v === undefined || v === null ? null : toDouble(v); }
export function bigint(v: unknown): bigint | null { return v === undefined || v === null ? null : toBigint(v); }
export function timestamp(v: unknown): Date | null { return parseTimestamp(v); }
export function list(v: unknown): unknown[] { return Array.isArray(v) ? v : []; }
