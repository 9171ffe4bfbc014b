/**
 * Export under pressure, through the emulator over HTTP: throttling, sharding, auto-investigate
 * quota and idempotency, and a crash (SIGKILL mid-run) followed by a rerun.
 */
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { INVESTIGATION_QUOTA, createInvestigation } from '../../src/collect/auto-investigate.js';
import { LakeSink } from '../../src/collect/lake-sink.js';
import { openLake } from '../../src/lake/index.js';
import { watermarkKey } from '../../src/lake/keys.js';
import { lakeFindingIds, manifests, runExport, sliceKey, startWorld, tempLake, watermarks, type TestWorld } from './export-harness.js';

const repoRoot = path.resolve(import.meta.dirname, '../..');

function idsFor(t: TestWorld, s: { accountId: string; region: string }, from: string, to: string): string[] {
  return t.emu.world.findingIds({ accountIds: [s.accountId], regions: [s.region], updatedFrom: new Date(from), updatedTo: new Date(to) });
}

describe('throttling', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 5, orgAccounts: 4, findingsPerAccount: 60, rateLimit: 4 });
  });
  afterAll(async () => t.stop());

  it('stays correct under the emulator\'s rate limit: throttled attempts are retried, nothing fails', async () => {
    // Prepare
    const lake = await tempLake();
    // Act
    const { outcome } = await runExport(lake.dir, { regions: 'us-east-1,eu-west-1', lookback: '3d', concurrency: '16', 'target-concurrency': '8', 'max-attempts': '20' });
    // Assess
    expect(outcome.stats.throttles).toBeGreaterThan(0);
    expect(t.emu.counters.throttled).toBeGreaterThan(0);
    expect(outcome.exitCode).toBe(0);
    const ok = outcome.manifest.slices.filter((s) => s.status === 'ok');
    const expected = [...new Set(ok.flatMap((s) => idsFor(t, s, s.windowStart ?? '', s.windowEnd ?? '')))].sort();
    expect(await lakeFindingIds(lake.dir)).toEqual(expected);
    await lake.remove();
  });
});

describe('sharding', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 5, orgAccounts: 5, findingsPerAccount: 20, enabledRegions: ['us-east-1', 'us-west-1'] });
  });
  afterAll(async () => t.stop());

  it('N shards cover the unsharded target set exactly once, each region in one shard', async () => {
    // Prepare
    const whole = await tempLake();
    const sharded = await tempLake();
    const flags = { regions: 'us-east-1,us-west-1,ap-southeast-2', lookback: '3d', 'statistics-window': '1d' };
    // Act
    const all = await runExport(whole.dir, flags);
    const parts = [];
    for (let k = 0; k < 3; k++) parts.push(await runExport(sharded.dir, { ...flags, shard: `${k}/3` }));
    // Assess
    const unsharded = all.outcome.manifest.slices.map(sliceKey).sort();
    const union = parts.flatMap((p) => p.outcome.manifest.slices.map(sliceKey));
    expect(union.slice().sort()).toEqual(unsharded);
    expect(new Set(union).size).toBe(union.length);
    // delegated-admin shards split regions: each region's slices are all in one shard.
    const regionsOf = parts.map((p) => new Set(p.outcome.manifest.slices.map((s) => s.region)));
    for (const region of ['us-east-1', 'us-west-1', 'ap-southeast-2']) expect(regionsOf.filter((r) => r.has(region))).toHaveLength(1);
    expect(await lakeFindingIds(sharded.dir)).toEqual(await lakeFindingIds(whole.dir));
    await whole.remove();
    await sharded.remove();
  });

  it('reads the shard from AWS_BATCH_JOB_ARRAY_INDEX / _SIZE', async () => {
    // Prepare
    const lake = await tempLake();
    process.env.AWS_BATCH_JOB_ARRAY_INDEX = '1';
    process.env.AWS_BATCH_JOB_ARRAY_SIZE = '2';
    // Act
    const { outcome } = await runExport(lake.dir, { regions: 'us-east-1' });
    delete process.env.AWS_BATCH_JOB_ARRAY_INDEX;
    delete process.env.AWS_BATCH_JOB_ARRAY_SIZE;
    // Assess
    expect(outcome.manifest.shard).toEqual({ index: 1, count: 2 });
    await lake.remove();
  });
});

