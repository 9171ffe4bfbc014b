/**
 * `compact` over a lake an export wrote through the emulator: fewer objects, the same rows and
 * types (DuckDB), closed partitions only, and an interrupted compaction finished or rolled back.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { compactLake, compactionRecordKey, openLake, type LakeStore } from '../../src/lake/index.js';
import { createLogger } from '../../src/log.js';
import { TABLES } from '../../src/transform/tables.js';
import { encodeParquet } from '../../src/transform/parquet.js';
import { flattenFinding } from '../../src/transform/flatten.js';
import { makeFinding } from '../helpers/findings.js';
import { queryLake, runExport, startWorld, tempLake, type TestWorld } from './export-harness.js';

const FUTURE = '2999-01-01';
const quiet = createLogger({ level: 'error', destination: new PassThrough() });

const cli = (args: string[]) => runCli(args);

/** Parquet objects per `table/dt=…` partition. */
async function objectsPerPartition(dir: string, table: string): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  let files: string[] = [];
  try {
    files = (await readdir(path.join(dir, table), { recursive: true })).filter((f) => f.endsWith('.parquet'));
  } catch {
    return out;
  }
  for (const f of files) out.set(path.dirname(f), (out.get(path.dirname(f)) ?? 0) + 1);
  return out;
}

/** What an analyst would see: counts, a checksum and the logical types of the key columns. */
async function findingsFacts(dir: string): Promise<unknown[][]> {
  return queryLake(dir, `SELECT count(*), count(DISTINCT id), round(sum(severity), 6), min(updated_at), max(updated_at),
    typeof(any_value(updated_at)), typeof(any_value(severity)), typeof(any_value(service_count)), typeof(any_value(service_archived))
    FROM read_parquet('{lake}/findings/**/*.parquet')`);
}

/** A store that fails one chosen call, as a crash there would leave the lake. */
function failingAt(store: LakeStore, fail: (op: 'put' | 'delete', key: string) => boolean): LakeStore {
  return {
    uri: store.uri,
    put: async (key, body, options) => { if (fail('put', key)) throw new Error(`crash before put ${key}`); return store.put(key, body, options); },
    get: (key) => store.get(key),
    list: (prefix) => store.list(prefix),
    delete: async (key) => { if (fail('delete', key)) throw new Error(`crash before delete ${key}`); return store.delete(key); },
    locate: (key) => store.locate(key),
  };
}

