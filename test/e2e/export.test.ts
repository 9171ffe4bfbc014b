/**
 * Export through the emulator over HTTP with the real SDK clients: both access modes, OU filtering,
 * coverage gaps, paging, the investigations preview-region rule, AccessDenied, and an S3 lake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isInvestigationRegion } from '../../src/collect/regions.js';
import { manifests, lakeFindingIds, queryLake, runExport, sliceKey, startWorld, tempLake, type TestWorld } from './export-harness.js';

const DAY_MS = 86_400_000;
const NO_DETECTOR_REGION = 'ap-southeast-2';

/** Ids the emulator holds for the given slices and window (archived excluded). */
function expectedIds(t: TestWorld, slices: Array<{ accountId: string; region: string }>, from: string, to: string): string[] {
  const ids = new Set<string>();
  for (const s of slices) {
    for (const id of t.emu.world.findingIds({ accountIds: [s.accountId], regions: [s.region], updatedFrom: new Date(from), updatedTo: new Date(to) })) ids.add(id);
  }
  return [...ids].sort();
}

describe('export, delegated-admin', () => {
  let t: TestWorld;
  let lake: Awaited<ReturnType<typeof tempLake>>;
  beforeAll(async () => {
    t = await startWorld({ seed: 7, orgAccounts: 6, findingsPerAccount: 30 });
    lake = await tempLake();
  });
  afterAll(async () => {
    await t.stop();
    await lake.remove();
  });

  it('exports every ACTIVE account × region and records gaps with their reasons', async () => {
    // Prepare
    const world = t.emu.world;
    const regions = [...world.enabledRegions, NO_DETECTOR_REGION, world.disabledOptInRegion];
    // Act
    const { outcome, logs } = await runExport(lake.dir, { regions: regions.join(',') });
    // Assess
    const m = outcome.manifest;
    const active = world.accounts.filter((a) => a.status === 'ACTIVE').map((a) => a.id).sort();
    const suspended = world.accounts.filter((a) => a.status === 'SUSPENDED').map((a) => a.id);
    expect(suspended.length).toBeGreaterThan(0);
    expect([...new Set(m.slices.map((s) => s.accountId))].sort()).toEqual(active);
    expect(m.accounts.filter((a) => a.status === 'SUSPENDED').map((a) => a.id).sort()).toEqual([...suspended].sort());
    expect(m.accounts.find((a) => a.id === active[0])?.name).toBeTruthy();
    expect(m.slices).toHaveLength(active.length * regions.length);
    for (const s of m.slices.filter((x) => x.region === NO_DETECTOR_REGION)) expect(s.status).toBe('no-detector');
    for (const s of m.slices.filter((x) => x.region === world.disabledOptInRegion)) expect(s.status).toBe('region-disabled');
    expect(m.regionsSkipped?.map((r) => r.region)).toEqual([world.disabledOptInRegion]);
    const suspendedDetector = world.detectors.find((d) => d.status === 'DISABLED');
    expect(suspendedDetector).toBeDefined();
    const ok = m.slices.filter((s) => s.status === 'ok');
    expect(ok.length).toBeGreaterThan(0);
    for (const s of ok) {
      expect(Date.parse(s.windowEnd ?? '') - Date.parse(s.windowStart ?? '')).toBe(7 * DAY_MS);
      expect(s.watermarkAfter).toBe(s.windowEnd);
    }
    const from = ok[0]?.windowStart ?? '';
    const to = ok[0]?.windowEnd ?? '';
    const ids = await lakeFindingIds(lake.dir);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids).toEqual(expectedIds(t, ok, from, to));
    expect(m.totals.findings).toBe(ids.length);
    expect(outcome.exitCode).toBe(0);
    // GetFindings takes ≤ 50 ids (the emulator answers BadRequest above): ≥ one call per 50 findings, none failed.
    expect(t.emu.counters.byOperation['guardduty:GetFindings'] ?? 0).toBeGreaterThanOrEqual(Math.ceil(ids.length / 50));
    // Organizations pages are asked at their largest (20), not left to the service's default.
    expect(t.emu.counters.byOperation['organizations:ListAccounts']).toBe(Math.ceil(world.accounts.length / 20));
    const sliceLines = logs.filter((l) => typeof l.msg === 'string' && (l.msg as string).startsWith('slice '));
    expect(sliceLines).toHaveLength(m.slices.length);
    expect(sliceLines.find((l) => l.status === 'ok')).toMatchObject({ findings: expect.any(Number), duration_ms: expect.any(Number) });
  });

  it('writes typed statistics and, in preview regions only, investigations', async () => {
    // Prepare: the lake from the first test
    // Act
    const stats = await queryLake(lake.dir, "SELECT group_by, count(*), typeof(any_value(count)) FROM read_parquet('{lake}/finding_statistics/**/*.parquet') GROUP BY group_by ORDER BY group_by");
    const invRegions = await queryLake(lake.dir, "SELECT DISTINCT region FROM read_parquet('{lake}/investigations/**/*.parquet')");
    // Assess
    expect(stats.map((r) => r[0])).toEqual(['ACCOUNT', 'DATE', 'FINDING_TYPE', 'RESOURCE', 'SEVERITY']);
    for (const r of stats) expect(r[2]).toBe('BIGINT');
    expect(invRegions.length).toBeGreaterThan(0);
    for (const [region] of invRegions) expect(isInvestigationRegion(String(region))).toBe(true);
    const expectedInv = t.emu.world.investigations().filter((i) => t.emu.world.enabledRegions.includes(i.region)).length;
    const [[count]] = (await queryLake(lake.dir, "SELECT count(DISTINCT investigation_id) FROM read_parquet('{lake}/investigations/**/*.parquet')")) as [[bigint]];
    expect(Number(count)).toBe(expectedInv);
  });

  it('a rerun reads only from the watermark minus the overlap and adds nothing new', async () => {
    // Prepare
    const before = (await manifests(lake.dir)).at(-1);
    // Act
    const { outcome } = await runExport(lake.dir, { regions: t.emu.world.enabledRegions.join(','), overlap: '15m' });
    // Assess
    for (const s of outcome.manifest.slices.filter((x) => x.status === 'ok')) {
      const prev = before?.slices.find((p) => sliceKey(p) === sliceKey(s));
      expect(s.watermarkBefore).toBe(prev?.watermarkAfter);
      expect(Date.parse(s.windowStart ?? '')).toBe(Date.parse(prev?.watermarkAfter ?? '') - 15 * 60_000);
    }
    expect(outcome.exitCode).toBe(0);
  });

  it('filters accounts by OU, recursively', async () => {
    // Prepare
    const world = t.emu.world;
    const ou = world.ous.find((o) => world.ous.some((child) => child.parentId === o.id));
    expect(ou).toBeDefined();
    const under = new Set<string>([ou?.id ?? '']);
    for (let grew = true; grew;) {
      grew = false;
      for (const o of world.ous) if (under.has(o.parentId) && !under.has(o.id)) { under.add(o.id); grew = true; }
    }
    const expected = world.accounts.filter((a) => under.has(a.parentId) && a.status === 'ACTIVE').map((a) => a.id).sort();
    const other = await tempLake();
    // Act
    const { outcome } = await runExport(other.dir, { ous: ou?.id ?? '', regions: 'us-east-1' });
    // Assess
    expect(expected.length).toBeGreaterThan(0);
    expect(outcome.manifest.slices.map((s) => s.accountId).sort()).toEqual(expected);
    await other.remove();
  });
});

