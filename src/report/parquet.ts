/**
 * Reading lake Parquet with hyparquet: only the named columns, one row group at a time, so memory
 * follows the row group, not the file. Timestamps arrive as epoch milliseconds (numbers), not Date.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type Compressors, type FileMetaData } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
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
 * Decompressors for the codecs hyparquet lacks built in (ZSTD — what the exporter writes —, GZIP,
 * BROTLI, LZ4, LZ4_RAW) plus a WebAssembly SNAPPY, from `hyparquet-compressors` (a runtime
 * dependency). LZO has no decoder here: such a file fails with a LakeReadError naming the key.
 */
const COMPRESSORS: Compressors = compressors;

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
  return {
    key,
    columns,
    rowGroups,
    close: async () => { await (file as { close?: () => Promise<void> }).close?.(); },
    async read(wanted, rowStart, rowEnd) {
      const present = wanted.filter((c) => columns.has(c));
      try {
        return (await parquetReadObjects({ file, metadata, columns: present, rowStart, rowEnd, parsers: PARSERS, compressors: COMPRESSORS })) as ParquetRow[];
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
