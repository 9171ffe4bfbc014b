import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { extractFindings } from '../../src/transform/extract.js';
import { flattenFinding } from '../../src/transform/flatten.js';
import { encodeParquet, ParquetWriter } from '../../src/transform/parquet.js';
import { FINDINGS_TABLE, FINDING_STATISTICS_TABLE, INVESTIGATIONS_TABLE, INVESTIGATION_RECORDS_TABLE } from '../../src/transform/tables.js';
import { statisticsRows } from '../../src/transform/statistics.js';
import { investigationRecordRows, investigationRow } from '../../src/transform/investigations.js';
import { makeGroupedStatistics, makeInvestigation, makeInvestigationRecords } from '../helpers/investigations.js';
import type { AthenaType, Row, RowContext } from '../../src/transform/types.js';
import { makeFindings } from '../helpers/findings.js';
import { fixtureDocuments, fixtureFiles } from '../helpers/fixtures.js';

const ctx: RowContext = { sourceAccountId: '111122223333', detectorId: 'det', runId: 'run-e2e', exportedAt: new Date('2025-06-01T12:00:00Z') };

let dir: string;
let db: DuckDBInstance;
let conn: DuckDBConnection;

async function query(sql: string): Promise<Array<Record<string, unknown>>> {
  return (await conn.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;
}

/** DuckDB's name for an Athena type (struct field names may be quoted by DuckDB). */
function duckType(t: AthenaType | string): string {
  switch (t) {
    case 'string': return 'VARCHAR';
    case 'timestamp': return 'TIMESTAMP';
    case 'double': return 'DOUBLE';
    case 'bigint': return 'BIGINT';
    case 'int': return 'INTEGER';
    case 'boolean': return 'BOOLEAN';
    default: return t.startsWith('array<') ? `${duckType(t.slice(6, -1))}[]` : 'STRUCT';
  }
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'gdl-parquet-'));
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
});

