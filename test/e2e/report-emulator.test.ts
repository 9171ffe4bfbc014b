/**
 * emulator → export → report, through the CLI and the real SDK clients over HTTP: the numbers in the
 * HTML equal DuckDB SQL over the lake the export wrote; SES receives one message with both parts and
 * the right subject; a rerun for the week does not resend; --resend does.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { runCli } from '../helpers/cli.js';
import { weekContaining } from '../../src/report/week.js';
import { withEmulator } from '../helpers/emulator.js';
import { openDuck } from '../helpers/report-lake.js';

const NOW = new Date();
const emulator = withEmulator({ seed: 7, orgAccounts: 3, findingsPerAccount: 25, now: NOW });
const WEEK = weekContaining(NOW.getTime());
const END = NOW.toISOString().slice(0, 10);
const sqlTs = (ms: number): string => `TIMESTAMP '${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}'`;

let dir: string;
let duck: DuckDBConnection;

const cli = (args: string[]) => runCli(args);

/** Handlebars' escapes (it writes `=` as `&#x3D;`, so a `= 0` change arrives as `&#x3D; 0`). */
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#x27;': "'", '&#x60;': '`', '&#x3D;': '=' };
const unescape = (s: string): string => s.replace(/&(?:amp|lt|gt|quot|#x27|#x60|#x3D);/g, (e) => ENTITIES[e]!);
const metric = (html: string, name: string): string | undefined => {
  const raw = new RegExp(`data-metric="${name}">([^<]*)<`).exec(html)?.[1];
  return raw === undefined ? undefined : unescape(raw);
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gdl-e2e-report-'));
  // Prepare: the export command fills the lake from the emulated Organization (8 weeks of findings)
  const exported = await cli(['export', '--lake', dir, '--lookback', '70d', '--regions', 'us-east-1', '--log-level', 'error']);
  expect([0, 1]).toContain(exported.code);
  duck = await openDuck();
  await duck.run(`CREATE VIEW latest AS
    SELECT *, CASE WHEN severity >= 9 THEN 'Critical' WHEN severity >= 7 THEN 'High' WHEN severity >= 4 THEN 'Medium' ELSE 'Low' END AS band
    FROM read_parquet('${dir}/findings/*/*.parquet')
    WHERE updated_at < ${sqlTs(WEEK.end)}
    QUALIFY row_number() OVER (PARTITION BY id ORDER BY updated_at DESC, exported_at DESC) = 1`);
}, 240_000);

afterAll(async () => {
  duck?.closeSync();
  await rm(dir, { recursive: true, force: true });
});

describe('emulator → export → report', () => {
  it('renders the week from the lake; numbers equal DuckDB SQL over the same lake; SES gets one message', async () => {
    // Act
    const report = await cli(['report', '--lake', dir, '--end', END, '--email-to', 'ciso@example.com,soc@example.com', '--email-from', 'guardduty@example.com', '--log-level', 'error']);
    // Assess: exit 0, prints the path of report.html
    expect(report.code).toBe(0);
    const htmlPath = join(dir, 'reports', WEEK.label, 'report.html');
    const printed = report.out.split('\n').filter((l) => l.length > 0 && !l.startsWith('{'));
    expect(printed).toEqual([htmlPath]);
    const html = await readFile(htmlPath, 'utf8');
    const rows = (await duck.runAndReadAll(`SELECT band,
        count(*) FILTER (WHERE created_at >= ${sqlTs(WEEK.start)}) AS new_now,
        count(*) FILTER (WHERE created_at >= ${sqlTs(WEEK.start - 7 * 86_400_000)} AND created_at < ${sqlTs(WEEK.start)}) AS new_prev,
        count(*) FILTER (WHERE NOT coalesce(service_archived, false)) AS open
      FROM latest GROUP BY band`)).getRowObjectsJS();
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows) {
      const band = String(r.band);
      expect([metric(html, `new-${band}`), metric(html, `open-${band}`)]).toEqual([Number(r.new_now).toLocaleString('en-US'), Number(r.open).toLocaleString('en-US')]);
      const d = Number(r.new_now) - Number(r.new_prev);
      expect(metric(html, `change-${band}`)).toBe(d > 0 ? `▲ +${d}` : d < 0 ? `▼ −${-d}` : '= 0');
    }
    const types = (await duck.runAndReadAll(`SELECT type, count(*) AS c FROM latest WHERE updated_at >= ${sqlTs(WEEK.start)}
        GROUP BY type ORDER BY c DESC, type LIMIT 10`)).getRowObjectsJS();
    const shownTypes = [...html.matchAll(/data-metric="type">([^<]*)</g)].map((m) => m[1]);
    const shownCounts = [...html.matchAll(/data-metric="type-count">([^<]*)</g)].map((m) => Number(m[1]!.replace(/,/g, '')));
    expect(shownTypes).toEqual(types.map((t) => String(t.type).replace(/&/g, '&amp;')));
    expect(shownCounts).toEqual(types.map((t) => Number(t.c)));

    // SES: one message, both parts, subject with the same numbers
    const sent = emulator().sentEmails;
    expect(sent).toHaveLength(1);
    const crit = rows.find((r) => r.band === 'Critical');
    const high = rows.find((r) => r.band === 'High');
    const now = Number(crit?.new_now ?? 0) + Number(high?.new_now ?? 0);
    const prev = Number(crit?.new_prev ?? 0) + Number(high?.new_prev ?? 0);
    const d = now - prev;
    expect(sent[0]!.subject).toBe(`GuardDuty weekly ${WEEK.label}: ${Number(crit?.new_now ?? 0)} Critical, ${Number(high?.new_now ?? 0)} High (${d > 0 ? `+${d}` : d < 0 ? `-${-d}` : '±0'})`);
    expect(sent[0]!.to).toEqual(['ciso@example.com', 'soc@example.com']);
    expect(sent[0]!.from).toBe('guardduty@example.com');
    expect(sent[0]!.html).toBe(html);
    expect(sent[0]!.text).toBe(await readFile(join(dir, 'reports', WEEK.label, 'report.txt'), 'utf8'));
    // Account names come from the run manifest (Organizations), coverage from the manifest
    const names = emulator().world.accounts.map((a) => a.name);
    expect(names.some((n) => html.includes(n))).toBe(true);
  });

  it('a rerun for the same week does not resend; --resend does', async () => {
    // Act
    const again = await cli(['report', '--lake', dir, '--end', END, '--email-to', 'ciso@example.com', '--email-from', 'guardduty@example.com', '--log-level', 'error']);
    const afterRerun = emulator().sentEmails.length;
    const resend = await cli(['report', '--lake', dir, '--end', END, '--email-to', 'ciso@example.com', '--email-from', 'guardduty@example.com', '--resend', '--log-level', 'error']);
    // Assess
    expect([again.code, resend.code]).toEqual([0, 0]);
    expect(afterRerun).toBe(1);
    expect(emulator().sentEmails).toHaveLength(2);
  });

  it('last week\'s report, generated after this week\'s export: freshness, coverage and names from that export', async () => {
    // Prepare: the export in beforeAll ran this week, i.e. after last week ended
    const lastWeek = weekContaining(WEEK.start - 1);
    const out = await mkdtemp(join(tmpdir(), 'gdl-e2e-lastweek-'));
    try {
      // Act
      const report = await cli(['report', '--lake', dir, '--week', lastWeek.label, '--out', out, '--log-level', 'error']);
      // Assess
      expect(report.code).toBe(0);
      const html = await readFile(join(out, 'report.html'), 'utf8');
      expect(html).not.toContain('no run manifest for this week');
      expect(Number(metric(html, 'slices'))).toBeGreaterThan(0);
      const names = emulator().world.accounts.map((a) => a.name);
      expect(names.some((n) => html.includes(n))).toBe(true);
      expect(html).not.toMatch(/(\d{12}) \(\1\)/);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });

  it('the emulator\'s hostile finding text reaches the page only as inert, escaped text', async () => {
    const html = await readFile(join(dir, 'reports', WEEK.label, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script|<img|\son\w+=|href=|src=|javascript:/i);
  });
});
