/**
 * The report's numbers equal the same aggregates computed independently with DuckDB SQL over the
 * same lake (several versions per finding, versions after the week, archived findings).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runReportFor, type ReportRunResult } from '../../src/report/index.js';
import { manifest, openDuck, seededFindings, writeReportLake } from '../helpers/report-lake.js';

const WEEK_START = '2026-11-16 00:00:00';
const WEEK_END = '2026-11-23 00:00:00';
const PREV_START = '2026-11-09 00:00:00';
const TREND_START = '2026-09-28 00:00:00';

let dir: string;
let result: ReportRunResult;
let duck: DuckDBConnection;

const rows = async (sql: string): Promise<Array<Record<string, unknown>>> =>
  (await duck.runAndReadAll(sql)).getRowObjectsJS() as Array<Record<string, unknown>>;

/** `data-metric="name">value<` pairs of our own template (numbers only). */
function metrics(html: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const m of html.matchAll(/data-metric="([^"]+)">([^<]*)</g)) {
    const list = out.get(m[1]!) ?? [];
    list.push(m[2]!);
    out.set(m[1]!, list);
  }
  return out;
}
const n = (s: string | undefined): number => Number((s ?? 'NaN').replace(/,/g, ''));

beforeAll(async () => {
  // Prepare: 600 findings over 10 weeks, 1–3 versions each, some versions after the week.
  dir = await mkdtemp(join(tmpdir(), 'gdl-report-'));
  const end = Date.parse(`${WEEK_END.replace(' ', 'T')}Z`);
  await writeReportLake(dir, seededFindings(11, 600, end + 4 * 86_400_000), {
    manifests: [manifest('run-1', '2026-11-20T02:00:00.000Z', { '222222222222/eu-west-1': { status: 'failed', error: 'ThrottlingException' } })],
  });
  duck = await openDuck();
  await duck.run(`CREATE VIEW latest AS
    SELECT *, CASE WHEN severity >= 9 THEN 'Critical' WHEN severity >= 7 THEN 'High' WHEN severity >= 4 THEN 'Medium' ELSE 'Low' END AS band
    FROM read_parquet('${dir}/findings/*/*.parquet')
    WHERE updated_at < TIMESTAMP '${WEEK_END}'
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, exported_at DESC) = 1`);
  // Act
  result = await runReportFor({ lake: dir, week: '2026-W47', top: 5, now: Date.parse('2026-11-23T06:00:00Z') });
});

