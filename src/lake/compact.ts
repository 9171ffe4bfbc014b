/**
 * Compaction: rewrites the many small Parquet objects of a closed `dt` partition into one object
 * (more when it passes the writer's target file size), so Athena opens a few files per day instead
 * of one per export window and region. Rows are moved as Arrow record batches, never re-flattened.
 *
 * A partition is closed when it is older than `before` and older than every in-flight export
 * window: only a crashed export resumes an old window, and it rewrites that window's own keys, which
 * compaction must not have folded away. Exports and imports never add rows to a closed partition
 * otherwise (dt is the UTC date of `updated_at`).
 *
 * Crash safety, with a record in `_state/compaction/<table>/dt=<dt>.json`:
 *   1. record `writing` (sources, output stem) → 2. outputs → 3. record `written` (outputs) →
 *   4. delete the sources → 5. delete the record.
 * A run that finds a `writing` record deletes that attempt's outputs (the sources are intact); one
 * that finds `written` finishes deleting the sources. Rows are never in the lake twice for longer
 * than a crash lasts, and never missing.
 */
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { ParquetEncodeError } from '../transform/errors.js';
import { ParquetWriter } from '../transform/parquet.js';
import type { TableName, TableSpec } from '../transform/types.js';
import { LakeStateError } from './errors.js';
import { INFLIGHT_PREFIX, LAKE_FOLDERS, dtOfKey, partitionPrefix, utcDate } from './keys.js';
import type { LakeStore } from './types.js';

export const COMPACTION_PREFIX = `${LAKE_FOLDERS.state}/compaction/`;

/** `_state/compaction/<table>/dt=<dt>.json`: an unfinished compaction of one partition. */
export function compactionRecordKey(table: TableName, dt: string): string {
  return `${COMPACTION_PREFIX}${table}/dt=${dt}.json`;
}

interface CompactionRecord {
  readonly table: TableName;
  readonly dt: string;
  readonly status: 'writing' | 'written';
  readonly sources: readonly string[];
  /** Every output key starts with this. */
  readonly stem: string;
  readonly outputs?: readonly string[];
}

export interface CompactOptions {
  readonly tables: readonly TableSpec[];
  /** Only partitions with dt < this (YYYY-MM-DD). */
  readonly before: string;
  /** Say what would be compacted, change nothing. @default false */
  readonly dryRun?: boolean;
  /** Start a new output after about this many bytes. @default the writer's (128 MiB) */
  readonly targetFileBytes?: number;
  readonly log: Logger;
}

export interface PartitionResult {
  readonly table: TableName;
  readonly dt: string;
  readonly sources: number;
  readonly sourceBytes: number;
  readonly outputs: number;
  readonly outputBytes: number;
  readonly rows: number;
  /** Why the partition was left as it was. */
  readonly skipped?: string;
}

export interface CompactSummary {
  /** dt partitions at or after this were not touched (`before`, or an in-flight export window). */
  readonly horizon: string;
  readonly partitions: readonly PartitionResult[];
  /** Unfinished compactions of an earlier run that were completed or rolled back. */
  readonly recovered: number;
}

const decoder = new TextDecoder();

async function readRecord(store: LakeStore, key: string): Promise<CompactionRecord> {
  const bytes = await store.get(key);
  let value: Partial<CompactionRecord> | undefined;
  try {
    value = bytes === undefined ? undefined : JSON.parse(decoder.decode(bytes)) as Partial<CompactionRecord>;
  } catch (cause) {
    throw new LakeStateError(key, 'compaction record is not JSON', { cause });
  }
  if (value === undefined || (value.status !== 'writing' && value.status !== 'written') || !Array.isArray(value.sources) || typeof value.stem !== 'string' || value.stem === '') {
    throw new LakeStateError(key, 'compaction record has no status, sources or stem');
  }
  return value as CompactionRecord;
}

/** Completes (`written`) or rolls back (`writing`) the compactions an earlier run left. */
async function recover(store: LakeStore, log: Logger, dryRun: boolean): Promise<number> {
  const keys: string[] = [];
  for await (const key of store.list(COMPACTION_PREFIX)) if (key.endsWith('.json')) keys.push(key);
  for (const key of keys) {
    const record = await readRecord(store, key);
    if (dryRun) {
      log.info({ record: key, status: record.status }, `compaction of ${record.table} dt=${record.dt} was interrupted; a run without --dry-run finishes it`);
      continue;
    }
    if (record.status === 'written') {
      for (const source of record.sources) await store.delete(source);
      log.info({ table: record.table, dt: record.dt, sources: record.sources.length }, `compaction of ${record.table} dt=${record.dt} completed: its sources deleted`);
    } else {
      const partial: string[] = [];
      for await (const k of store.list(partitionPrefix(record.table, record.dt))) if (k.startsWith(record.stem)) partial.push(k);
      for (const k of partial) await store.delete(k);
      log.info({ table: record.table, dt: record.dt, outputs: partial.length }, `compaction of ${record.table} dt=${record.dt} rolled back: ${partial.length} partial outputs deleted, sources kept`);
    }
    await store.delete(key);
  }
  return keys.length;
}

