/**
 * Freshness, coverage and account names are read as of the report's generation time, not the end of
 * the reported week: exports that ran after the week ended (the Monday-morning run, the demo that
 * exports today and reports last week) count; runs started after generation never do.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStore } from '../../src/lake/local-store.js';
import type { RunManifest } from '../../src/lake/types.js';
import { coverage, readManifests } from '../../src/report/coverage.js';
import { buildWeeklyReport, runReportFor, type ReportRunResult } from '../../src/report/index.js';
import { parseIsoWeek } from '../../src/report/week.js';
import { ACCOUNTS, manifest, seededFindings, writeReportLake } from '../helpers/report-lake.js';

const WEEK = parseIsoWeek('2026-W47'); // 2026-11-16 .. 2026-11-23 (exclusive)
const NOW = Date.parse('2026-11-23T06:00:00Z'); // Monday morning after the week: generation time
const NO_QUARANTINE = { total: 0, reasons: [] };

const renamed = (m: RunManifest, name: string): RunManifest => ({ ...m, accounts: ACCOUNTS.map((id) => ({ id, name: `${name} ${id.slice(0, 1)}` })) });

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function lakeWith(manifests: RunManifest[]): Promise<LocalStore> {
  const dir = await mkdtemp(join(tmpdir(), 'gdl-fresh-'));
  dirs.push(dir);
  await writeReportLake(dir, [], { manifests });
  return new LocalStore(dir);
}

interface Case {
  name: string;
  manifests: RunManifest[];
  runs: number;
  slices: number;
  failedTotal: number;
  lastSuccessfulExport: string;
  lastRun: string;
  accountName: string | undefined;
}

const CASES: Case[] = [
  {
    name: 'only an export after the week\'s end (Monday 02:00) counts for freshness, coverage and names',
    manifests: [manifest('run-mon', '2026-11-23T02:00:00.000Z', { '444444444444/eu-west-1': { status: 'no-detector' } })],
    runs: 1, slices: 8, failedTotal: 0, lastSuccessfulExport: '2026-11-23T02:01:00.000Z', lastRun: '2026-11-23T02:01:00.000Z', accountName: 'Production',
  },
  {
    name: 'a run in the week and one after it: the later status of each slice wins',
    manifests: [
      manifest('run-thu', '2026-11-19T02:00:00.000Z', { '444444444444/us-east-1': { status: 'failed', error: 'ThrottlingException' } }),
      manifest('run-mon', '2026-11-23T02:00:00.000Z'),
    ],
    runs: 2, slices: 8, failedTotal: 1, lastSuccessfulExport: '2026-11-23T02:01:00.000Z', lastRun: '2026-11-23T02:01:00.000Z', accountName: 'Production',
  },
  {
    name: 'a run started after generation time is left out (freshness, failures, names)',
    manifests: [
      manifest('run-mon', '2026-11-23T02:00:00.000Z'),
      renamed(manifest('run-late', '2026-11-23T07:00:00.000Z', { '111111111111/us-east-1': { status: 'failed', error: 'late' } }), 'Renamed later'),
    ],
    runs: 1, slices: 8, failedTotal: 0, lastSuccessfulExport: '2026-11-23T02:01:00.000Z', lastRun: '2026-11-23T02:01:00.000Z', accountName: 'Production',
  },
  {
    name: 'no run between the week\'s start and generation: the last export before the week, not the later one',
    manifests: [
      renamed(manifest('run-old', '2026-11-10T02:00:00.000Z'), 'Old'),
      renamed(manifest('run-late', '2026-11-23T06:00:00.000Z'), 'Renamed later'),
    ],
    runs: 0, slices: 8, failedTotal: 0, lastSuccessfulExport: '2026-11-10T02:01:00.000Z', lastRun: '2026-11-10T02:01:00.000Z', accountName: 'Old 1',
  },
  {
    name: 'only runs after generation: no export yet, no names',
    manifests: [manifest('run-late', '2026-11-24T02:00:00.000Z')],
    runs: 0, slices: 0, failedTotal: 0, lastSuccessfulExport: '', lastRun: '', accountName: undefined,
  },
];

describe('run manifests as of generation time', () => {
  it.each(CASES)('$name', async (c) => {
    // Prepare
    const store = await lakeWith(c.manifests);
    // Act
    const set = await readManifests(store, NOW);
    const cov = coverage(set, WEEK, NO_QUARANTINE, 10);
    const built = await buildWeeklyReport(store, { week: WEEK, now: NOW });
    // Assess
    expect(built.coverage).toEqual(cov);
    expect({ runs: cov.runs, slices: cov.slices, failedTotal: cov.failedTotal, lastSuccessfulExport: cov.lastSuccessfulExport, lastRun: cov.lastRun })
      .toEqual({ runs: c.runs, slices: c.slices, failedTotal: c.failedTotal, lastSuccessfulExport: c.lastSuccessfulExport, lastRun: c.lastRun });
    expect(set.names.get('111111111111')).toBe(c.accountName);
    expect(set.all.every((r) => Date.parse(r.startedAt) < NOW)).toBe(true);
  });
});

describe('the rendered report of last week, exported on Monday morning', () => {
  let result: ReportRunResult;

  beforeAll(async () => {
    // Prepare: findings of the week; the only export ran after the week ended and named 3 of 4
    // accounts; a later run (after generation) would name the 4th and fail a slice.
    const dir = await mkdtemp(join(tmpdir(), 'gdl-fresh-report-'));
    dirs.push(dir);
    const named = manifest('run-mon', '2026-11-23T02:00:00.000Z', { '444444444444/eu-west-1': { status: 'no-detector' } });
    await writeReportLake(dir, seededFindings(11, 120, WEEK.end), {
      manifests: [
        { ...named, accounts: named.accounts!.filter((a) => a.id !== '444444444444') },
        renamed(manifest('run-late', '2026-11-23T09:00:00.000Z', { '111111111111/us-east-1': { status: 'failed', error: 'AfterGeneration' } }), 'Late name'),
      ],
    });
    // Act
    result = await runReportFor({ lake: dir, week: '2026-W47', now: NOW });
  });

  it('the header shows the Monday export as freshness and its coverage', () => {
    // Assess
    const { html, text } = result.rendered;
    expect(html).toContain('data as of 2026-11-23 02:01 UTC (last complete export)');
    expect(html).not.toContain('no complete export yet');
    expect(html).toContain('Coverage: 4 accounts &times; 2 regions, 7 of 8 scanned, <strong>1 gap</strong>');
    expect(text).toContain('Data as of 2026-11-23 02:01 UTC.');
    expect(text).toContain('Coverage: 4 accounts x 2 regions, 7 of 8 slices scanned.');
  });

  it('names accounts from that export; an unnamed account shows its id once; nothing from after generation', () => {
    // Assess
    const { html, text } = result.rendered;
    expect(result.report.topAccounts.find((a) => a.accountId === '111111111111')?.accountName).toBe('Production');
    expect(result.report.coverage.gaps).toEqual([expect.objectContaining({ accountId: '444444444444', accountName: '', status: 'no-detector' })]);
    expect(text).toContain('- 444444444444 eu-west-1: no-detector');
    expect(html).toContain('>444444444444</td><td class="gd-rule" style="border-bottom:1px solid #e5e7eb;">eu-west-1<');
    for (const out of [html, text]) {
      expect(out).toMatch(/Production \(111111111111\)/);
      expect(out).not.toMatch(/444444444444\s*\(444444444444\)/);
      expect(out).not.toMatch(/Late name|AfterGeneration/);
    }
    expect(result.report.coverage.failedTotal).toBe(0);
  });
});
