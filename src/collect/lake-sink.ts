/**
 * The lake-backed {@link ExportSink}: findings flattened by the transform stage and streamed through
 * its ParquetWriter into `findings/dt=<UTC date of updated_at>/…` under deterministic keys; malformed
 * findings quarantined; statistics and investigations tables; watermarks, the in-flight window and
 * finished investigations in `_state/`; the run manifest in `runs/`.
 */
import type { Finding } from '@aws-sdk/client-guardduty';
import {
  QuarantineWriter, advanceWatermark, inflightKey, partOfKey, readWatermark, sliceObjectKey, sliceObjectStem, sliceQuarantineKey, utcDate, writeManifest,
  type SliceWindow,
} from '../lake/index.js';
import type { LakeStore, RunManifest, Watermark } from '../lake/types.js';
import {
  FINDINGS_TABLE, FINDING_STATISTICS_TABLE, INVESTIGATIONS_TABLE, INVESTIGATION_RECORDS_TABLE,
  MalformedFindingError, ParquetWriter, flattenFinding,
} from '../transform/index.js';
import { investigationRecordRows, investigationRow, statisticsRows } from './rows.js';
import type { Row, RowContext, TableSpec } from '../transform/types.js';
import type { InvestigationDetail } from './investigations.js';
import type { ExportSink, FindingsWritten, InflightWindow, SliceScope, TableWritten } from './sink.js';
import type { StatisticsResult } from './statistics.js';


/** `_state/investigations/<account>/<region>.json`: investigation ids the lake holds in a final state. */
export function finishedInvestigationsKey(accountId: string, region: string): string {
  return `_state/investigations/${accountId}/${region}.json`;
}

/**
 * Parquet writers one findings write keeps open at once (one per dt partition). Each buffers up to
 * a batch of rows and a row group, so this bounds memory; it is above the default number of
 * parallel ListFindings streams per group (target concurrency 8 / 2).
 */
export const OPEN_PARTITIONS = 6;

export interface LakeSinkOptions {
  /** Clock of `exported_at` / `captured_at`. @default () => new Date() */
  readonly now?: () => Date;
}

/** Writes rows of one table into consecutive parts of one key stem; resolves once every part is stored. */
async function writeTable(
  lake: LakeStore,
  table: TableSpec,
  keyOf: (part: number) => string,
  rows: Iterable<Row> | AsyncIterable<Row>,
  firstPart = 0,
): Promise<{ rows: number; bytes: number; files: number }> {
  const writer = new ParquetWriter(table, async (file) => {
    await lake.put(keyOf(firstPart + file.index), file.body, { contentType: 'application/vnd.apache.parquet' });
  });
  for await (const row of rows) await writer.write(row);
  const summary = await writer.close();
  return { rows: summary.rows, bytes: summary.bytes, files: summary.files.length };
}

function parseJson(bytes: Uint8Array | undefined): unknown {
  return bytes === undefined ? undefined : JSON.parse(Buffer.from(bytes).toString('utf8'));
}

export class LakeSink implements ExportSink {
  private readonly now: () => Date;

  constructor(readonly lake: LakeStore, options: LakeSinkOptions = {}) {
    this.now = options.now ?? (() => new Date());
  }

  readWatermark(accountId: string, region: string): Promise<Watermark | undefined> {
    return readWatermark(this.lake, accountId, region);
  }

  async advanceWatermark(watermark: Watermark): Promise<Watermark> {
    return advanceWatermark(this.lake, watermark);
  }

  async readInflight(accountId: string, region: string): Promise<InflightWindow | undefined> {
    const value = parseJson(await this.lake.get(inflightKey(accountId, region))) as InflightWindow | undefined;
    if (value === undefined || typeof value.windowStart !== 'string' || typeof value.windowEnd !== 'string') return undefined;
    return value;
  }

  async writeInflight(window: InflightWindow): Promise<void> {
    await this.lake.put(inflightKey(window.accountId, window.region), `${JSON.stringify(window)}\n`, { contentType: 'application/json' });
  }

  async clearInflight(accountId: string, region: string): Promise<void> {
    await this.lake.delete(inflightKey(accountId, region));
  }

  private context(scope: Pick<SliceScope, 'sourceAccountId' | 'detectorId' | 'runId'>): RowContext {
    return { sourceAccountId: scope.sourceAccountId, detectorId: scope.detectorId, runId: scope.runId, exportedAt: this.now() };
  }

