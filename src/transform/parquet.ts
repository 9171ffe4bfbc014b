/**
 * Streaming Parquet writer: rows → Arrow RecordBatches (apache-arrow) → parquet-wasm's
 * `transformParquetStream`, which encodes row groups as batches arrive and emits the file's bytes as it
 * goes. Memory is bounded by one Arrow batch plus one row group, independent of the number of rows.
 * Files roll over at a target size so each stays near Athena's sweet spot (~128 MB).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Table as ArrowTable, tableFromIPC, tableToIPC } from 'apache-arrow';
import * as pw from 'parquet-wasm/esm';
import { RecordBatchBuilder } from './arrow.js';
import { ParquetEncodeError } from './errors.js';
import type { Row, TableSpec } from './types.js';

let wasmReady = false;

/** parquet-wasm's ESM build, initialised once with the bundled .wasm (its `node` entry does not load under ESM). */
export function parquetWasm(): typeof pw {
  if (!wasmReady) {
    const require = createRequire(import.meta.url);
    pw.initSync({ module: readFileSync(require.resolve('parquet-wasm/esm/parquet_wasm_bg.wasm')) });
    wasmReady = true;
  }
  return pw;
}

export const PARQUET_COMPRESSIONS = ['zstd', 'snappy'] as const;
export type ParquetCompression = (typeof PARQUET_COMPRESSIONS)[number];

export interface ParquetWriterOptions {
  /** Rows per Arrow batch handed to the encoder (bounds JS memory). @default 2048 */
  readonly batchRows?: number;
  /** Maximum rows per Parquet row group; the encoder holds one open row group, so this bounds its memory (~1.7 KB per row measured). @default 16384 */
  readonly rowGroupRows?: number;
  /** Start a new file once the current one has reached about this many bytes. @default 134217728 (128 MiB) */
  readonly targetFileBytes?: number;
  /** @default 'zstd' */
  readonly compression?: ParquetCompression;
  /**
   * Encoded page size at which a column's page is compressed and closed. The encoder keeps one open page per
   * column (341 for findings), so this bounds part of its memory (library default: 1 MiB). @default 65536
   */
  readonly dataPageBytes?: number;
  /** Dictionary size at which a column falls back to plain encoding (also one per column). @default 131072 */
  readonly dictionaryPageBytes?: number;
}

/** One Parquet file being produced: consume `body` to completion (e.g. `LakeStore.put(key, body)`). */
export interface ParquetFileOutput {
  /** 0, 1, 2, … within this writer. */
  readonly index: number;
  readonly body: AsyncIterable<Uint8Array>;
}

export interface ParquetFileSummary { readonly index: number; readonly rows: number; readonly bytes: number }

export interface ParquetWriteSummary {
  readonly rows: number;
  readonly bytes: number;
  readonly files: readonly ParquetFileSummary[];
}

/** Called when a file starts; must consume `body`; its promise settles when the file is stored. */
export type OnParquetFile = (file: ParquetFileOutput) => Promise<void>;

interface OpenFile {
  readonly index: number;
  rows: number;
  bytes: number;
  /** Bytes of the largest row group seen so far (to roll before overshooting the target). */
  maxChunk: number;
  /** Hands one wasm RecordBatch (or end) to the encoder and resolves when the encoder took it. */
  feed: (batch: pw.RecordBatch | null) => Promise<void>;
  done: Promise<void>;
}

/**
 * Push-style writer. `await write(row)` applies backpressure from the consumer of the bytes;
 * `await close()` flushes, finishes the last file and waits for every `onFile` consumer.
 * Writes no file at all when no row was written.
 */
export class ParquetWriter {
  readonly #table: TableSpec;
  readonly #onFile: OnParquetFile;
  readonly #batchRows: number;
  readonly #targetFileBytes: number;
  readonly #props: () => pw.WriterProperties;
  readonly #builder: RecordBatchBuilder;
  #buffer: Row[] = [];
  #file: OpenFile | undefined;
  #nextIndex = 0;
  readonly #finished: ParquetFileSummary[] = [];
  #closed = false;

