/**
 * Import of every accepted input shape — native S3-export folders (.jsonl.gz), pretty-printed .json
 * arrays, JSON lines — into a local lake and an S3 lake (s3rver over HTTP), plus the failure paths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { openLake } from '../../src/lake/open.js';
import { importFiles } from '../../src/lake/import.js';
import { readQuarantine } from '../../src/lake/quarantine.js';
import type { LakeStore } from '../../src/lake/types.js';
import { lit, openDuck, type Duck } from '../helpers/lake-duckdb.js';
import { startS3rver, type RunningS3rver } from '../helpers/s3rver.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures/real-findings');

let dir: string;
let duck: Duck;
let s3: RunningS3rver;
/** Wire-shape findings from the published fixtures, re-identified per test. */
let wire: Array<Record<string, unknown>>;

function finding(id: string, updatedAt: string, base = 0): Record<string, unknown> {
  return { ...structuredClone(wire[base % wire.length]), id, updatedAt };
}

function quiet(): Writable & { text: () => string } {
  let text = '';
  const w = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } }) as Writable & { text: () => string };
  w.text = () => text;
  return w;
}

async function list(store: LakeStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.list(prefix)) out.push(k);
  return out;
}

/** A folder in GuardDuty's native export layout, a pretty-printed .json array, and files import ignores. */
async function makeSources(root: string): Promise<void> {
  const day = path.join(root, 'AWSLogs', '111122223333', 'GuardDuty', 'eu-west-1', '2024', '01', '02');
  await mkdir(day, { recursive: true });
  const lines = [finding('native-1', '2024-01-02T10:00:00.000Z'), finding('native-2', '2024-01-02T11:00:00.000Z', 1)].map((f) => JSON.stringify(f)).join('\n');
  await writeFile(path.join(day, '5f1c2e6a-0000-4000-8000-000000000001.jsonl.gz'), gzipSync(`${lines}\n`));
  await writeFile(path.join(day, '.partial.jsonl.gz'), 'not read');
  await writeFile(path.join(root, 'notes.txt'), 'not read');
  await mkdir(path.join(root, 'copies'));
  await writeFile(path.join(root, 'copies', 'same.jsonl.gz'), gzipSync(`${lines}\n`));
  await writeFile(path.join(root, 'page.json'), JSON.stringify([finding('array-1', '2024-01-03T00:00:00Z', 2), finding('array-2', '2024-01-01T23:59:59.999Z', 3)], null, 2));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gdl-import-formats-'));
  duck = await openDuck();
  s3 = await startS3rver();
  const text = await readFile(path.join(FIXTURES, 'elastic-integrations-wire.jsonl'), 'utf8');
  wire = text.split('\n').filter((l) => l.trim() !== '').slice(5, 9).map((l) => JSON.parse(l) as Record<string, unknown>);
});
afterAll(async () => {
  duck.close();
  await s3.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('import formats', () => {
  it('reads native export folders and .json arrays, skips duplicate files, exits 0 with nothing quarantined', async () => {
    // Prepare
    const src = path.join(dir, 'src-local');
    const lake = path.join(dir, 'lake-local');
    await makeSources(src);
    const out = quiet();
    // Act
    const code = await main(['import', '--lake', lake, '--run-id', 'i1', src], { stdout: out, env: {} });
    const rows = await duck.all(`SELECT id, dt, source_account_id, CAST(updated_at AS VARCHAR) AS updated FROM read_parquet(${lit(`${lake}/findings/*/*.parquet`)}, hive_partitioning = true, hive_types = {'dt': VARCHAR}) ORDER BY id`);
    const last = JSON.parse(out.text().trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;
    // Assess
    expect(code).toBe(0);
    expect(rows.map((r) => [r.id, r.dt, r.updated])).toEqual([
      ['array-1', '2024-01-03', '2024-01-03 00:00:00'],
      ['array-2', '2024-01-01', '2024-01-01 23:59:59.999'],
      ['native-1', '2024-01-02', '2024-01-02 10:00:00'],
      ['native-2', '2024-01-02', '2024-01-02 11:00:00'],
    ]);
    expect(rows.filter((r) => String(r.id).startsWith('native')).map((r) => r.source_account_id)).toEqual(['111122223333', '111122223333']);
    expect(last).toMatchObject({ files: 3, duplicate_files: 1, findings: 4, quarantined: 0, exit_code: 0 });
    expect(last.msg).toBe('import finished: 4 findings from 3 files; exit 0');
  });

  it('writes the same keys to an S3 lake (s3rver) as to a local one, and DuckDB reads the objects', async () => {
    // Prepare
    const src = path.join(dir, 'src-s3');
    await makeSources(src);
    const local = openLake(path.join(dir, 'lake-cmp'));
    const remote = openLake(`s3://${s3.bucket}/gd`);
    // Act
    await importFiles({ store: local, paths: [src], runId: 'cmp' });
    const code = await main(['import', '--lake', `s3://${s3.bucket}/gd`, '--run-id', 'cmp', src], { stdout: quiet(), env: process.env });
    const remoteKeys = await list(remote, 'findings/');
    const first = remoteKeys[0] ?? '';
    const file = path.join(dir, 'downloaded.parquet');
    await writeFile(file, (await remote.get(first)) ?? new Uint8Array());
    const [n] = await duck.all(`SELECT count(*)::INTEGER AS n FROM read_parquet(${lit(file)})`);
    // Assess
    expect(code).toBe(0);
    expect(remoteKeys).toEqual(await list(local, 'findings/'));
    expect(remoteKeys).toHaveLength(3);
    expect(n?.n).toBeGreaterThan(0);
    expect(await list(remote, 'runs/')).toHaveLength(1);
  });

  it('quarantines a line that is not JSON with the parser\'s reason, and keeps the other lines', async () => {
    const src = path.join(dir, 'broken.jsonl');
    const lake = openLake(path.join(dir, 'lake-broken'));
    await writeFile(src, `${JSON.stringify(finding('ok-1', '2024-02-01T00:00:00Z'))}\n{"id": "cut-off", "type": \n\n${JSON.stringify(finding('ok-2', '2024-02-01T00:00:01Z'))}\n`);
    // Act
    const result = await importFiles({ store: lake, paths: [src], runId: 'b1' });
    const lines = await readQuarantine(lake, result.quarantineKeys[0] ?? '');
    // Assess
    expect(result.manifest.totals).toMatchObject({ findings: 2, quarantined: 1 });
    expect(lines).toEqual([{ reason: expect.stringMatching(/^invalid JSON: /), source: `import:${src}:2`, raw: '{"id": "cut-off", "type": ', quarantined_at: expect.any(String) }]);
  });

  it('quarantines a finding dated before the dt projection range instead of hiding it from Athena', async () => {
    const src = path.join(dir, 'old.jsonl');
    const lake = openLake(path.join(dir, 'lake-old'));
    await writeFile(src, `${JSON.stringify(finding('old-1', '2009-12-31T23:59:59Z'))}\n${JSON.stringify(finding('new-1', '2010-01-01T00:00:00Z'))}\n`);
    // Act
    const result = await importFiles({ store: lake, paths: [src], runId: 'o1' });
    const lines = await readQuarantine(lake, result.quarantineKeys[0] ?? '');
    // Assess
    expect(result.manifest.totals).toMatchObject({ findings: 1, quarantined: 1 });
    expect(lines.map((l) => [l.reason, (l.raw as { id: string }).id])).toEqual([["updatedAt 2009-12-31T23:59:59.000Z is outside the lake's dt range (2010-01-01 onwards)", 'old-1']]);
  });

  it('continues part numbers when a partition is reopened, and a rerun with bigger files removes the stale parts', async () => {
    // Prepare: findings alternate between two days; only one partition may stay open
    const src = path.join(dir, 'alternating.jsonl');
    const lake = openLake(path.join(dir, 'lake-parts'));
    const days = ['2024-03-01', '2024-03-02'];
    await writeFile(src, Array.from({ length: 6 }, (_, i) => JSON.stringify(finding(`alt-${i}`, `${days[i % 2]}T00:00:0${i}Z`, i))).join('\n'));
    // Act
    await importFiles({ store: lake, paths: [src], runId: 'p1', maxOpenPartitions: 1, parquet: { batchRows: 1 } });
    const many = await list(lake, 'findings/');
    await importFiles({ store: lake, paths: [src], runId: 'p2' });
    const few = await list(lake, 'findings/');
    const [n] = await duck.all(`SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM read_parquet(${lit(`${lake.locate('findings')}/*/*.parquet`)})`);
    // Assess
    expect(many.map((k) => k.replace(/import_[0-9a-f]+_/, 'import_H_'))).toEqual([
      'findings/dt=2024-03-01/import_H_p0000.parquet', 'findings/dt=2024-03-01/import_H_p0001.parquet', 'findings/dt=2024-03-01/import_H_p0002.parquet',
      'findings/dt=2024-03-02/import_H_p0000.parquet', 'findings/dt=2024-03-02/import_H_p0001.parquet', 'findings/dt=2024-03-02/import_H_p0002.parquet',
    ]);
    expect(few.map((k) => k.replace(/import_[0-9a-f]+_/, 'import_H_'))).toEqual(['findings/dt=2024-03-01/import_H_p0000.parquet', 'findings/dt=2024-03-02/import_H_p0000.parquet']);
    expect(n).toEqual({ n: 6, ids: 6 });
  });

  it('records a file it cannot read as failed, imports the others, and exits 1', async () => {
    // Prepare
    const src = path.join(dir, 'src-corrupt');
    await mkdir(src);
    await writeFile(path.join(src, 'a-corrupt.jsonl.gz'), 'this is not gzip');
    await writeFile(path.join(src, 'b-good.jsonl'), JSON.stringify(finding('good-1', '2024-04-01T00:00:00Z')));
    const out = quiet();
    // Act
    const code = await main(['import', '--lake', path.join(dir, 'lake-corrupt'), '--run-id', 'c1', src], { stdout: out, env: {} });
    const lines = out.text().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    // Assess
    expect(code).toBe(1);
    expect(lines.find((l) => l.status === 'failed')).toMatchObject({ file: path.join(src, 'a-corrupt.jsonl.gz'), level: 'error' });
    expect(String(lines.find((l) => l.status === 'failed')?.msg)).toMatch(/incorrect header check/);
    expect(lines.at(-1)).toMatchObject({ findings: 1, failed_files: 1, exit_code: 1, msg: 'import finished: 1 findings from 2 files; 1 files failed; exit 1' });
  });

  it.each([
    [['import', '--lake', '/tmp/x'], /import needs at least one PATH/],
    [['import', '--lake', '/tmp/x', '/no/such/path'], /import: \/no\/such\/path: no such file or directory/],
  ])('exits 2 with one line for %j', async (argv, message) => {
    let err = '';
    const stderr = new Writable({ write(chunk, _enc, cb) { err += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
    const code = await main(argv, { stdout: quiet(), stderr, env: {} });
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err.trim().split('\n')).toHaveLength(1);
  });
});
