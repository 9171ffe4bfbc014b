/**
 * `npm run bench:encode [-- --n 1000000]`: N synthetic findings through flatten + Parquet (our route), then
 * the same rows through the DuckDB appender + COPY TO parquet, and prints one JSON line:
 * {"n","findings_per_s","duckdb_findings_per_s","ratio","peak_rss_mb","bytes_per_finding"}.
 * peak_rss_mb is the process's peak RSS measured before the DuckDB route starts (our route only).
 * Options: --n, --batch-rows, --row-group-rows, --compression zstd|snappy, --skip-duckdb.
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Writable } from 'node:stream';
import { flattenFinding } from '../src/transform/flatten.js';
import { ParquetWriter, parquetWasm, type ParquetCompression } from '../src/transform/parquet.js';
import { FINDINGS_TABLE } from '../src/transform/tables.js';
import type { Row, RowContext } from '../src/transform/types.js';
import { makeFinding } from '../test/helpers/findings.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '200000' },
    'batch-rows': { type: 'string' },
    'row-group-rows': { type: 'string' },
    compression: { type: 'string', default: 'zstd' },
    'skip-duckdb': { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const ctx: RowContext = { sourceAccountId: '123456789012', detectorId: 'abcdef0123456789abcdef0123456789', runId: 'bench', exportedAt: new Date() };

/** A pool of distinct findings (SDK and wire shapes), cycled with a fresh id per row: generation stays out of the timing. */
const POOL = Array.from({ length: 512 }, (_, i) => makeFinding({ index: i, shape: i % 2 ? 'wire' : 'sdk' }));
function* findings(count: number): Generator<Record<string, unknown>> {
  for (let i = 0; i < count; i++) {
    const base = POOL[i % POOL.length] as Record<string, unknown>;
    const idKey = 'Id' in base ? 'Id' : 'id';
    yield { ...base, [idKey]: `${String(base[idKey]).slice(0, 20)}${i.toString(16).padStart(12, '0')}` };
  }
}

async function ourRoute(file: string): Promise<{ seconds: number; bytes: number }> {
  const started = process.hrtime.bigint();
  const writer = new ParquetWriter(FINDINGS_TABLE, async (f) => {
    const out = Writable.toWeb(createWriteStream(f.index === 0 ? file : `${file}.${f.index}`));
    const w = out.getWriter();
    for await (const chunk of f.body) await w.write(chunk);
    await w.close();
  }, {
    ...(values['batch-rows'] ? { batchRows: Number(values['batch-rows']) } : {}),
    ...(values['row-group-rows'] ? { rowGroupRows: Number(values['row-group-rows']) } : {}),
    compression: values.compression as ParquetCompression,
  });
  let i = 0;
  for (const f of findings(n)) {
    await writer.write(flattenFinding(f, ctx));
    if (process.env['GDL_BENCH_DEBUG'] && ++i % 10000 === 0) {
      const m = process.memoryUsage();
      console.error(JSON.stringify({ i, rss_mb: Math.round(m.rss / 1048576), heap_mb: Math.round(m.heapUsed / 1048576), heap_total_mb: Math.round(m.heapTotal / 1048576), external_mb: Math.round(m.external / 1048576), ab_mb: Math.round(m.arrayBuffers / 1048576), wasm_mb: Math.round(parquetWasm().wasmMemory().buffer.byteLength / 1048576) }));
    }
  }
  const summary = await writer.close();
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, bytes: summary.bytes };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'gdl-bench-'));
  if (process.env['GDL_BENCH_DEBUG']) console.error(JSON.stringify({ baseline_rss_mb: Math.round(process.memoryUsage().rss / 1048576) }));
  try {
    const ours = await ourRoute(path.join(dir, 'ours.parquet'));
    const peakRssMb = process.resourceUsage().maxRSS / 1024;
    let duckPerS: number | null = null;
    if (!values['skip-duckdb']) {
      const rows = (function* (): Generator<Row> { for (const f of findings(n)) yield flattenFinding(f, ctx); })();
      // Loaded only now, so DuckDB's native library does not count in our route's peak RSS.
      const { duckdbEncode } = await import('./duckdb-route.js');
      const duck = await duckdbEncode(FINDINGS_TABLE, rows, path.join(dir, 'duck.parquet'));
      duckPerS = n / duck.seconds;
    }
    const perS = n / ours.seconds;
    console.log(JSON.stringify({
      n,
      findings_per_s: Math.round(perS),
      duckdb_findings_per_s: duckPerS === null ? null : Math.round(duckPerS),
      ratio: duckPerS === null ? null : Number((perS / duckPerS).toFixed(2)),
      peak_rss_mb: Math.round(peakRssMb),
      bytes_per_finding: Number((ours.bytes / n).toFixed(1)),
    }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
