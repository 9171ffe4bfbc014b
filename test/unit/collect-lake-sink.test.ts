import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Finding } from '@aws-sdk/client-guardduty';
import { DuckDBInstance } from '@duckdb/node-api';
import { LakeSink, OPEN_PARTITIONS } from '../../src/collect/lake-sink.js';
import { openLake, readQuarantine, sliceQuarantineKey } from '../../src/lake/index.js';
import type { SliceScope } from '../../src/collect/sink.js';

/** An SDK-shaped (PascalCase, Dates nested) finding. */
function finding(i: number, updatedAt: string, overrides: Partial<Finding> = {}): Finding {
  return {
    Id: `f${String(i).padStart(4, '0')}`, AccountId: '111122223333', Arn: `arn:aws:guardduty:us-east-1:111122223333:detector/d/finding/f${i}`,
    Type: 'Recon:EC2/PortProbeUnprotectedPort', Region: 'us-east-1', SchemaVersion: '2.0', Severity: 5, Partition: 'aws',
    CreatedAt: updatedAt, UpdatedAt: updatedAt, Title: `finding ${i}`, Description: 'd',
    Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: `i-${i}`, LaunchTime: '2026-11-01T00:00:00.000Z' } },
    Service: { ServiceName: 'guardduty', DetectorId: 'd', Count: 2, Archived: false, EventFirstSeen: updatedAt, EventLastSeen: updatedAt },
    ...overrides,
  } as Finding;
}

async function* batches(findings: Finding[], size: number): AsyncGenerator<Finding[]> {
  for (let i = 0; i < findings.length; i += size) yield findings.slice(i, i + size);
}

async function query(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowsJS() as unknown[][];
  } finally {
    conn.closeSync();
    db.closeSync();
  }
}