describe('export, assume-role', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 11, orgAccounts: 5, findingsPerAccount: 20, externalId: 'lake-external-id' });
  });
  afterAll(async () => t.stop());

  it('assumes the role in each account and exports each detector\'s own findings', async () => {
    // Prepare
    const lake = await tempLake();
    const world = t.emu.world;
    // Act
    const { outcome } = await runExport(lake.dir, { mode: 'assume-role', 'external-id': 'lake-external-id', regions: world.enabledRegions.join(',') });
    // Assess
    const m = outcome.manifest;
    const ok = m.slices.filter((s) => s.status === 'ok');
    const expectedOk = m.slices.filter((s) => world.detectorFor(s.accountId, s.region)?.status === 'ENABLED');
    expect(ok.map(sliceKey).sort()).toEqual(expectedOk.map(sliceKey).sort());
    for (const s of m.slices.filter((x) => world.detectorFor(x.accountId, x.region)?.status === 'DISABLED')) expect(s.status).toBe('detector-suspended');
    for (const s of m.slices.filter((x) => world.detectorFor(x.accountId, x.region) === undefined)) expect(s.status).toBe('no-detector');
    const ids = await lakeFindingIds(lake.dir);
    expect(ids).toEqual(expectedIds(t, ok, ok[0]?.windowStart ?? '', ok[0]?.windowEnd ?? ''));
    expect(t.emu.counters.byOperation['sts:AssumeRole'] ?? 0).toBeLessThanOrEqual(m.accounts.length);
    expect(outcome.exitCode).toBe(0);
    await lake.remove();
  });

  it('a wrong external id is access-denied for every slice, exit 1', async () => {
    // Prepare
    const lake = await tempLake();
    // Act
    const { outcome, logs } = await runExport(lake.dir, { mode: 'assume-role', 'external-id': 'wrong-id', regions: 'us-east-1', accounts: t.emu.world.accounts.filter((a) => a.role === 'member' && a.status === 'ACTIVE').map((a) => a.id).slice(0, 2).join(',') });
    // Assess
    expect(outcome.exitCode).toBe(1);
    for (const s of outcome.manifest.slices) expect(s.status).toBe('access-denied');
    expect(String(logs.at(-1)?.msg)).toMatch(/export incomplete: 2 of 2 slices failed/);
    await lake.remove();
  });
});