describe('auto-investigate', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 9, orgAccounts: 6, findingsPerAccount: 300, enabledRegions: ['us-east-1', 'us-west-1'] });
  });
  afterAll(async () => t.stop());

  it('creates investigations for new high findings within the quota, once per finding across reruns, preview regions only', async () => {
    // Prepare: 8 of the administrator's 10 investigations per day are already used.
    const lake = await tempLake();
    const world = t.emu.world;
    const client = new GuardDutyClient({ region: 'us-east-1' });
    const detectorId = world.detectorFor(world.adminAccountId, 'us-east-1')?.detectorId ?? '';
    for (let i = 0; i < 8; i++) await createInvestigation(client, { findingId: `earlier-${i}`, accountId: world.adminAccountId, region: 'us-east-1', detectorId, severity: 9 });
    client.destroy();
    const before = world.investigations().length;
    // Act
    const first = await runExport(lake.dir, { regions: 'us-east-1,us-west-1', 'auto-investigate': 'high', lookback: '2d' });
    const afterFirst = t.emu.world.investigations();
    const second = await runExport(lake.dir, { regions: 'us-east-1,us-west-1', 'auto-investigate': 'high', lookback: '2d', overlap: '1d' });
    // Assess
    const created = first.outcome.manifest.investigationsCreated ?? [];
    expect(created.length).toBeGreaterThan(0);
    expect(created.length).toBeLessThanOrEqual(INVESTIGATION_QUOTA.perAccountPerDay - 8);
    expect(first.outcome.manifest.totals.investigationsCreated).toBe(created.length);
    expect(afterFirst.length).toBe(before + created.length);
    for (const c of created) expect(c.region).toBe('us-east-1');
    expect(new Set(created.map((c) => c.findingId)).size).toBe(created.length);
    for (const c of created) {
      const meta = t.emu.world.findingMeta(c.findingId);
      expect(meta?.severity).toBeGreaterThanOrEqual(7);
      expect(Date.parse(first.outcome.manifest.startedAt) - (meta?.createdAt ?? 0)).toBeLessThanOrEqual(86_400_000);
      const inv = afterFirst.find((i) => i.investigationId === c.investigationId);
      expect(inv?.triggerPrompt).toContain(c.findingId);
      expect(inv?.triggerPrompt).toContain(c.accountId);
    }
    // More candidates than the quota allows: the rest is logged as not created.
    expect(first.logs.some((l) => String(l.msg).startsWith('auto-investigate: quota reached'))).toBe(true);
    expect(second.outcome.manifest.investigationsCreated ?? []).toEqual([]);
    expect(t.emu.world.investigations().length).toBe(afterFirst.length);
    const createdLogs = first.logs.filter((l) => String(l.msg).startsWith('auto-investigate: investigation'));
    expect(createdLogs).toHaveLength(created.length);
    await lake.remove();
  });

  it('is skipped in assume-role mode (not the administrator)', async () => {
    // Prepare
    const lake = await tempLake();
    const before = t.emu.world.investigations().length;
    // Act
    const { outcome, logs } = await runExport(lake.dir, { mode: 'assume-role', regions: 'us-east-1', 'auto-investigate': 'critical' });
    // Assess
    expect(outcome.manifest.totals.investigationsCreated).toBe(0);
    expect(t.emu.world.investigations().length).toBe(before);
    expect(logs.some((l) => String(l.msg).startsWith('auto-investigate skipped'))).toBe(true);
    await lake.remove();
  });
});

describe('auto-investigate idempotency', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 21, orgAccounts: 3, findingsPerAccount: 5, enabledRegions: ['us-east-1'] });
  });
  afterAll(async () => t.stop());

  it('derives the ClientToken from the finding: the same request twice starts one investigation', async () => {
    // Prepare
    const world = t.emu.world;
    const detector = world.detectorFor(world.adminAccountId, 'us-east-1');
    const client = new GuardDutyClient({ region: 'us-east-1' });
    const candidate = { findingId: 'finding-for-token-test', accountId: world.adminAccountId, region: 'us-east-1', detectorId: detector?.detectorId ?? '', severity: 9 };
    const before = world.investigations().length;
    // Act
    const first = await createInvestigation(client, candidate);
    const again = await createInvestigation(client, candidate);
    // Assess
    expect(again).toBe(first);
    expect(world.investigations().length).toBe(before + 1);
    client.destroy();
  });

});