  async writeFindings(scope: SliceScope, batches: AsyncIterable<Finding[]>, onFinding?: (finding: Finding) => void): Promise<FindingsWritten> {
    const ctx = this.context(scope);
    const slice: SliceWindow = { accountId: scope.accountId, region: scope.region, windowStart: scope.windowStart, windowEnd: scope.windowEnd };
    const source = `export:${scope.accountId}/${scope.region}`;
    const quarantine = new QuarantineWriter(this.lake, sliceQuarantineKey(utcDate(scope.windowEnd), slice), this.now);
    const nextPart = new Map<string, number>();
    // One writer per dt partition, in last-use order; the least recently used is closed when a new
    // partition would exceed OPEN_PARTITIONS (it resumes as the partition's next part if needed).
    const open = new Map<string, { writer: ParquetWriter; firstPart: number }>();
    let findings = 0;
    let bytes = 0;
    let objects = 0;
    const close = async (dt: string): Promise<void> => {
      const entry = open.get(dt);
      if (entry === undefined) return;
      open.delete(dt);
      const summary = await entry.writer.close();
      nextPart.set(dt, entry.firstPart + summary.files.length);
      bytes += summary.bytes;
      objects += summary.files.length;
    };
    // Consecutive rows nearly always share a dt: only a change of dt touches the LRU order.
    let last: { dt: string; writer: ParquetWriter } | undefined;
    const writerFor = async (dt: string): Promise<ParquetWriter> => {
      if (last?.dt === dt) return last.writer; // still open: only a new dt evicts
      const writer = await lruWriter(dt);
      last = { dt, writer };
      return writer;
    };
    const lruWriter = async (dt: string): Promise<ParquetWriter> => {
      const entry = open.get(dt);
      if (entry !== undefined) {
        open.delete(dt);
        open.set(dt, entry);
        return entry.writer;
      }
      const oldest = open.keys().next();
      if (open.size >= OPEN_PARTITIONS && oldest.done !== true) await close(oldest.value);
      const firstPart = nextPart.get(dt) ?? 0;
      const writer = new ParquetWriter(FINDINGS_TABLE, async (file) => {
        await this.lake.put(sliceObjectKey('findings', dt, slice, firstPart + file.index), file.body, { contentType: 'application/vnd.apache.parquet' });
      });
      open.set(dt, { writer, firstPart });
      return writer;
    };
    try {
      for await (const batch of batches) {
        for (const finding of batch) {
          onFinding?.(finding);
          let row: Row;
          try {
            row = flattenFinding(finding, ctx);
          } catch (error) {
            if (!(error instanceof MalformedFindingError)) throw error;
            quarantine.add({ reason: error.message, raw: finding, source });
            continue;
          }
          // Batches of one stream arrive sorted by updatedAt, so a dt partition is written in one go
          // per stream; streams of different days interleave (see findingBatchesByDay).
          const writer = await writerFor(utcDate(row.updated_at as Date));
          await writer.write(row);
          findings += 1;
        }
      }
      for (const dt of [...open.keys()]) await close(dt);
    } catch (error) {
      for (const entry of open.values()) await entry.writer.close().catch(() => undefined);
      throw error;
    }
    // A rerun of the same window may need fewer parts than the run it replaces: drop the extra ones.
    for (const [dt, parts] of nextPart) await this.deletePartsFrom('findings', dt, slice, parts);
    await quarantine.flush();
    return { findings, quarantined: quarantine.count, bytes, objects };
  }

  private async deletePartsFrom(table: 'findings', dt: string, slice: SliceWindow, firstStale: number): Promise<void> {
    const stale: string[] = [];
    for await (const key of this.lake.list(sliceObjectStem(table, dt, slice))) {
      const part = partOfKey(key);
      if (part !== undefined && part >= firstStale) stale.push(key);
    }
    for (const key of stale) await this.lake.delete(key);
  }

  async writeStatistics(scope: SliceScope, results: readonly StatisticsResult[], window: { start: string; end: string }): Promise<TableWritten> {
    const ctx = { sourceAccountId: scope.sourceAccountId, detectorId: scope.detectorId, runId: scope.runId, region: scope.region, capturedAt: this.now(), windowStart: new Date(window.start), windowEnd: new Date(window.end) };
    const rows = results.flatMap((r) => statisticsRows(r.statistics, ctx));
    const slice: SliceWindow = { accountId: scope.accountId, region: scope.region, windowStart: scope.windowStart, windowEnd: scope.windowEnd };
    const dt = utcDate(window.end);
    if (rows.length === 0) return { rows: 0, bytes: 0 };
    const out = await writeTable(this.lake, FINDING_STATISTICS_TABLE, (part) => sliceObjectKey('finding_statistics', dt, slice, part), rows);
    return { rows: out.rows, bytes: out.bytes };
  }

  async writeInvestigations(scope: Omit<SliceScope, 'windowStart' | 'windowEnd'>, details: readonly InvestigationDetail[]): Promise<{ investigations: TableWritten; records: TableWritten }> {
    const now = this.now();
    const ctx = { sourceAccountId: scope.sourceAccountId, detectorId: scope.detectorId, runId: scope.runId, region: scope.region, capturedAt: now };
    const stamp = now.toISOString();
    const slice: SliceWindow = { accountId: scope.accountId, region: scope.region, windowStart: stamp, windowEnd: stamp };
    const dt = utcDate(now);
    const invRows = details.map((d) => investigationRow(d.investigation, ctx));
    const recRows = details.flatMap((d) => investigationRecordRows(d.investigation.InvestigationId ?? '', d.investigation.Status, d.records, ctx));
    const inv = invRows.length === 0 ? { rows: 0, bytes: 0 } : await writeTable(this.lake, INVESTIGATIONS_TABLE, (p) => sliceObjectKey('investigations', dt, slice, p), invRows);
    const rec = recRows.length === 0 ? { rows: 0, bytes: 0 } : await writeTable(this.lake, INVESTIGATION_RECORDS_TABLE, (p) => sliceObjectKey('investigation_records', dt, slice, p), recRows);
    return { investigations: { rows: inv.rows, bytes: inv.bytes }, records: { rows: rec.rows, bytes: rec.bytes } };
  }

  async readFinishedInvestigations(accountId: string, region: string): Promise<Set<string>> {
    const value = parseJson(await this.lake.get(finishedInvestigationsKey(accountId, region))) as { ids?: unknown } | undefined;
    return new Set(Array.isArray(value?.ids) ? value.ids.filter((x): x is string => typeof x === 'string') : []);
  }

  async writeFinishedInvestigations(accountId: string, region: string, ids: ReadonlySet<string>): Promise<void> {
    await this.lake.put(finishedInvestigationsKey(accountId, region), `${JSON.stringify({ ids: [...ids].sort() })}\n`, { contentType: 'application/json' });
  }

  async writeManifest(manifest: RunManifest): Promise<void> {
    await writeManifest(this.lake, manifest);
  }
}