afterAll(() => {
  conn.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('findings Parquet read back by DuckDB', () => {
  let file: string;

  beforeAll(async () => {
    // Prepare: every complete finding of the real fixtures
    const rows: Row[] = [];
    for (const f of fixtureFiles()) {
      for (const doc of fixtureDocuments(f)) {
        for (const finding of extractFindings(doc)) {
          try { rows.push(flattenFinding(finding, ctx)); } catch { /* malformed: covered by the unit test */ }
        }
      }
    }
    // Act
    file = path.join(dir, 'fixtures.parquet');
    writeFileSync(file, await encodeParquet(FINDINGS_TABLE, rows));
  });

  it('has one row per complete finding', async () => {
    const [r] = await query(`SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM read_parquet('${file}')`);
    expect(r).toEqual({ n: 62, ids: 55 });
  });

  it('has the key columns with their logical types', async () => {
    // Act
    const rows = await query(`DESCRIBE SELECT created_at, updated_at, severity, service_count, service_archived, exported_at FROM read_parquet('${file}')`);
    // Assess
    expect(Object.fromEntries(rows.map((r) => [r['column_name'], r['column_type']]))).toEqual({
      created_at: 'TIMESTAMP', updated_at: 'TIMESTAMP', severity: 'DOUBLE', service_count: 'BIGINT', service_archived: 'BOOLEAN', exported_at: 'TIMESTAMP',
    });
  });

  it('has every column of the spec, in order, lowercase, with the matching DuckDB type', async () => {
    // Act
    const rows = await query(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    // Assess
    expect(rows.map((r) => r['column_name'])).toEqual(FINDINGS_TABLE.columns.map((c) => c.name));
    for (const [i, c] of FINDINGS_TABLE.columns.entries()) {
      expect(rows[i]?.['column_name']).toMatch(/^[a-z][a-z0-9_]*$/);
      const expected = duckType(c.type);
      const actual = String(rows[i]?.['column_type']);
      if (expected.startsWith('STRUCT')) expect(actual.startsWith('STRUCT(')).toBe(true);
      else if (expected.includes('STRUCT')) expect(actual.startsWith('STRUCT(') && actual.endsWith('[]')).toBe(true);
      else expect(actual).toBe(expected);
    }
  });

  it('unnests tags as key/value structs', async () => {
    const rows = await query(`SELECT t.key AS k, t.value AS v FROM read_parquet('${file}'), UNNEST(resource_instance_details_tags) AS u(t) WHERE t.key = 'GeneratedFindingInstaceTag1' LIMIT 1`);
    expect(rows).toEqual([{ k: 'GeneratedFindingInstaceTag1', v: 'GeneratedFindingInstaceValue1' }]);
  });

  it('unnests arrays of structs with nested timestamps', async () => {
    const rows = await query(`SELECT DISTINCT b.name AS name, strftime(b.created_at, '%Y-%m-%dT%H:%M:%S.%g') AS created FROM read_parquet('${file}'), UNNEST(resource_s3_bucket_details) AS u(b) ORDER BY 2`);
    expect(rows).toContainEqual({ name: 'bucketName', created: '2017-12-18T15:58:11.551' });
  });

  it('unnests lists of scalars', async () => {
    const rows = await query(`SELECT count(*)::INT AS n FROM read_parquet('${file}'), UNNEST(resource_kubernetes_details_kubernetes_user_details_groups) AS u(g)`);
    expect(rows[0]?.['n']).toBeGreaterThan(0);
  });

  it('keeps free-form additional info as JSON text DuckDB can parse', async () => {
    const rows = await query(`SELECT count(*)::INT AS n FROM read_parquet('${file}') WHERE json_valid(service_additional_info) AND service_additional_info IS NOT NULL`);
    const [all] = await query(`SELECT count(service_additional_info)::INT AS n FROM read_parquet('${file}')`);
    expect(rows[0]?.['n']).toBe(all?.['n']);
  });
});

describe('ParquetWriter', () => {
  it('rolls files at the target size and loses no row', async () => {
    // Prepare
    const files: Array<{ index: number; path: string }> = [];
    const writer = new ParquetWriter(FINDINGS_TABLE, async (f) => {
      const chunks: Uint8Array[] = [];
      for await (const c of f.body) chunks.push(c);
      const p = path.join(dir, `roll-${f.index}.parquet`);
      writeFileSync(p, Buffer.concat(chunks));
      files.push({ index: f.index, path: p });
    }, { batchRows: 500, rowGroupRows: 1000, targetFileBytes: 200_000 });
    // Act
    for (const f of makeFindings(3000)) await writer.write(flattenFinding(f, ctx));
    const summary = await writer.close();
    // Assess
    expect(summary.rows).toBe(3000);
    expect(summary.files.length).toBeGreaterThan(1);
    expect(files.map((f) => f.index)).toEqual(summary.files.map((f) => f.index));
    const [r] = await query(`SELECT count(*)::INT AS n, count(DISTINCT id)::INT AS ids FROM read_parquet([${files.map((f) => `'${f.path}'`).join(',')}])`);
    expect(r).toEqual({ n: 3000, ids: 3000 });
  });

  it('writes no file when no row was written', async () => {
    // Prepare
    let started = 0;
    const writer = new ParquetWriter(FINDINGS_TABLE, async () => { started++; });
    // Act
    const summary = await writer.close();
    // Assess
    expect(summary).toEqual({ rows: 0, bytes: 0, files: [] });
    expect(started).toBe(0);
  });

  it('fails write() instead of hanging when the consumer fails', async () => {
    // Prepare
    const writer = new ParquetWriter(FINDINGS_TABLE, async () => { throw new Error('S3 down'); }, { batchRows: 10 });
    const rows = [...makeFindings(50)].map((f) => flattenFinding(f, ctx));
    // Act
    const act = async (): Promise<void> => { for (const r of rows) await writer.write(r); await writer.close(); };
    // Assess
    await expect(act()).rejects.toThrow('S3 down');
  });
});

describe('statistics and investigation tables read back by DuckDB', () => {
  const rctx = { sourceAccountId: '111122223333', region: 'us-east-1', detectorId: 'det', runId: 'run-e2e', capturedAt: new Date('2025-06-02T00:00:00Z') };

  it.each([
    ['finding_statistics', FINDING_STATISTICS_TABLE, () => statisticsRows(makeGroupedStatistics(), rctx), 5],
    ['investigations', INVESTIGATIONS_TABLE, () => [investigationRow(makeInvestigation(), rctx)], 1],
    ['investigation_records', INVESTIGATION_RECORDS_TABLE, () => investigationRecordRows(makeInvestigationRecords(), rctx), 2],
  ] as const)('%s: rows and column types', async (name, table, rows, count) => {
    // Prepare
    const file = path.join(dir, `${name}.parquet`);
    // Act
    writeFileSync(file, await encodeParquet(table, rows()));
    // Assess
    const [r] = await query(`SELECT count(*)::INT AS n FROM read_parquet('${file}')`);
    expect(r?.['n']).toBe(count);
    const described = await query(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
    expect(described.map((d) => d['column_name'])).toEqual(table.columns.map((c) => c.name));
    for (const [i, c] of table.columns.entries()) {
      const expected = duckType(c.type);
      if (!expected.includes('STRUCT')) expect(described[i]?.['column_type']).toBe(expected);
    }
  });

  it('unnests MITRE techniques and finding ids of investigations', async () => {
    // Prepare
    const file = path.join(dir, 'inv-unnest.parquet');
    writeFileSync(file, await encodeParquet(INVESTIGATIONS_TABLE, [investigationRow(makeInvestigation(), rctx)]));
    // Act
    const techniques = await query(`SELECT t.technique_uid AS uid FROM read_parquet('${file}'), UNNEST(mitre_techniques) AS u(t)`);
    const ids = await query(`SELECT f AS id FROM read_parquet('${file}'), UNNEST(finding_ids) AS u(f) ORDER BY 1`);
    // Assess
    expect(techniques).toEqual([{ uid: 'T1110' }]);
    expect(ids).toEqual([{ id: 'f-1' }, { id: 'f-2' }]);
  });
});