describe('crash and rerun', () => {
  let t: TestWorld;
  beforeAll(async () => {
    t = await startWorld({ seed: 13, orgAccounts: 5, findingsPerAccount: 60, latencyMs: 10, enabledRegions: ['us-east-1', 'us-west-1', 'sa-east-1'] });
  });
  afterAll(async () => t.stop());

  async function watermarkCount(dir: string): Promise<number> {
    try {
      return (await readdir(path.join(dir, '_state', 'watermarks'), { recursive: true })).filter((f) => f.endsWith('.json')).length;
    } catch {
      return 0;
    }
  }

  it('a crash between two members\' watermarks: the resumed window rewrites its files whole, nothing is lost', async () => {
    // Prepare: a complete run, then the state a crash leaves when it strikes after one member's
    // watermark moved and before another's: that member has the window in flight and no watermark.
    const lake = await tempLake();
    const region = 'us-east-1';
    const first = await runExport(lake.dir, { regions: region, 'statistics-window': '1d' });
    const ok = first.outcome.manifest.slices.filter((s) => s.status === 'ok' && s.findings > 0);
    expect(ok.length).toBeGreaterThan(1);
    const idsBefore = await lakeFindingIds(lake.dir);
    const victim = ok[0];
    const store = openLake(lake.dir);
    await store.delete(watermarkKey(victim?.accountId ?? '', region));
    await new LakeSink(store).writeInflight({
      accountId: victim?.accountId ?? '', region, windowStart: victim?.windowStart ?? '', windowEnd: victim?.windowEnd ?? '',
      runId: first.outcome.manifest.runId, accounts: ok.map((s) => s.accountId).concat(first.outcome.manifest.slices.filter((s) => s.status === 'ok' && s.findings === 0).map((s) => s.accountId)),
    });
    // Act
    const rerun = await runExport(lake.dir, { regions: region, 'statistics-window': '1d' });
    // Assess: the victim redid the first window; every finding of the first run is still there.
    const redone = rerun.outcome.manifest.slices.find((s) => s.accountId === victim?.accountId);
    expect(redone?.windowStart).toBe(victim?.windowStart);
    expect(redone?.windowEnd).toBe(victim?.windowEnd);
    expect(rerun.outcome.manifest.units?.length).toBe(2);
    const idsAfter = new Set(await lakeFindingIds(lake.dir));
    for (const id of idsBefore) expect(idsAfter.has(id)).toBe(true);
    expect(rerun.outcome.exitCode).toBe(0);
    await lake.remove();
  });

  it('SIGKILL mid-run, rerun: the lake holds exactly the window\'s findings; no watermark passed undelivered data', async () => {
    // Prepare
    const lake = await tempLake();
    const regions = t.emu.world.enabledRegions.join(',');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'export', '--lake', lake.dir, '--regions', regions, '--concurrency', '1', '--target-concurrency', '1', '--statistics-window', '1d'], {
      cwd: repoRoot, env: { ...process.env, ...t.emu.env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Act: kill once a few slices are done, long before all are.
    const deadline = Date.now() + 60_000;
    while ((await watermarkCount(lake.dir)) < 2 && Date.now() < deadline && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await exited;
    const afterCrash = await watermarks(lake.dir);
    const idsAfterCrash = new Set(await lakeFindingIds(lake.dir));
    const rerun = await runExport(lake.dir, { regions, 'statistics-window': '1d' });
    // Assess
    expect(stderr).not.toMatch(/Error/);
    expect(afterCrash.length).toBeGreaterThanOrEqual(2);
    expect(await manifests(lake.dir)).toHaveLength(1); // the killed run wrote none
    const okSlices = rerun.outcome.manifest.slices.filter((s) => s.status === 'ok');
    expect(afterCrash.length).toBeLessThan(okSlices.length);
    // Every finding at or before a crash-time watermark was in the lake already.
    for (const wm of afterCrash) {
      const from = new Date(Date.parse(wm.updatedThrough) - 7 * 86_400_000).toISOString();
      for (const id of idsFor(t, wm, from, wm.updatedThrough)) expect(idsAfterCrash.has(id)).toBe(true);
    }
    // After the rerun the lake holds exactly the findings of every slice's covered window.
    const expected = new Set<string>();
    for (const s of okSlices) {
      const crashed = afterCrash.find((w) => sliceKey(w) === sliceKey(s));
      const start = crashed === undefined ? s.windowStart ?? '' : new Date(Date.parse(crashed.updatedThrough) - 7 * 86_400_000).toISOString();
      for (const id of idsFor(t, s, start, s.windowEnd ?? '')) expected.add(id);
    }
    expect(await lakeFindingIds(lake.dir)).toEqual([...expected].sort());
    expect(rerun.outcome.exitCode).toBe(0);
    await lake.remove();
  }, 150_000);
});