describe('LakeSink', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(path.join(tmpdir(), 'gdl-sink-')); });
  afterEach(async () => rm(dir, { recursive: true, force: true }));
  /** Findings objects under the lake, window stamps dropped: `dt=…/<account>_<region>_pNNNN.parquet`. */
  const listParts = async (): Promise<string[]> => (await readdir(path.join(dir, 'findings'), { recursive: true }))
    .filter((f) => f.endsWith('.parquet')).map((f) => f.replace(/_2026.*_p/, '_p')).sort();

  const scope: SliceScope = {
    accountId: '111122223333', region: 'us-east-1', detectorId: 'd', sourceAccountId: '999988887777',
    windowStart: '2026-11-15T00:00:00.000Z', windowEnd: '2026-11-22T00:00:00.000Z', runId: 'run-1',
  };

  it('writes findings per UTC day of updated_at under deterministic keys, quarantines malformed ones', async () => {
    // Prepare
    const sink = new LakeSink(openLake(dir));
    const good = [
      ...Array.from({ length: 30 }, (_, i) => finding(i, '2026-11-20T10:00:00.000Z')),
      ...Array.from({ length: 20 }, (_, i) => finding(100 + i, '2026-11-21T23:59:59.000Z')),
    ];
    const bad = { ...finding(999, '2026-11-21T00:00:00.000Z'), UpdatedAt: 'not a time' } as Finding;
    const seen: string[] = [];
    // Act
    const written = await sink.writeFindings(scope, batches([...good.slice(0, 40), bad, ...good.slice(40)], 7), (f) => seen.push(f.Id ?? ''));
    const again = await sink.writeFindings(scope, batches([...good.slice(0, 40), bad, ...good.slice(40)], 50));
    // Assess
    expect(written).toMatchObject({ findings: 50, quarantined: 1, objects: 2 });
    expect(again).toMatchObject({ findings: 50, quarantined: 1, objects: 2 });
    expect(seen).toHaveLength(51);
    const files = (await readdir(path.join(dir, 'findings'), { recursive: true })).filter((f) => f.endsWith('.parquet')).sort();
    expect(files).toEqual([
      'dt=2026-11-20/111122223333_us-east-1_20261115T000000000Z_20261122T000000000Z_p0000.parquet',
      'dt=2026-11-21/111122223333_us-east-1_20261115T000000000Z_20261122T000000000Z_p0000.parquet',
    ]);
    const rows = await query(`SELECT count(*), count(DISTINCT id), any_value(source_account_id), any_value(run_id), typeof(any_value(updated_at)) FROM read_parquet('${dir}/findings/**/*.parquet')`);
    expect(rows[0]).toEqual([50n, 50n, '999988887777', 'run-1', 'TIMESTAMP']);
    const q = await readQuarantine(openLake(dir), sliceQuarantineKey('2026-11-22', scope));
    expect(q).toHaveLength(1);
    expect(q[0]?.source).toBe('export:111122223333/us-east-1');
    expect(q[0]?.reason).toMatch(/updated/i);
  });

  it('keeps interleaved days in one object each while at most OPEN_PARTITIONS are open', async () => {
    // Prepare
    const sink = new LakeSink(openLake(dir));
    const on = (i: number, day: number) => finding(i, `2026-11-${String(10 + day).padStart(2, '0')}T10:00:00.000Z`);
    // Act
    const written = await sink.writeFindings(scope, batches([on(1, 0), on(2, 1), on(3, 0), on(4, 1)], 1));
    // Assess
    expect(written).toMatchObject({ findings: 4, objects: 2 });
    expect(await listParts()).toEqual(['dt=2026-11-10/111122223333_us-east-1_p0000.parquet', 'dt=2026-11-11/111122223333_us-east-1_p0000.parquet']);
  });

  it('opens the next part for a day whose writer was closed, and removes parts a rerun of the window no longer writes', async () => {
    // Prepare: OPEN_PARTITIONS + 1 days, then the first day again (its writer was the least recently used)
    const sink = new LakeSink(openLake(dir));
    const on = (i: number, day: number) => finding(i, `2026-11-${String(10 + day).padStart(2, '0')}T10:00:00.000Z`);
    const days = Array.from({ length: OPEN_PARTITIONS + 1 }, (_, d) => on(d, d));
    // Act
    await sink.writeFindings(scope, batches([...days, on(100, 0)], 1));
    const first = (await listParts()).filter((f) => f.startsWith('dt=2026-11-10/'));
    await sink.writeFindings(scope, batches([on(100, 0), ...days], 1));
    const second = (await listParts()).filter((f) => f.startsWith('dt=2026-11-10/'));
    // Assess
    expect(first).toEqual(['dt=2026-11-10/111122223333_us-east-1_p0000.parquet', 'dt=2026-11-10/111122223333_us-east-1_p0001.parquet']);
    expect(second).toEqual(['dt=2026-11-10/111122223333_us-east-1_p0000.parquet']);
  });

  it('writes statistics rows with typed columns', async () => {
    // Prepare
    const sink = new LakeSink(openLake(dir), { now: () => new Date('2026-11-22T01:00:00Z') });
    // Act
    const out = await sink.writeStatistics(scope, [
      { groupBy: 'SEVERITY', statistics: { GroupedBySeverity: [{ Severity: 8, TotalFindings: 3, LastGeneratedAt: new Date('2026-11-21T00:00:00Z') }, { Severity: 2, TotalFindings: 9 }] } },
      { groupBy: 'DATE', statistics: { GroupedByDate: [{ Date: new Date('2026-11-20T00:00:00Z'), Severity: 8, TotalFindings: 12 }] } },
      { groupBy: 'ACCOUNT', statistics: { GroupedByAccount: [] } },
    ], { start: '2026-11-15T00:00:00.000Z', end: '2026-11-22T00:00:00.000Z' });
    // Assess
    expect(out.rows).toBe(3);
    const rows = await query(`SELECT group_by, group_key, count, typeof(count), typeof(severity), typeof(date) FROM read_parquet('${dir}/finding_statistics/**/*.parquet') ORDER BY group_by, group_key`);
    expect(rows).toEqual([
      ['DATE', '2026-11-20', 12n, 'BIGINT', 'DOUBLE', 'TIMESTAMP'],
      ['SEVERITY', '2.0', 9n, 'BIGINT', 'DOUBLE', 'TIMESTAMP'],
      ['SEVERITY', '8.0', 3n, 'BIGINT', 'DOUBLE', 'TIMESTAMP'],
    ]);
  });

  it('keeps the in-flight window and finished investigations as state', async () => {
    // Prepare
    const sink = new LakeSink(openLake(dir));
    // Act
    await sink.writeInflight({ accountId: '111122223333', region: 'us-east-1', windowStart: 'a', windowEnd: 'b', runId: 'r' });
    const inflight = await sink.readInflight('111122223333', 'us-east-1');
    await sink.clearInflight('111122223333', 'us-east-1');
    await sink.writeFinishedInvestigations('111122223333', 'us-east-1', new Set(['i2', 'i1']));
    // Assess
    expect(inflight).toMatchObject({ windowStart: 'a', windowEnd: 'b' });
    expect(await sink.readInflight('111122223333', 'us-east-1')).toBeUndefined();
    expect([...(await sink.readFinishedInvestigations('111122223333', 'us-east-1'))]).toEqual(['i1', 'i2']);
  });
});