/** The earliest dt an in-flight export window covers (undefined when none is in flight). */
async function inflightHorizon(store: LakeStore): Promise<string | undefined> {
  let earliest: string | undefined;
  for await (const key of store.list(INFLIGHT_PREFIX)) {
    const bytes = await store.get(key);
    if (bytes === undefined) continue;
    let start: unknown;
    try {
      start = (JSON.parse(decoder.decode(bytes)) as { windowStart?: unknown }).windowStart;
    } catch (cause) {
      throw new LakeStateError(key, 'in-flight record is not JSON', { cause });
    }
    if (typeof start !== 'string' || Number.isNaN(Date.parse(start))) throw new LakeStateError(key, 'in-flight record has no windowStart');
    const dt = utcDate(start);
    if (earliest === undefined || dt < earliest) earliest = dt;
  }
  return earliest;
}

/** Parquet objects of each partition of a table, by dt. */
async function partitionsOf(store: LakeStore, table: TableName): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for await (const key of store.list(`${table}/`)) {
    const dt = dtOfKey(key);
    if (dt === undefined || !key.endsWith('.parquet')) continue;
    const list = out.get(dt) ?? [];
    list.push(key);
    out.set(dt, list);
  }
  return out;
}

/** `<table>/dt=<dt>/compacted_<16 hex of the sources' keys>`: the same sources give the same keys. */
function outputStem(table: TableName, dt: string, sources: readonly string[]): string {
  const hash = createHash('sha256').update(sources.join('\n')).digest('hex').slice(0, 16);
  return `${partitionPrefix(table, dt)}compacted_${hash}`;
}

async function compactPartition(store: LakeStore, table: TableSpec, dt: string, sources: readonly string[], options: CompactOptions): Promise<PartitionResult> {
  const stem = outputStem(table.name, dt, sources);
  const recordKey = compactionRecordKey(table.name, dt);
  const base = { table: table.name, dt, sources: sources.length };
  const record: CompactionRecord = { table: table.name, dt, status: 'writing', sources, stem };
  await store.put(recordKey, `${JSON.stringify(record)}\n`, { contentType: 'application/json' });
  const outputs: string[] = [];
  let sourceBytes = 0;
  let rows = 0;
  const writer = new ParquetWriter(table, async (file) => {
    const key = `${stem}_p${String(file.index).padStart(4, '0')}.parquet`;
    await store.put(key, file.body, { contentType: 'application/vnd.apache.parquet' });
    outputs.push(key);
  }, options.targetFileBytes === undefined ? {} : { targetFileBytes: options.targetFileBytes });
  let written: { rows: number; bytes: number };
  try {
    for (const key of sources) {
      const bytes = await store.get(key);
      if (bytes === undefined) throw new ParquetEncodeError(`${key} disappeared while the partition was compacted`);
      sourceBytes += bytes.byteLength;
      rows += await writer.appendParquet(bytes);
    }
    written = await writer.close();
    if (written.rows !== rows) throw new ParquetEncodeError(`wrote ${written.rows} rows for ${rows} read`);
  } catch (error) {
    await writer.close().catch(() => undefined);
    for (const key of outputs) await store.delete(key);
    await store.delete(recordKey);
    if (!(error instanceof ParquetEncodeError)) throw error;
    options.log.warn({ table: table.name, dt, err: { name: error.name, message: error.message } }, `${table.name} dt=${dt} left as it is: ${error.message}`);
    return { ...base, sourceBytes, outputs: 0, outputBytes: 0, rows: 0, skipped: error.message };
  }
  // The outputs are durable: from here on the sources may go.
  await store.put(recordKey, `${JSON.stringify({ ...record, status: 'written', outputs: [...outputs].sort() })}\n`, { contentType: 'application/json' });
  for (const key of sources) await store.delete(key);
  await store.delete(recordKey);
  options.log.info({ table: table.name, dt, sources: sources.length, source_bytes: sourceBytes, outputs: outputs.length, output_bytes: written.bytes, rows }, `${table.name} dt=${dt}: ${sources.length} objects compacted into ${outputs.length}`);
  return { ...base, sourceBytes, outputs: outputs.length, outputBytes: written.bytes, rows };
}

/** Compacts every closed partition of the given tables that holds more than one object. */
export async function compactLake(store: LakeStore, options: CompactOptions): Promise<CompactSummary> {
  const dryRun = options.dryRun ?? false;
  const recovered = await recover(store, options.log, dryRun);
  const inflight = await inflightHorizon(store);
  const horizon = inflight !== undefined && inflight < options.before ? inflight : options.before;
  if (horizon !== options.before) options.log.info({ horizon, before: options.before }, `an export window from ${horizon} is in flight: partitions from ${horizon} on are left alone`);
  const partitions: PartitionResult[] = [];
  for (const table of options.tables) {
    for (const [dt, keys] of [...await partitionsOf(store, table.name)].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (dt >= horizon || keys.length < 2) continue;
      const sources = [...keys].sort();
      if (dryRun) {
        partitions.push({ table: table.name, dt, sources: sources.length, sourceBytes: 0, outputs: 0, outputBytes: 0, rows: 0, skipped: 'dry run' });
        continue;
      }
      partitions.push(await compactPartition(store, table, dt, sources, options));
    }
  }
  return { horizon, partitions, recovered };
}
