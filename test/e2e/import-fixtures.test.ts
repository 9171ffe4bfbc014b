/**
 * `guardduty-lake import` over every published fixture in ../shared/fixtures/real-findings, read back
 * with DuckDB: every distinct finding id lands in `findings`, bad records in quarantine with their
 * reason, nested timestamps as TIMESTAMP; a rerun leaves identical counts; findings_latest has one
 * row per id.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli.js';
import { openLake } from '../../src/lake/open.js';
import { readQuarantine } from '../../src/lake/quarantine.js';
import { readManifest } from '../../src/lake/manifest.js';
import { findingsLatestViewSql } from '../../src/lake/ddl.js';
import { FINDINGS_TABLE } from '../../src/transform/tables.js';
import { attachLake, openDuck, type Duck } from '../helpers/lake-duckdb.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const FIXTURES = path.resolve(repoRoot, '../shared/fixtures/real-findings');

function sink(): Writable & { lines: () => Array<Record<string, unknown>> } {
  let text = '';
  const w = new Writable({ write(chunk, _enc, cb) { text += String(chunk); cb(); } }) as Writable & { lines: () => Array<Record<string, unknown>> };
  w.lines = () => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return w;
}

/**
 * The ids of the complete findings in the fixtures, read independently of the transform code: bare
 * findings, `Findings`/`findings` pages and EventBridge `detail`, skipping the files the README
 * says hold no complete finding.
 */
async function expectedIds(): Promise<{ rows: number; ids: Set<string> }> {
  const ids = new Set<string>();
  let rows = 0;
  for (const file of (await readdir(FIXTURES)).filter((f) => f.endsWith('.jsonl'))) {
    if (/fragments|invalid|stats/.test(file)) continue;
    for (const line of (await readFile(path.join(FIXTURES, file), 'utf8')).split('\n').filter((l) => l.trim() !== '')) {
      const doc = JSON.parse(line) as Record<string, unknown>;
      const page = (doc.Findings ?? doc.findings) as unknown[] | undefined;
      const found = page ?? ('detail' in doc ? (Object.keys(doc.detail as object).length > 0 ? [doc.detail] : []) : [doc]);
      for (const f of found as Array<Record<string, unknown>>) {
        rows++;
        ids.add(String(f.id ?? f.Id));
      }
    }
  }
  return { rows, ids };
}

let dir: string;
let lake: string;
let duck: Duck;
let firstRun: { code: number; out: ReturnType<typeof sink> };

async function runImport(runId: string): Promise<{ code: number; out: ReturnType<typeof sink> }> {
  const out = sink();
  const code = await main(['import', '--lake', lake, '--run-id', runId, FIXTURES], { stdout: out, env: {} });
  return { code, out };
}

async function keysUnder(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const k of openLake(lake).list(prefix)) keys.push(k);
  return keys;
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gdl-import-'));
  lake = path.join(dir, 'lake');
  duck = await openDuck();
  firstRun = await runImport('imp-1');
  await attachLake(duck, lake, 'gd', ['findings']);
});
afterAll(async () => {
  duck.close();
  await rm(dir, { recursive: true, force: true });
});

