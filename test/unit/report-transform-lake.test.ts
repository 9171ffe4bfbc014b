/**
 * The report over a lake written by the real transform stage (flattenFinding + encodeParquet: the
 * generated column list, ZSTD), checked against DuckDB over the same files.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { encodeParquet, flattenFinding, FINDINGS_TABLE } from '../../src/transform/index.js';
import { runReportFor, type ReportRunResult } from '../../src/report/index.js';
import { openDuck, rng } from '../helpers/report-lake.js';

const WEEK_START = Date.parse('2026-11-16T00:00:00Z');
const DAY = 86_400_000;
let dir: string;
let duck: DuckDBConnection;
let result: ReportRunResult;

/** A finding in the SDK's PascalCase shape. */
function sdkFinding(id: string, r: () => number, created: number, updated: number, severity: number): Record<string, unknown> {
  const account = ['111111111111', '222222222222', '333333333333'][Math.floor(r() * 3)]!;
  const type = ['Recon:EC2/PortProbeUnprotectedPort', 'UnauthorizedAccess:IAMUser/MaliciousIPCaller', 'Discovery:S3/AnomalousBehavior'][Math.floor(r() * 3)]!;
  const instance = `i-${Math.floor(r() * 20).toString(16).padStart(17, '0')}`;
  return {
    AccountId: account, Arn: `arn:aws:guardduty:us-east-1:${account}:detector/d/finding/${id}`, Id: id, Region: 'us-east-1',
    Partition: 'aws', SchemaVersion: '2.0', Type: type, Title: `${type} on ${instance}`, Description: 'A finding.',
    Severity: severity, CreatedAt: new Date(created).toISOString(), UpdatedAt: new Date(updated).toISOString(),
    Resource: { ResourceType: 'Instance', InstanceDetails: { InstanceId: instance } },
    Service: { ServiceName: 'guardduty', DetectorId: 'd', Archived: r() < 0.2, Count: 1 + Math.floor(r() * 9),
      EventFirstSeen: new Date(created).toISOString(), EventLastSeen: new Date(updated).toISOString() },
  };
}

beforeAll(async () => {
  // Prepare: 80 findings, 1–2 versions each, written per dt partition as the export does
  dir = await mkdtemp(join(tmpdir(), 'gdl-report-tl-'));
  const r = rng(23);
  const byDt = new Map<string, Array<Record<string, unknown>>>();
  for (let i = 0; i < 80; i++) {
    const id = `tl${i.toString(16).padStart(30, '0')}`;
    const created = WEEK_START + 7 * DAY - Math.floor(r() * 12 * DAY);
    const versions = [created, created + Math.floor(r() * 3 * DAY)];
    for (const [v, updated] of versions.entries()) {
      if (v === 1 && r() < 0.5) continue;
      const row = flattenFinding(sdkFinding(id, r, created, updated, Math.round((1 + r() * 9) * 10) / 10), {
        sourceAccountId: '111111111111', detectorId: 'd', runId: `run-${v}`, exportedAt: new Date(updated + 60_000),
      });
      const dt = new Date(updated).toISOString().slice(0, 10);
      byDt.set(dt, [...(byDt.get(dt) ?? []), row]);
    }
  }
  for (const [dt, rows] of byDt) {
    await mkdir(join(dir, 'findings', `dt=${dt}`), { recursive: true });
    await writeFile(join(dir, 'findings', `dt=${dt}`, 'part-0.parquet'), await encodeParquet(FINDINGS_TABLE, rows));
  }
  duck = await openDuck();
  await duck.run(`CREATE VIEW latest AS
    SELECT *, CASE WHEN severity >= 9 THEN 'Critical' WHEN severity >= 7 THEN 'High' WHEN severity >= 4 THEN 'Medium' ELSE 'Low' END AS band
    FROM read_parquet('${dir}/findings/*/*.parquet')
    WHERE updated_at < TIMESTAMP '2026-11-23 00:00:00'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, exported_at DESC) = 1`);
  // Act
  result = await runReportFor({ lake: dir, week: '2026-W47', now: Date.parse('2026-11-23T06:00:00Z') });
});

afterAll(async () => {
  duck?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

describe('report over a transform-written lake', () => {
  it('reads the generated columns and matches DuckDB: tiles and top types', async () => {
    // Prepare
    const tiles = (await duck.runAndReadAll(`SELECT band,
        count(*) FILTER (WHERE created_at >= TIMESTAMP '2026-11-16 00:00:00') AS n,
        count(*) FILTER (WHERE NOT service_archived) AS open FROM latest GROUP BY band`)).getRowObjectsJS();
    const types = (await duck.runAndReadAll(`SELECT type, count(*) AS c FROM latest
        WHERE updated_at >= TIMESTAMP '2026-11-16 00:00:00' GROUP BY type ORDER BY c DESC, type`)).getRowObjectsJS();
    // Assess
    expect(result.report.totals.distinctFindings).toBe(80);
    for (const t of tiles) {
      const tile = result.report.tiles.find((x) => x.label === t.band)!;
      expect([tile.newThisWeek, tile.openAtEnd]).toEqual([Number(t.n), Number(t.open)]);
    }
    expect(result.report.topTypes.map((t) => [t.type, t.total])).toEqual(types.map((t) => [t.type, Number(t.c)]));
  });

  it('lists new High/Critical findings with title, resource id and first/last seen from the lake', () => {
    const row = result.report.newHighCritical.rows[0];
    if (result.report.newHighCritical.total === 0) throw new Error('fixture has no new High/Critical finding');
    expect(row!.title).toMatch(/ on i-[0-9a-f]{17}$/);
    expect(row!.resourceId).toMatch(/^i-[0-9a-f]{17}$/);
    expect(row!.firstSeen).toMatch(/^2026-\d\d-\d\dT/);
    expect(row!.count).toBeGreaterThan(0);
  });
});