describe('export, failures and paging', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 3, orgAccounts: 4, findingsPerAccount: 320, enabledRegions: ['us-east-1', 'us-west-1'] });
  });
  afterAll(async () => t.stop());

  it('pages through many ListFindings pages with GetFindings batches of at most 50', async () => {
    // Prepare
    const lake = await tempLake();
    const admin = t.emu.world.adminAccountId;
    const callsBefore = { ...t.emu.counters.byOperation };
    // Act
    const { outcome } = await runExport(lake.dir, { accounts: admin, regions: 'us-west-1', lookback: '90d' });
    // Assess
    const ids = await lakeFindingIds(lake.dir);
    const delta = (op: string): number => (t.emu.counters.byOperation[op] ?? 0) - (callsBefore[op] ?? 0);
    expect(ids.length).toBeGreaterThan(200);
    expect(delta('guardduty:ListFindings')).toBeGreaterThanOrEqual(Math.ceil(ids.length / 50));
    expect(delta('guardduty:GetFindings')).toBeGreaterThanOrEqual(Math.ceil(ids.length / 50));
    expect(outcome.manifest.slices[0]?.findings).toBe(ids.length);
    expect(outcome.exitCode).toBe(0);
    await lake.remove();
  });

  it('assume-role: one AccessDenied account does not stop the others; exit 1 and the manifest names it', async () => {
    // Prepare
    const lake = await tempLake();
    const members = t.emu.world.accounts.filter((a) => a.role === 'member' && a.status === 'ACTIVE');
    const denied = members[0]?.id ?? '';
    t.emu.faults.failAccounts.add(denied);
    // Act
    const { outcome, logs } = await runExport(lake.dir, { mode: 'assume-role', regions: 'us-east-1,us-west-1', lookback: '2d' });
    t.emu.faults.failAccounts.delete(denied);
    // Assess
    const m = outcome.manifest;
    expect(outcome.exitCode).toBe(1);
    const bad = m.slices.filter((s) => s.accountId === denied);
    expect(bad.map((s) => s.status)).toEqual(['access-denied', 'access-denied']);
    expect(bad[0]?.error).toMatch(/AccessDenied/);
    const others = m.slices.filter((s) => s.accountId !== denied && s.status === 'ok');
    expect(others.length).toBeGreaterThan(0);
    expect(m.totals.failedSlices).toBe(2);
    const last = logs.at(-1);
    expect(last?.level).toBe('error');
    expect(String(last?.msg)).toContain(denied);
    await lake.remove();
  });

  it('delegated-admin: a failing region is recorded for each of its accounts, the other region is exported', async () => {
    // Prepare
    const lake = await tempLake();
    t.emu.faults.failRegions.add('us-west-1');
    // Act
    const { outcome } = await runExport(lake.dir, { regions: 'us-east-1,us-west-1', lookback: '2d', 'max-attempts': '2' });
    t.emu.faults.failRegions.delete('us-west-1');
    // Assess
    const m = outcome.manifest;
    expect(outcome.exitCode).toBe(1);
    const west = m.slices.filter((s) => s.region === 'us-west-1');
    const east = m.slices.filter((s) => s.region === 'us-east-1');
    expect(west.length).toBeGreaterThan(0);
    for (const s of west) expect(s.status).not.toBe('ok');
    expect(east.filter((s) => s.status === 'ok').length).toBeGreaterThan(0);
    expect(m.totals.failedSlices).toBe(west.filter((s) => s.status === 'failed' || s.status === 'access-denied').length);
    expect(await lakeFindingIds(lake.dir)).toEqual(expectedIds(t, east.filter((s) => s.status === 'ok'), east[0]?.windowStart ?? '', east[0]?.windowEnd ?? ''));
    await lake.remove();
  });
});
