/** DuckDB runs the exact `findings_latest` statement Athena gets, over Parquet files in a local lake. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findingsLatestViewSql } from '../../src/lake/ddl.js';
import { SMALL_FINDINGS } from '../helpers/table-spec.js';
import { attachLake, lit, openDuck, type Duck } from '../helpers/lake-duckdb.js';

let dir: string;
let duck: Duck;

/** One findings row as SQL; the columns of SMALL_FINDINGS. */
function row(id: string, updated: string, exported: string, run: string, source = '111122223333', json = `{"id":"${id}"}`): string {
  return `SELECT ${lit(id)} AS id, '999988887777' AS account_id, TIMESTAMP ${lit(updated)} AS updated_at, 5.0::DOUBLE AS severity,
    1::BIGINT AS service_count, false AS service_archived, [{'key': 'env', 'value': 'prod'}] AS resource_instance_details_tags,
    ${lit(source)} AS source_account_id, 'det' AS detector_id, TIMESTAMP ${lit(exported)} AS exported_at, ${lit(run)} AS run_id, ${lit(json)} AS finding_json`;
}

async function writeParquet(dt: string, file: string, rows: string[]): Promise<void> {
  const folder = path.join(dir, 'findings', `dt=${dt}`);
  await mkdir(folder, { recursive: true });
  await duck.run(`COPY (${rows.join(' UNION ALL ')}) TO ${lit(path.join(folder, file))} (FORMAT parquet)`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'gdl-view-'));
  duck = await openDuck();
});
afterAll(async () => {
  duck.close();
  await rm(dir, { recursive: true, force: true });
});

describe('findings_latest view in DuckDB', () => {
  it('keeps exactly one row per id: the latest update, then the latest export, then fixed tie-breaks', async () => {
    // Prepare: a is updated later in another partition; b was exported twice; c came from two detectors at once
    await writeParquet('2026-11-20', 'run1.parquet', [
      row('a', '2026-11-20 10:00:00', '2026-11-20 12:00:00', 'run1'),
      row('b', '2026-11-20 11:00:00', '2026-11-20 12:00:00', 'run1'),
      row('c', '2026-11-20 11:00:00', '2026-11-20 12:00:00', 'run1', '222233334444'),
    ]);
    await writeParquet('2026-11-20', 'run2.parquet', [
      row('b', '2026-11-20 11:00:00', '2026-11-21 12:00:00', 'run2'),
      row('c', '2026-11-20 11:00:00', '2026-11-20 12:00:00', 'run1', '111122223333'),
    ]);
    await writeParquet('2026-11-21', 'run2.parquet', [row('a', '2026-11-21 09:00:00', '2026-11-21 12:00:00', 'run2')]);
    await attachLake(duck, dir, 'gd', ['findings']);
    // Act: the statement exactly as `ddl` prints it for Athena
    await duck.run(findingsLatestViewSql(SMALL_FINDINGS, 'gd'));
    const rows = await duck.all('SELECT id, dt, run_id, source_account_id, CAST(updated_at AS VARCHAR) AS updated FROM gd.findings_latest ORDER BY id');
    const columns = await duck.all('DESCRIBE gd.findings_latest');
    // Assess
    expect(rows).toEqual([
      { id: 'a', dt: '2026-11-21', run_id: 'run2', source_account_id: '111122223333', updated: '2026-11-21 09:00:00' },
      { id: 'b', dt: '2026-11-20', run_id: 'run2', source_account_id: '111122223333', updated: '2026-11-20 11:00:00' },
      { id: 'c', dt: '2026-11-20', run_id: 'run1', source_account_id: '111122223333', updated: '2026-11-20 11:00:00' },
    ]);
    expect(columns.map((c) => c.column_name)).toEqual([...SMALL_FINDINGS.columns.map((c) => c.name), 'dt']);
  });
});