  constructor(table: TableSpec, onFile: OnParquetFile, options: ParquetWriterOptions = {}) {
    const wasm = parquetWasm();
    this.#table = table;
    this.#onFile = onFile;
    this.#batchRows = options.batchRows ?? 2048;
    this.#targetFileBytes = options.targetFileBytes ?? 128 * 1024 * 1024;
    const rowGroupRows = options.rowGroupRows ?? 16384;
    const dataPageBytes = options.dataPageBytes ?? 64 * 1024;
    const dictionaryPageBytes = options.dictionaryPageBytes ?? 128 * 1024;
    const compression = (options.compression ?? 'zstd') === 'zstd' ? wasm.Compression.ZSTD : wasm.Compression.SNAPPY;
    // WriterProperties are consumed by the encoder call, so build one per file.
    this.#props = () => new wasm.WriterPropertiesBuilder()
      .setCompression(compression)
      .setMaxRowGroupSize(rowGroupRows)
      .setStatisticsEnabled(wasm.EnabledStatistics.Page)
      .setDataPageSizeLimit(dataPageBytes)
      .setDictionaryPageSizeLimit(dictionaryPageBytes)
      .setCreatedBy('guardduty-lake')
      .build();
    this.#builder = RecordBatchBuilder.for(table);
  }

