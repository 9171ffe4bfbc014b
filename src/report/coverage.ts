/**
 * Coverage, freshness and data quality from the run manifests (runs/dt=…/*.json) and the quarantine
 * (quarantine/dt=…/*.jsonl) — never from GuardDuty.
 */
import type { LakeStore, RunManifest, SliceReport } from '../lake/types.js';
import { LakeReadError } from './errors.js';
import { safeText } from './text.js';
import type { Coverage, SliceLine } from './types.js';
import { isoDate, type IsoWeek } from './week.js';

export interface ManifestSet {
  /** Every manifest of a run started before `asOf`, oldest first. */
  readonly all: readonly RunManifest[];
  /** Account id → Organization account name (latest manifest of `all` that names it). */
  readonly names: Map<string, string>;
  /** The instant the set was read as of (the report's generation time), epoch ms. */
  readonly asOf: number;
}

const decoder = new TextDecoder();

/**
 * Every run manifest of a run started before `asOf` — the report's generation time, not the end of
 * the reported week: exports usually run after the week is over (a Monday-morning report reads the
 * runs of that morning), and freshness, coverage and account names must include them. Runs started
 * at or after `asOf` are left out, so a report rebuilt later for the same instant is the same.
 */
export async function readManifests(store: LakeStore, asOf: number): Promise<ManifestSet> {
  const all: RunManifest[] = [];
  const last = isoDate(asOf + 86_400_000);
  for await (const key of store.list('runs/')) {
    const m = /^runs\/dt=(\d{4}-\d{2}-\d{2})\/[^/]+\.json$/.exec(key);
    if (!m || m[1]! >= last) continue;
    const bytes = await store.get(key);
    if (bytes === undefined) continue;
    let doc: RunManifest;
    try {
      doc = JSON.parse(decoder.decode(bytes)) as RunManifest;
    } catch (e) {
      throw new LakeReadError(`${key}: run manifest is not JSON`, { cause: e });
    }
    if (typeof doc.startedAt !== 'string' || !Array.isArray(doc.slices)) continue;
    if (!(Date.parse(doc.startedAt) < asOf)) continue;
    all.push(doc);
  }
  all.sort((a, b) => (a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : 0));
  const names = new Map<string, string>();
  for (const run of all) for (const a of run.accounts ?? []) if (a.name) names.set(a.id, a.name);
  return { all, names, asOf };
}

/** Quarantined records of the week by reason (quarantine/dt=… partitions inside the week). */
export async function readQuarantine(store: LakeStore, week: IsoWeek, top: number): Promise<{ total: number; reasons: Array<{ reason: string; count: number }> }> {
  const from = isoDate(week.start);
  const to = isoDate(week.end);
  const counts = new Map<string, number>();
  let total = 0;
  for await (const key of store.list('quarantine/')) {
    const m = /^quarantine\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key);
    if (!m || m[1]! < from || m[1]! >= to) continue;
    const bytes = await store.get(key);
    if (bytes === undefined) continue;
    for (const line of decoder.decode(bytes).split('\n')) {
      if (line.trim() === '') continue;
      total++;
      let reason = 'unreadable quarantine line';
      try {
        const r = (JSON.parse(line) as { reason?: unknown }).reason;
        if (typeof r === 'string') reason = r;
      } catch { /* counted under the generic reason */ }
      const key2 = safeText(reason, 100);
      counts.set(key2, (counts.get(key2) ?? 0) + 1);
    }
  }
  const reasons = [...counts].map(([reason, count]) => ({ reason, count }))
    .sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : 1)).slice(0, top);
  return { total, reasons };
}

const sliceLine = (s: SliceReport, names: ReadonlyMap<string, string>): SliceLine => ({
  accountId: safeText(s.accountId, 20),
  accountName: safeText(names.get(s.accountId) ?? s.accountName ?? '', 60),
  region: safeText(s.region, 30),
  status: safeText(s.status, 30),
  error: safeText(s.error ?? '', 160),
});

/**
 * Coverage of the week as of generation time (`set.asOf`): the latest status of each (account, region)
 * over the runs started from the week's start up to generation (or, if none, the last export run before
 * the week); failed slices of any of those runs; freshness = the last export with no failed slice.
 */
export function coverage(set: ManifestSet, week: IsoWeek, quarantine: { total: number; reasons: Array<{ reason: string; count: number }> }, top: number): Coverage {
  const inWeek = set.all.filter((r) => Date.parse(r.startedAt) >= week.start);
  const lastBefore = set.all.filter((r) => r.command === 'export').at(-1);
  const runs = inWeek.length > 0 ? inWeek : lastBefore ? [lastBefore] : [];
  const latest = new Map<string, SliceReport>();
  const failed = new Map<string, SliceReport>();
  let manifestQuarantined = 0;
  for (const run of runs) {
    manifestQuarantined += run.totals?.quarantined ?? 0;
    for (const s of run.slices) {
      const k = `${s.accountId}/${s.region}`;
      latest.set(k, s);
      if (s.status === 'failed' || s.status === 'access-denied') failed.set(k, s);
    }
  }
  const slices = [...latest.values()];
  const gaps = slices.filter((s) => s.status !== 'ok' && s.status !== 'skipped')
    .sort((a, b) => (a.accountId + a.region < b.accountId + b.region ? -1 : 1));
  const byStatus = new Map<string, number>();
  for (const g of gaps) byStatus.set(g.status, (byStatus.get(g.status) ?? 0) + 1);
  const failedList = [...failed.values()].sort((a, b) => (a.accountId + a.region < b.accountId + b.region ? -1 : 1));
  const exports = set.all.filter((r) => r.command === 'export');
  const success = exports.filter((r) => (r.totals?.failedSlices ?? 0) === 0).at(-1);
  const lastRun = set.all.at(-1);
  return {
    runs: inWeek.length,
    accounts: new Set(slices.map((s) => s.accountId)).size,
    regions: new Set(slices.map((s) => s.region)).size,
    slices: slices.length,
    okSlices: slices.filter((s) => s.status === 'ok').length,
    gapsByStatus: [...byStatus].map(([status, count]) => ({ status: safeText(status, 30), count })).sort((a, b) => b.count - a.count),
    gaps: gaps.slice(0, top).map((s) => sliceLine(s, set.names)),
    gapsTotal: gaps.length,
    gapsMore: Math.max(0, gaps.length - top),
    failed: failedList.slice(0, top).map((s) => sliceLine(s, set.names)),
    failedTotal: failedList.length,
    failedMore: Math.max(0, failedList.length - top),
    quarantined: quarantine.total > 0 ? quarantine.total : manifestQuarantined,
    quarantineReasons: quarantine.reasons,
    lastSuccessfulExport: success?.finishedAt ?? '',
    lastRun: lastRun?.finishedAt ?? '',
  };
}
