/**
 * Pass 1 over the findings table: the latest version (max updated_at, then exported_at) of every
 * finding id as of the week's end, kept compactly — one Map entry per id plus typed-array columns —
 * so a million findings cost tens of MB, not a million objects.
 */
import type { LakeStore } from '../lake/types.js';
import { Interner } from './interner.js';
import { openParquet, partitionFiles } from './parquet.js';
import { isoDate } from './week.js';

/** Columns read in pass 1; everything else (titles, JSON) is read only for the rows shown. */
export const SCAN_COLUMNS = [
  'id', 'account_id', 'region', 'type', 'severity', 'created_at', 'updated_at', 'exported_at',
  'service_archived', 'service_count', 'resource_resource_type', 'resource_id',
] as const;

const NONE = 0xffffffff;

class Grow {
  cap = 1024;
  len = 0;
  updatedAt = new Float64Array(this.cap);
  exportedAt = new Float64Array(this.cap);
  createdAt = new Float64Array(this.cap);
  severity = new Float32Array(this.cap);
  archived = new Uint8Array(this.cap);
  type = new Uint32Array(this.cap);
  account = new Uint32Array(this.cap);
  region = new Uint32Array(this.cap);
  resource = new Uint32Array(this.cap);
  resourceType = new Uint32Array(this.cap);
  count = new Float64Array(this.cap);
  file = new Uint32Array(this.cap);
  row = new Uint32Array(this.cap);

  add(): number {
    if (this.len === this.cap) this.grow();
    return this.len++;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Float64Array | Float32Array | Uint8Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(this.cap);
      b.set(a);
      return b;
    };
    this.updatedAt = g(this.updatedAt);
    this.exportedAt = g(this.exportedAt);
    this.createdAt = g(this.createdAt);
    this.severity = g(this.severity);
    this.archived = g(this.archived);
    this.type = g(this.type);
    this.account = g(this.account);
    this.region = g(this.region);
    this.resource = g(this.resource);
    this.resourceType = g(this.resourceType);
    this.count = g(this.count);
    this.file = g(this.file);
    this.row = g(this.row);
  }
}

/** Where a finding's winning row lives, for pass 2. */
export interface RowRef {
  readonly file: string;
  readonly row: number;
}

export class FindingIndex {
  readonly ids = new Map<string, number>();
  readonly idOf: string[] = [];
  readonly cols = new Grow();
  readonly types = new Interner();
  readonly accounts = new Interner();
  readonly regions = new Interner();
  readonly resources = new Interner();
  readonly resourceTypes = new Interner();
  readonly files: string[] = [];
  rowsRead = 0;
  /** Rows without an id or updated_at (should not exist; the writer quarantines those). */
  malformedRows = 0;

  get size(): number {
    return this.cols.len;
  }

  static readonly NONE = NONE;

  ref(slot: number): RowRef {
    return { file: this.files[this.cols.file[slot]!]!, row: this.cols.row[slot]! };
  }

  /** Offers one row; keeps it when it is the newest version seen of its id. */
  offer(r: Record<string, unknown>, fileIdx: number, rowIdx: number): void {
    const id = r.id;
    const updated = r.updated_at;
    if (typeof id !== 'string' || typeof updated !== 'number') {
      this.malformedRows++;
      return;
    }
    const exported = typeof r.exported_at === 'number' ? r.exported_at : 0;
    const c = this.cols;
    let slot = this.ids.get(id);
    if (slot === undefined) {
      slot = c.add();
      this.ids.set(id, slot);
      this.idOf.push(id);
    } else {
      const prev = c.updatedAt[slot]!;
      if (updated < prev || (updated === prev && exported < c.exportedAt[slot]!)) return;
    }
    c.updatedAt[slot] = updated;
    c.exportedAt[slot] = exported;
    c.createdAt[slot] = typeof r.created_at === 'number' ? r.created_at : updated;
    c.severity[slot] = typeof r.severity === 'number' ? r.severity : 0;
    c.archived[slot] = r.service_archived === true ? 1 : 0;
    c.type[slot] = this.types.id(typeof r.type === 'string' ? r.type : '');
    c.account[slot] = this.accounts.id(typeof r.account_id === 'string' ? r.account_id : '');
    c.region[slot] = this.regions.id(typeof r.region === 'string' ? r.region : '');
    c.resource[slot] = typeof r.resource_id === 'string' && r.resource_id !== '' ? this.resources.id(r.resource_id) : NONE;
    c.resourceType[slot] = this.resourceTypes.id(typeof r.resource_resource_type === 'string' ? r.resource_resource_type : '');
    const count = r.service_count;
    c.count[slot] = typeof count === 'bigint' ? Number(count) : typeof count === 'number' ? count : 0;
    c.file[slot] = fileIdx;
    c.row[slot] = rowIdx;
  }
}

/**
 * Reads every findings partition with dt before the week's end (dt is the UTC date of updated_at),
 * one row group at a time, keeping the latest version of each id with updated_at < `end`.
 */
export async function scanFindings(store: LakeStore, end: number, onProgress?: (rows: number) => void): Promise<FindingIndex> {
  const index = new FindingIndex();
  const keys = await partitionFiles(store, 'findings', undefined, isoDate(end));
  for (const key of keys) {
    const file = await openParquet(store, key);
    const fileIdx = index.files.push(key) - 1;
    try {
      for (const group of file.rowGroups) {
        const rows = await file.read(SCAN_COLUMNS, group.start, group.end);
        for (let i = 0; i < rows.length; i++) {
          const r = rows[i]!;
          index.rowsRead++;
          const updated = r.updated_at;
          if (typeof updated === 'number' && updated >= end) continue;
          index.offer(r, fileIdx, group.start + i);
        }
        onProgress?.(index.rowsRead);
      }
    } finally {
      await file.close();
    }
  }
  return index;
}