  get table(): TableSpec { return this.#table; }

  async write(row: Row): Promise<void> {
    if (this.#closed) throw new ParquetEncodeError('write after close');
    this.#buffer.push(row);
    if (this.#buffer.length >= this.#batchRows) await this.#flushBatch();
  }

  /**
   * Appends every row of a Parquet file of this table (as this writer writes them), without turning
   * them back into rows: its record batches go to the encoder as they are. For compaction. A file
   * whose schema differs from the table's is refused with a {@link ParquetEncodeError} naming the
   * first differing column, before anything of it is written.
   * @returns the number of rows appended
   */
  async appendParquet(bytes: Uint8Array): Promise<number> {
    if (this.#closed) throw new ParquetEncodeError('write after close');
    if (this.#buffer.length > 0) await this.#flushBatch();
    const wasm = parquetWasm();
    let table: pw.Table;
    try {
      table = wasm.readParquet(bytes);
    } catch (cause) {
      throw new ParquetEncodeError(`not a readable Parquet file: ${(cause as Error).message}`, { cause });
    }
    let batches: pw.RecordBatch[];
    try {
      const fields = tableFromIPC(table.schema.intoIPCStream()).schema.fields;
      const expected = this.#builder.schema.fields;
      const signature = (f: { name: string; type: unknown; nullable: boolean }): string => `${f.name} ${String(f.type)}${f.nullable ? '' : ' not null'}`;
      const at = Math.max(fields.length, expected.length);
      for (let i = 0; i < at; i++) {
        const got = fields[i];
        const want = expected[i];
        if (got === undefined || want === undefined || signature(got) !== signature(want)) {
          throw new ParquetEncodeError(`schema differs from table ${this.#table.name} at column ${i + 1}: ${got === undefined ? '(none)' : signature(got).slice(0, 120)} instead of ${want === undefined ? '(none)' : signature(want).slice(0, 120)}`);
        }
      }
      batches = table.recordBatches();
    } finally {
      table.free();
    }
    const file = this.#file ?? await this.#openFile();
    let rows = 0;
    for (const b of batches) {
      rows += b.numRows;
      await file.feed(b);
    }
    file.rows += rows;
    if (file.bytes + file.maxChunk >= this.#targetFileBytes) await this.#finishFile();
    return rows;
  }

  async close(): Promise<ParquetWriteSummary> {
    if (this.#closed) throw new ParquetEncodeError('close called twice');
    this.#closed = true;
    if (this.#buffer.length > 0) await this.#flushBatch();
    await this.#finishFile();
    const files = [...this.#finished];
    return { rows: files.reduce((n, f) => n + f.rows, 0), bytes: files.reduce((n, f) => n + f.bytes, 0), files };
  }

  async #flushBatch(): Promise<void> {
    const rows = this.#buffer;
    this.#buffer = [];
    const file = this.#file ?? await this.#openFile();
    const wasm = parquetWasm();
    let batches: pw.RecordBatch[];
    try {
      const batch = this.#builder.build(rows);
      const ipc = tableToIPC(new ArrowTable(batch), 'stream');
      // Free the wasm Table at once: its JS wrapper is tiny, so GC finalisation would free it far too late
      // (measured: wasm memory grew ~10 KB per row until the process ended). The batches keep their data.
      const wasmTable = wasm.Table.fromIPCStream(ipc);
      batches = wasmTable.recordBatches();
      wasmTable.free();
    } catch (cause) {
      throw cause instanceof ParquetEncodeError ? cause : new ParquetEncodeError(`encoding ${rows.length} rows of ${this.#table.name}: ${(cause as Error).message}`, { cause });
    }
    for (const b of batches) await file.feed(b);
    file.rows += rows.length;
    if (file.bytes + file.maxChunk >= this.#targetFileBytes) await this.#finishFile();
  }

  async #finishFile(): Promise<void> {
    const file = this.#file;
    if (!file) return;
    this.#file = undefined;
    await file.feed(null);
    await file.done;
    this.#finished.push({ index: file.index, rows: file.rows, bytes: file.bytes });
  }

  async #openFile(): Promise<OpenFile> {
    const wasm = parquetWasm();
    // Single-slot handoff between write() and the encoder's pulls (highWaterMark 0: pulled only on demand).
    let slot: { batch: pw.RecordBatch | null; taken: () => void } | undefined;
    let waitingPull: (() => void) | undefined;
    const input = new ReadableStream<pw.RecordBatch>({
      pull: async (controller) => {
        while (!slot) await new Promise<void>((resolve) => { waitingPull = resolve; });
        const { batch, taken } = slot;
        slot = undefined;
        if (batch === null) controller.close(); else controller.enqueue(batch);
        taken();
      },
    }, { highWaterMark: 0 });
    // Resolves only once the encoder has the first batch (it needs the schema), so it is awaited by the consumer.
    const output = wasm.transformParquetStream(input, this.#props()) as Promise<ReadableStream<Uint8Array>>;
    output.catch(() => undefined);
    const file: OpenFile = {
      index: this.#nextIndex++, rows: 0, bytes: 0, maxChunk: 0,
      feed: async () => undefined,
      done: Promise.resolve(),
    };
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of (await output) as unknown as AsyncIterable<Uint8Array>) {
        file.bytes += chunk.byteLength;
        if (chunk.byteLength > file.maxChunk) file.maxChunk = chunk.byteLength;
        yield chunk;
      }
    }
    const done = this.#onFile({ index: file.index, body: counted() });
    // A consumer that fails or stops early must not leave write() waiting forever.
    const consumerEnded = done.then(
      () => { throw new ParquetEncodeError(`consumer of ${this.#table.name} file ${file.index} finished before the file was complete`); },
      (cause: unknown) => { throw cause; },
    );
    consumerEnded.catch(() => undefined);
    file.done = done;
    file.feed = async (batch) => {
      const taken = new Promise<void>((resolve) => { slot = { batch, taken: resolve }; });
      const w = waitingPull; waitingPull = undefined; w?.();
      await (batch === null ? taken : Promise.race([taken, consumerEnded]));
    };
    this.#file = file;
    return file;
  }
}

/** Encodes rows into one complete Parquet file in memory (small tables, tests). */
export async function encodeParquet(table: TableSpec, rows: Iterable<Row> | AsyncIterable<Row>, options: Omit<ParquetWriterOptions, 'targetFileBytes'> = {}): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const writer = new ParquetWriter(table, async (file) => { for await (const c of file.body) chunks.push(c); }, { ...options, targetFileBytes: Number.MAX_SAFE_INTEGER });
  for await (const row of rows) await writer.write(row);
  await writer.close();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let off = 0;
  for (const c of chunks) { out.set(c, off); off += c.byteLength; }
  return out;
}