describe('compact', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 21, orgAccounts: 5, findingsPerAccount: 40, enabledRegions: ['us-east-1', 'us-west-1', 'eu-west-1'] });
  });
  afterAll(async () => t.stop());

  async function exportedLake(): Promise<Awaited<ReturnType<typeof tempLake>>> {
    const lake = await tempLake();
    await runExport(lake.dir, { regions: 'us-east-1,us-west-1,eu-west-1', lookback: '30d', 'statistics-window': '1d' });
    return lake;
  }

  it('rewrites each closed partition into one object; DuckDB sees the same rows and types', async () => {
    // Prepare
    const lake = await exportedLake();
    const before = await findingsFacts(lake.dir);
    const partitionsBefore = await objectsPerPartition(lake.dir, 'findings');
    const objectsBefore = [...partitionsBefore.values()].reduce((a, b) => a + b, 0);
    expect([...partitionsBefore.values()].some((n) => n > 1)).toBe(true);
    // Act
    const run = await cli(['compact', '--lake', lake.dir, '--before', FUTURE, '--log-level', 'error']);
    const again = await compactLake(openLake(lake.dir), { tables: Object.values(TABLES), before: FUTURE, log: quiet });
    // Assess
    expect(run.code).toBe(0);
    const partitionsAfter = await objectsPerPartition(lake.dir, 'findings');
    expect([...partitionsAfter.keys()].sort()).toEqual([...partitionsBefore.keys()].sort());
    for (const n of partitionsAfter.values()) expect(n).toBe(1);
    expect(partitionsAfter.size).toBeLessThan(objectsBefore);
    expect(await findingsFacts(lake.dir)).toEqual(before);
    for (const table of ['finding_statistics', 'investigations'] as const) {
      for (const n of (await objectsPerPartition(lake.dir, table)).values()) expect(n).toBe(1);
    }
    expect(again.partitions).toEqual([]); // nothing left to do
    await lake.remove();
  });

  it('leaves partitions from --before on, and those an unfinished export window covers', async () => {
    // Prepare
    const lake = await exportedLake();
    const partitions = [...(await objectsPerPartition(lake.dir, 'findings'))].filter(([, n]) => n > 1).map(([p]) => p.replace('dt=', '')).sort();
    expect(partitions.length).toBeGreaterThan(3);
    const cut = partitions[Math.floor(partitions.length / 2)] ?? '';
    const store = openLake(lake.dir);
    await store.put('_state/inflight/111122223333/us-east-1.json', JSON.stringify({ accountId: '111122223333', region: 'us-east-1', windowStart: `${cut}T05:00:00.000Z`, windowEnd: `${cut}T09:00:00.000Z`, runId: 'crashed' }));
    // Act
    const summary = await compactLake(store, { tables: [TABLES.findings], before: FUTURE, log: quiet });
    // Assess
    expect(summary.horizon).toBe(cut);
    const after = await objectsPerPartition(lake.dir, 'findings');
    for (const dt of partitions) expect(after.get(`dt=${dt}`) ?? 0, dt).toSatisfy((n: number) => (dt < cut ? n === 1 : n > 1));
    await lake.remove();
  });

  it.each([
    ['after the outputs and the record, before the sources are deleted', (op: 'put' | 'delete', key: string) => op === 'delete' && key.startsWith('findings/') && !key.includes('compacted_')],
    ['while writing the outputs', (op: 'put' | 'delete', key: string) => op === 'put' && key.startsWith('_state/compaction/') && key.endsWith('.json') && compactionWrittenOnce(key)],
  ])('a crash %s: the next run leaves every row exactly once', async (_when, fail) => {
    // Prepare
    const lake = await exportedLake();
    const facts = await findingsFacts(lake.dir);
    const store = openLake(lake.dir);
    crashedKeys.clear();
    await expect(compactLake(failingAt(store, fail), { tables: [TABLES.findings], before: FUTURE, log: quiet })).rejects.toThrow(/crash before/);
    const records: string[] = [];
    for await (const k of store.list('_state/compaction/')) records.push(k);
    expect(records).toHaveLength(1);
    // Act
    const summary = await compactLake(store, { tables: [TABLES.findings], before: FUTURE, log: quiet });
    // Assess
    expect(summary.recovered).toBe(1);
    expect(await findingsFacts(lake.dir)).toEqual(facts);
    for (const n of (await objectsPerPartition(lake.dir, 'findings')).values()) expect(n).toBe(1);
    for await (const k of store.list('_state/compaction/')) expect.fail(`record left: ${k}`);
    await lake.remove();
  });

  it('leaves a partition whose objects have another schema as it is', async () => {
    // Prepare
    const lake = await tempLake();
    const store = openLake(lake.dir);
    // An object written before an upgrade that added columns: the same table with fewer of them.
    const older = { ...TABLES.findings, columns: TABLES.findings.columns.slice(0, 20) };
    const row = flattenFinding(makeFinding({ index: 1, shape: 'sdk' }) as never, { sourceAccountId: '123456789012', detectorId: 'd', runId: 'r', exportedAt: new Date() });
    const bytes = await encodeParquet(older, [row]);
    await store.put('findings/dt=2026-01-01/a_p0000.parquet', bytes);
    await store.put('findings/dt=2026-01-01/b_p0000.parquet', bytes);
    // Act
    const summary = await compactLake(store, { tables: [TABLES.findings], before: FUTURE, log: quiet });
    // Assess
    expect(summary.partitions).toHaveLength(1);
    expect(summary.partitions[0]?.skipped).toMatch(/schema differs from table findings at column 21/);
    expect([...(await objectsPerPartition(lake.dir, 'findings')).values()]).toEqual([2]);
    for await (const k of store.list('_state/compaction/')) expect.fail(`record left: ${k}`);
    expect(compactionRecordKey('findings', '2026-01-01')).toBe('_state/compaction/findings/dt=2026-01-01.json');
    await lake.remove();
  });

  it.each([
    [['compact', '--lake', '/nonexistent/gdl-compact'], /--lake/],
    [['compact', '--lake', '/tmp', '--before', '2026-13-45'], /--before/],
  ])('%j exits 2 naming the setting', async (args, setting) => {
    // Act
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => { stderr.push(String(chunk)); return true; }) as typeof process.stderr.write;
    let code: number;
    try {
      code = (await cli([...args, '--log-level', 'error'])).code;
    } finally {
      process.stderr.write = write;
    }
    // Assess
    expect(code).toBe(2);
    expect(stderr.join('')).toMatch(setting);
  });
});

/** The first put of each compaction record is the `writing` one; fail the second (`written`). */
const crashedKeys = new Map<string, number>();
function compactionWrittenOnce(key: string): boolean {
  const n = (crashedKeys.get(key) ?? 0) + 1;
  crashedKeys.set(key, n);
  return n === 2;
}