afterAll(async () => {
  duck?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

describe('report numbers vs DuckDB over the same lake', () => {
  it('severity tiles: new this week, new last week, open at week end', async () => {
    // Prepare
    const expected = await rows(`SELECT band,
        count(*) FILTER (WHERE created_at >= TIMESTAMP '${WEEK_START}') AS new_now,
        count(*) FILTER (WHERE created_at >= TIMESTAMP '${PREV_START}' AND created_at < TIMESTAMP '${WEEK_START}') AS new_prev,
        count(*) FILTER (WHERE NOT service_archived) AS open
      FROM latest GROUP BY band`);
    const html = metrics(result.rendered.html);
    // Assess
    expect(expected).toHaveLength(4);
    for (const e of expected) {
      const band = String(e.band);
      const tile = result.report.tiles.find((t) => t.label === band)!;
      expect({ band, now: tile.newThisWeek, prev: tile.newPreviousWeek, open: tile.openAtEnd })
        .toEqual({ band, now: Number(e.new_now), prev: Number(e.new_prev), open: Number(e.open) });
      expect(n(html.get(`new-${band}`)?.[0])).toBe(Number(e.new_now));
      expect(n(html.get(`open-${band}`)?.[0])).toBe(Number(e.open));
      const change = Number(e.new_now) - Number(e.new_prev);
      expect(html.get(`change-${band}`)?.[0]).toBe(change > 0 ? `▲ +${change}` : change < 0 ? `▼ −${-change}` : '= 0');
      expect(result.rendered.text).toContain(`${band}: ${Number(e.new_now)} new`);
    }
  });

  it('subject counts new Critical and High with the week-over-week change', async () => {
    const [e] = await rows(`SELECT
        count(*) FILTER (WHERE band = 'Critical' AND created_at >= TIMESTAMP '${WEEK_START}') AS c,
        count(*) FILTER (WHERE band = 'High' AND created_at >= TIMESTAMP '${WEEK_START}') AS h,
        count(*) FILTER (WHERE band IN ('Critical','High') AND created_at >= TIMESTAMP '${WEEK_START}')
          - count(*) FILTER (WHERE band IN ('Critical','High') AND created_at >= TIMESTAMP '${PREV_START}' AND created_at < TIMESTAMP '${WEEK_START}') AS d
      FROM latest`);
    const d = Number(e!.d);
    expect(result.rendered.subject).toBe(`GuardDuty weekly 2026-W47: ${Number(e!.c)} Critical, ${Number(e!.h)} High (${d > 0 ? `+${d}` : d < 0 ? `-${-d}` : '±0'})`);
  });

  it('8-week trend by severity', async () => {
    // Prepare
    const expected = await rows(`SELECT strftime(date_trunc('week', created_at), '%G-W%V') AS week, band, count(*) AS c
      FROM latest WHERE created_at >= TIMESTAMP '${TREND_START}' GROUP BY ALL`);
    // Assess
    expect(result.report.trend.map((w) => w.week)).toEqual(['2026-W40', '2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45', '2026-W46', '2026-W47']);
    const got = result.report.trend.flatMap((w) => Object.entries(w.counts).filter(([, c]) => c > 0).map(([band, c]) => `${w.week} ${band} ${c}`)).sort();
    expect(got).toEqual(expected.map((e) => `${String(e.week)} ${String(e.band)} ${Number(e.c)}`).sort());
  });

  it('top types, accounts and resources of findings updated this week', async () => {
    // Prepare
    const types = await rows(`SELECT type, count(*) AS c FROM latest WHERE updated_at >= TIMESTAMP '${WEEK_START}' GROUP BY type ORDER BY c DESC, type LIMIT 5`);
    const accounts = await rows(`SELECT account_id, count(*) AS c FROM latest WHERE updated_at >= TIMESTAMP '${WEEK_START}' GROUP BY 1 ORDER BY c DESC, 1 LIMIT 5`);
    const resources = await rows(`SELECT resource_id, count(*) AS c FROM latest WHERE updated_at >= TIMESTAMP '${WEEK_START}' AND resource_id IS NOT NULL GROUP BY 1 ORDER BY c DESC, 1 LIMIT 5`);
    const html = metrics(result.rendered.html);
    // Assess
    expect(result.report.topTypes.map((t) => [t.type, t.total])).toEqual(types.map((t) => [t.type, Number(t.c)]));
    expect(html.get('type')).toEqual(types.map((t) => String(t.type)));
    expect(html.get('type-count')!.map(n)).toEqual(types.map((t) => Number(t.c)));
    expect(result.report.topAccounts.map((a) => [a.accountId, a.total])).toEqual(accounts.map((a) => [a.account_id, Number(a.c)]));
    expect(result.report.topResources.map((r) => [r.resourceId, r.total])).toEqual(resources.map((r) => [r.resource_id, Number(r.c)]));
  });

  it('new High/Critical list is capped at --top with the right total, ordered by severity', async () => {
    // Prepare
    const list = await rows(`SELECT id FROM latest WHERE created_at >= TIMESTAMP '${WEEK_START}' AND severity >= 7 ORDER BY severity DESC, updated_at DESC, id`);
    const html = metrics(result.rendered.html);
    // Assess
    expect(result.report.newHighCritical.total).toBe(list.length);
    expect(result.report.newHighCritical.rows.map((r) => r.id)).toEqual(list.slice(0, 5).map((r) => r.id));
    expect(n(html.get('new-high-critical')?.[0])).toBe(list.length);
    if (list.length > 5) expect(result.rendered.html).toContain(`${list.length - 5} more`);
  });

  it('ageing: open findings past the default SLA', async () => {
    const [e] = await rows(`SELECT count(*) AS c FROM latest WHERE NOT service_archived AND (
        (band = 'Critical' AND created_at < TIMESTAMP '${WEEK_END}' - INTERVAL 1 DAY) OR
        (band = 'High' AND created_at < TIMESTAMP '${WEEK_END}' - INTERVAL 7 DAY) OR
        (band = 'Medium' AND created_at < TIMESTAMP '${WEEK_END}' - INTERVAL 30 DAY))`);
    expect(result.report.ageing.total).toBe(Number(e!.c));
    expect(n(metrics(result.rendered.html).get('overdue')?.[0])).toBe(Number(e!.c));
  });

  it('queries.sql runs against the same data (DuckDB standing in for Athena) and gives the same tiles', async () => {
    // Prepare: the DDL's table name over the lake
    await duck.run(`CREATE OR REPLACE VIEW findings AS SELECT * FROM read_parquet('${dir}/findings/*/*.parquet', hive_partitioning = true)`);
    const tiles = result.report.queries.find((q) => q.name === 'severity_tiles')!;
    // Act
    const got = await rows(tiles.sql.replace(/;\s*$/, ''));
    // Assess
    for (const g of got) {
      const tile = result.report.tiles.find((t) => t.label === g.severity_band)!;
      expect([Number(g.new_this_week), Number(g.new_previous_week), Number(g.open_at_week_end)]).toEqual([tile.newThisWeek, tile.newPreviousWeek, tile.openAtEnd]);
    }
    for (const q of result.report.queries.filter((x) => x.name !== 'investigations')) {
      await expect(duck.runAndReadAll(q.sql.replace(/;\s*$/, '')), q.name).resolves.toBeDefined();
    }
  });

  it('coverage from the run manifest: slices, failed slice, account names', () => {
    const c = result.report.coverage;
    expect([c.slices, c.okSlices, c.failedTotal]).toEqual([8, 7, 1]);
    expect(c.failed[0]).toMatchObject({ accountId: '222222222222', accountName: 'Staging', region: 'eu-west-1' });
    expect(c.lastSuccessfulExport).toBe('');
    expect(result.report.topAccounts.every((a) => a.accountName !== '')).toBe(true);
  });
});