describe('import of the real-findings fixtures', () => {
  it('puts every complete finding into findings: one row each, every distinct id', async () => {
    // Prepare
    const expected = await expectedIds();
    // Act
    const [counts] = await duck.all('SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM gd.findings');
    const ids = (await duck.all('SELECT DISTINCT id FROM gd.findings')).map((r) => r.id);
    // Assess: 62 complete findings with 55 distinct ids (README: one Sekoia line repeats, panther-analysis repeats one finding)
    expect(expected.rows).toBe(62);
    expect(expected.ids.size).toBe(55);
    expect(counts).toEqual({ n: expected.rows, ids: expected.ids.size });
    expect(new Set(ids)).toEqual(expected.ids);
  });

  it('quarantines the invalid record and the partial fragments with their reasons, and says so in the last log line with exit 1', async () => {
    // Prepare
    const store = openLake(lake);
    const keys = await keysUnder('quarantine/');
    const lines = (await Promise.all(keys.map((k) => readQuarantine(store, k)))).flat();
    const invalidText = (await readFile(path.join(FIXTURES, 'panther-legacy-wire-invalid.jsonl'), 'utf8')).trim();
    // Act
    const invalid = lines.filter((l) => l.source.includes('panther-legacy-wire-invalid.jsonl'));
    const fragments = lines.filter((l) => l.source.includes('stix-shifter-sdk-fragments.jsonl'));
    const last = firstRun.out.lines().at(-1);
    // Assess
    expect(invalid).toEqual([{ reason: 'missing id', source: `import:${path.join(FIXTURES, 'panther-legacy-wire-invalid.jsonl')}:1`, raw: JSON.parse(invalidText), quarantined_at: expect.any(String) }]);
    expect(fragments).toHaveLength(10);
    expect(new Set(fragments.map((f) => f.reason))).toEqual(new Set(['missing id']));
    expect(lines).toHaveLength(11);
    expect(firstRun.code).toBe(1);
    expect(last?.msg).toMatch(/^import finished: 62 findings from 16 files; 11 records quarantined \(.*quarantine\/dt=\d{4}-\d{2}-\d{2}\/import_[0-9a-f]{16}\.jsonl.*\); exit 1$/);
    expect(last).toMatchObject({ findings: 62, quarantined: 11, empty_envelopes: 1, statistics_responses: 2, exit_code: 1 });
  });

  it('lands timestamps of nested objects as real TIMESTAMP values', async () => {
    // Act
    const types = Object.fromEntries((await duck.all('DESCRIBE gd.findings')).map((r) => [r.column_name, r.column_type]));
    const [s3] = await duck.all(`SELECT CAST(b.created_at AS VARCHAR) AS created FROM (SELECT unnest(resource_s3_bucket_details) AS b FROM gd.findings WHERE id = '02bf27df0ab318783b0a8f63569dfd68') WHERE b.created_at IS NOT NULL LIMIT 1`);
    const [eks] = await duck.all(`SELECT CAST(resource_eks_cluster_details_created_at AS VARCHAR) AS created FROM gd.findings WHERE resource_eks_cluster_details_created_at IS NOT NULL ORDER BY 1 LIMIT 1`);
    // Assess: epoch seconds with fractional millis (1513612691.551) became a timestamp
    expect(types.created_at).toBe('TIMESTAMP');
    expect(types.updated_at).toBe('TIMESTAMP');
    expect(types.resource_eks_cluster_details_created_at).toBe('TIMESTAMP');
    expect(String(types.resource_s3_bucket_details)).toMatch(/^STRUCT\(.*created_at TIMESTAMP.*\)\[\]$/);
    expect(s3?.created).toBe('2017-12-18 15:58:11.551');
    expect(eks?.created).toMatch(/^20\d\d-\d\d-\d\d \d\d:\d\d:\d\d/);
  });

  it('writes a manifest for the import run', async () => {
    const manifest = await readManifest(openLake(lake), (await keysUnder('runs/'))[0] ?? '');
    expect(manifest).toMatchObject({ runId: 'imp-1', command: 'import', totals: { findings: 62, quarantined: 11 } });
    expect(manifest?.import).toMatchObject({ files: 16, failedFiles: 0, emptyEnvelopes: 1, statisticsResponses: 2 });
    expect(manifest?.slices.reduce((n, s) => n + s.findings, 0)).toBe(62);
  });

  it('overwrites on a rerun of the same files: identical keys and counts; findings_latest has one row per id', async () => {
    // Prepare
    const before = await keysUnder('findings/');
    // Act
    const rerun = await runImport('imp-2');
    const after = await keysUnder('findings/');
    const [counts] = await duck.all('SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM gd.findings');
    await duck.run(findingsLatestViewSql(FINDINGS_TABLE, 'gd'));
    const [latest] = await duck.all('SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS ids FROM gd.findings_latest');
    const runIds = await duck.all('SELECT DISTINCT run_id FROM gd.findings');
    // Assess
    expect(rerun.code).toBe(1);
    expect(after).toEqual(before);
    expect(counts).toEqual({ n: 62, ids: 55 });
    expect(latest).toEqual({ n: 55, ids: 55 });
    expect(runIds).toEqual([{ run_id: 'imp-2' }]);
    expect(await keysUnder('quarantine/')).toHaveLength(2);
    expect(await keysUnder('runs/')).toHaveLength(2);
  });
});
