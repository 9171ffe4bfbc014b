/**
 * Object keys of the lake (relative to its root; the same on S3 and on disk). Every data key is a
 * pure function of what the object holds — table, partition, slice or source, export window and
 * part number — so a rerun of the same work writes the same keys and overwrites instead of
 * duplicating. The layout is documented in docs/lake.md.
 */
import type { TableName } from '../transform/types.js';
import { LakeKeyError } from './errors.js';

/** Top-level folders of the lake. */
export const LAKE_FOLDERS = {
  findings: 'findings',
  finding_statistics: 'finding_statistics',
  investigations: 'investigations',
  investigation_records: 'investigation_records',
  quarantine: 'quarantine',
  runs: 'runs',
  state: '_state',
  reports: 'reports',
} as const;

export const TABLE_NAMES = ['findings', 'finding_statistics', 'investigations', 'investigation_records'] as const satisfies readonly TableName[];

/** One (account, region) slice and the export window it covered. */
export interface SliceWindow {
  readonly accountId: string;
  readonly region: string;
  /** ISO-8601 start of the window (inclusive). */
  readonly windowStart: string;
  /** ISO-8601 end of the window. */
  readonly windowEnd: string;
}

const ACCOUNT = /^\d{12}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const DT = /^\d{4}-\d{2}-\d{2}$/;
const RUN_ID = /^[\w.-]{1,64}$/;
const HASH = /^[0-9a-f]{8,64}$/;
const WEEK = /^\d{4}-W\d{2}$/;

/** `YYYY-MM-DD` of an instant, in UTC: the `dt` partition value. */
export function utcDate(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new LakeKeyError(String(instant), `"${String(instant)}" is not a valid instant`);
  return d.toISOString().slice(0, 10);
}

/** `20261122T042200123Z` (date, T, hhmmss + milliseconds, Z): a compact UTC stamp (no `:`; safe in keys and file names). */
export function compactInstant(instant: Date | string): string {
  const d = typeof instant === 'string' ? new Date(instant) : instant;
  if (Number.isNaN(d.getTime())) throw new LakeKeyError(String(instant), `"${String(instant)}" is not a valid instant`);
  const iso = d.toISOString(); // 2026-11-22T04:22:00.123Z
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}${iso.slice(20, 23)}Z`;
}

const part4 = (part: number): string => {
  if (!Number.isInteger(part) || part < 0 || part > 9999) throw new LakeKeyError(String(part), `part ${part} is not 0..9999`);
  return `p${String(part).padStart(4, '0')}`;
};

function check(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new LakeKeyError(value, `"${value}" is not a valid ${what}`);
  return value;
}

/** `<table>/dt=<dt>/` — the folder of one partition. */
export function partitionPrefix(table: TableName, dt: string): string {
  return `${table}/dt=${check(dt, DT, 'dt (YYYY-MM-DD)')}/`;
}

/** Stem shared by every part of one slice's export window in one partition (without `_pNNNN.parquet`). */
export function sliceObjectStem(table: TableName, dt: string, slice: SliceWindow): string {
  return `${partitionPrefix(table, dt)}${check(slice.accountId, ACCOUNT, 'account id')}_${check(slice.region, REGION, 'region')}_${compactInstant(slice.windowStart)}_${compactInstant(slice.windowEnd)}`;
}

/**
 * Key of one Parquet object written by `export` for a slice's window:
 * `findings/dt=2026-11-21/111122223333_us-east-1_20261114T000000000Z_20261121T000000000Z_p0000.parquet`.
 */
export function sliceObjectKey(table: TableName, dt: string, slice: SliceWindow, part = 0): string {
  return `${sliceObjectStem(table, dt, slice)}_${part4(part)}.parquet`;
}

/** Stem of the objects `import` writes for one source file (identified by the hash of its bytes). */
export function importObjectStem(table: TableName, dt: string, sourceHash: string): string {
  return `${partitionPrefix(table, dt)}import_${check(sourceHash, HASH, 'source hash')}`;
}

/** `findings/dt=2024-01-02/import_<sha256-prefix>_p0000.parquet`. */
export function importObjectKey(table: TableName, dt: string, sourceHash: string, part = 0): string {
  return `${importObjectStem(table, dt, sourceHash)}_${part4(part)}.parquet`;
}

/** Quarantine of one export slice window: `quarantine/dt=<run date>/<account>_<region>_<start>_<end>.jsonl`. */
export function sliceQuarantineKey(dt: string, slice: SliceWindow): string {
  return `${LAKE_FOLDERS.quarantine}/dt=${check(dt, DT, 'dt (YYYY-MM-DD)')}/${check(slice.accountId, ACCOUNT, 'account id')}_${check(slice.region, REGION, 'region')}_${compactInstant(slice.windowStart)}_${compactInstant(slice.windowEnd)}.jsonl`;
}

/** Quarantine of one imported file: `quarantine/dt=<run date>/import_<sha256-prefix>.jsonl`. */
export function importQuarantineKey(dt: string, sourceHash: string): string {
  return `${LAKE_FOLDERS.quarantine}/dt=${check(dt, DT, 'dt (YYYY-MM-DD)')}/import_${check(sourceHash, HASH, 'source hash')}.jsonl`;
}

/** `runs/dt=<UTC date the run started>/<run_id>.json`. */
export function manifestKey(runId: string, startedAt: Date | string): string {
  return `${LAKE_FOLDERS.runs}/dt=${utcDate(startedAt)}/${check(runId, RUN_ID, 'run id')}.json`;
}

/** `_state/watermarks/<account>/<region>.json` — one object per slice, so parallel shards never write the same key. */
export function watermarkKey(accountId: string, region: string): string {
  return `${LAKE_FOLDERS.state}/watermarks/${check(accountId, ACCOUNT, 'account id')}/${check(region, REGION, 'region')}.json`;
}

export const WATERMARK_PREFIX = `${LAKE_FOLDERS.state}/watermarks/`;
export const INFLIGHT_PREFIX = `${LAKE_FOLDERS.state}/inflight/`;

/** `_state/inflight/<account>/<region>.json`: the window a run started for a slice and has not finished. */
export function inflightKey(accountId: string, region: string): string {
  return `${INFLIGHT_PREFIX}${accountId}/${region}.json`;
}
export const MANIFEST_PREFIX = `${LAKE_FOLDERS.runs}/`;

/** `reports/<YYYY-Www>/<file>` (report.html, report.txt, queries.sql, sent.json). */
export function reportKey(week: string, file: string): string {
  check(week, WEEK, 'ISO week (YYYY-Www)');
  if (!/^[\w.-]+$/.test(file) || file.startsWith('.')) throw new LakeKeyError(file, `"${file}" is not a plain file name`);
  return `${LAKE_FOLDERS.reports}/${week}/${file}`;
}

/** The `dt` of a key inside a partition folder (`…/dt=2026-11-21/…`), or undefined. */
export function dtOfKey(key: string): string | undefined {
  return /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}

/** The part number of a Parquet key written by this module, or undefined. */
export function partOfKey(key: string): number | undefined {
  const m = /_p(\d{4})\.parquet$/.exec(key);
  return m?.[1] === undefined ? undefined : Number(m[1]);
}
