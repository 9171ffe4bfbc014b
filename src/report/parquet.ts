/**
 * Reading lake Parquet with hyparquet: only the named columns, one row group at a time, so memory
 * follows the row group, not the file. Timestamps arrive as epoch milliseconds (numbers), not Date.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { S3Store } from '../lake/s3-store.js';
import type { LakeStore } from '../lake/types.js';
import { LakeReadError } from './errors.js';

export type ParquetRow = Record<string, unknown>;

const PARSERS = {
  timestampFromMilliseconds: (v: bigint) => Number(v),
  timestampFromMicroseconds: (v: bigint) => Number(v / 1000n),
  timestampFromNanoseconds: (v: bigint) => Number(v / 1_000_000n),
};

/** Ranged GETs on S3, so only the footer and the projected column chunks are fetched. */
async function s3Buffer(store: S3Store, key: string): Promise<AsyncBuffer> {
  const Key = store.prefix === '' ? key : `${store.prefix}/${key}`;
  const head = await store.client.send(new HeadObjectCommand({ Bucket: store.bucket, Key }));
  const size = head.ContentLength ?? 0;
  return {
    byteLength: size,
    async slice(start, end) {
      const last = (end ?? size) - 1;
      if (last < start) return new ArrayBuffer(0);
      const out = await store.client.send(new GetObjectCommand({ Bucket: store.bucket, Key, Range: `bytes=${start}-${last}` }));
      const bytes = await out.Body!.transformToByteArray();
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/** A byte source for one lake object: ranged reads for local files and S3, the whole object otherwise. */
async function bufferFor(store: LakeStore, key: string): Promise<AsyncBuffer> {
  if (store instanceof S3Store) return s3Buffer(store, key);
  const where = store.locate(key);
  if (isAbsolute(where)) {
    let handle: FileHandle | undefined;
    try {
      handle = await open(where, 'r');
      const { size } = await handle.stat();
      const h = handle;
      return {
        byteLength: size,
        async slice(start, end) {
          const len = Math.max(0, (end ?? size) - start);
          const buf = new Uint8Array(len);
          let done = 0;
          while (done < len) {
            const { bytesRead } = await h.read(buf, done, len - done, start + done);
            if (bytesRead === 0) break;
            done += bytesRead;
          }
          return buf.buffer;
        },
        close: () => h.close(),
      } as AsyncBuffer & { close(): Promise<void> };
    } catch {
      await handle?.close().catch(() => undefined);
      // fall through to get()
    }
  }
  const bytes = await store.get(key);
  if (bytes === undefined) throw new LakeReadError(`${key}: object not found in ${store.uri}`);
  const ab = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return { byteLength: ab.byteLength, slice: (s, e) => ab.slice(s, e) };
}

/**
 * Decompressors for codecs hyparquet lacks built in (ZSTD, GZIP, BROTLI, LZ4) from the optional
 * `hyparquet-compressors` package; undefined when it is not installed.
 */
type Compressors = NonNullable<Parameters<typeof parquetReadObjects>[0]['compressors']>;
let compressorsLoaded: Promise<Compressors | undefined> | undefined;
const COMPRESSORS_MODULE = 'hyparquet-compressors';
function loadCompressors(): Promise<Compressors | undefined> {
  compressorsLoaded ??= import(COMPRESSORS_MODULE)
    .then((m: { compressors?: Compressors }) => m.compressors)
    .catch(() => undefined);
  return compressorsLoaded;
}

/** Codecs hyparquet decodes without help. */
const BUILT_IN_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

/** Arrow JS values → the plain values hyparquet returns (numbers for timestamps, arrays, objects). */
function plain(v: unknown): unknown {
  if (v === null || v === undefined || typeof v !== 'object') return v ?? undefined;
  if (v instanceof Date) return v.getTime();
  if (ArrayBuffer.isView(v)) return v;
  const o = v as { toArray?: () => unknown; toJSON?: () => unknown; [Symbol.iterator]?: unknown };
  if (typeof o.toJSON === 'function' && typeof o[Symbol.iterator] === 'function' && 'length' in o) {
    return [...(v as Iterable<unknown>)].map(plain);
  }
  if (typeof o.toJSON === 'function') {
    return Object.fromEntries(Object.entries(o.toJSON() as Record<string, unknown>).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/**
 * Fallback for codecs hyparquet cannot decode here: parquet-wasm (already a dependency for writing)
 * reads one row group of the whole file into Arrow. Correct but reads every column.
 */
async function wasmRowGroupReader(file: AsyncBuffer): Promise<(columns: readonly string[], group: number) => ParquetRow[]> {
  const [{ tableFromIPC }, { parquetWasm }] = await Promise.all([import('apache-arrow'), import('../transform/parquet.js')]);
  const bytes = new Uint8Array(await file.slice(0, file.byteLength));
  const pw = parquetWasm();
  return (columns, group) => {
    const table = tableFromIPC(pw.readParquet(bytes, { rowGroups: [group], columns: [...columns] }).intoIPCStream());
    const vectors = columns.map((c) => [c, table.getChild(c)] as const).filter(([, v]) => v !== null);
    const out: ParquetRow[] = new Array(table.numRows);
    for (let i = 0; i < table.numRows; i++) {
      const row: ParquetRow = {};
      for (const [c, v] of vectors) row[c] = plain(v!.get(i));
      out[i] = row;
    }
    return out;
  };
}

export interface ParquetFile {
  readonly key: string;
  readonly columns: ReadonlySet<string>;
  readonly rowGroups: ReadonlyArray<{ start: number; end: number }>;
  /** Releases the file handle (local files); reading after close fails. */
  close(): Promise<void>;
  /** Rows [start, end) with only the wanted columns that exist in this file (missing ones are absent). */
  read(columns: readonly string[], start: number, end: number): Promise<ParquetRow[]>;
}

export async function openParquet(store: LakeStore, key: string): Promise<ParquetFile> {
  let file: AsyncBuffer;
  let metadata: FileMetaData;
  try {
    file = await bufferFor(store, key);
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    await (file! as { close?: () => Promise<void> } | undefined)?.close?.().catch(() => undefined);
    if (e instanceof LakeReadError) throw e;
    throw new LakeReadError(`${key}: not readable as Parquet: ${(e as Error).message}`, { cause: e });
  }
  const columns = new Set(parquetSchema(metadata).children.map((c) => c.element.name));
  const rowGroups: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const rg of metadata.row_groups) {
    const end = start + Number(rg.num_rows);
    rowGroups.push({ start, end });
    start = end;
  }
  const needsHelp = metadata.row_groups.some((g) => g.columns.some((c) => c.meta_data !== undefined && !BUILT_IN_CODECS.has(c.meta_data.codec)));
  const compressors = needsHelp ? await loadCompressors() : undefined;
  let wasmReader: ((columns: readonly string[], group: number) => ParquetRow[]) | undefined;
  return {
    key,
    columns,
    rowGroups,
    close: async () => { await (file as { close?: () => Promise<void> }).close?.(); },
    async read(wanted, rowStart, rowEnd) {
      const present = wanted.filter((c) => columns.has(c));
      try {
        if (needsHelp && compressors === undefined) {
          wasmReader ??= await wasmRowGroupReader(file);
          const out: ParquetRow[] = [];
          rowGroups.forEach((g, i) => {
            if (g.end <= rowStart || g.start >= rowEnd) return;
            const rows = wasmReader!(present, i);
            out.push(...rows.slice(Math.max(0, rowStart - g.start), Math.min(rows.length, rowEnd - g.start)));
          });
          return out;
        }
        return (await parquetReadObjects({ file, metadata, columns: present, rowStart, rowEnd, parsers: PARSERS, ...(compressors && { compressors }) })) as ParquetRow[];
      } catch (e) {
        throw new LakeReadError(`${key}: reading rows ${rowStart}-${rowEnd} failed: ${(e as Error).message}`, { cause: e });
      }
    },
  };
}

/** Keys of `<table>/dt=YYYY-MM-DD/*.parquet` with `from <= dt < to` (dates as YYYY-MM-DD; either bound optional). */
export async function partitionFiles(store: LakeStore, table: string, from?: string, to?: string): Promise<string[]> {
  const out: string[] = [];
  for await (const key of store.list(`${table}/`)) {
    const m = /\/dt=(\d{4}-\d{2}-\d{2})\/[^/]+\.parquet$/.exec(key);
    if (!m) continue;
    const dt = m[1]!;
    if (from !== undefined && dt < from) continue;
    if (to !== undefined && dt >= to) continue;
    out.push(key);
  }
  return out;
}
