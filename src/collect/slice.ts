/**
 * Slices of an export. Each (account, region) has its own watermark; its window runs from the
 * watermark (minus the overlap) to the run's start. A *group* is the slices of one detector that
 * share a window: one ListFindings stream, one statistics query, one set of files per day for all of
 * them, then each member's watermark. In assume-role mode every group is one slice; in
 * delegated-admin mode the administrator's detector in a region serves every member, normally as one
 * group (a newly added account, with no watermark yet, forms a second one).
 * Any error ends the group as `failed` (or `access-denied`) with its watermarks untouched; it never
 * stops the other groups.
 */
import type { Finding, GuardDutyClient } from '@aws-sdk/client-guardduty';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { SliceReport } from '../lake/types.js';
import { AccessDeniedError, RegionDisabledError } from './errors.js';
import { ACCOUNTS_PER_CRITERION, findingBatchesByDay } from './findings.js';
import { fetchStatistics } from './statistics.js';
import type { CandidateBox } from './auto-investigate.js';
import type { ExportSink, InflightWindow, SliceScope } from './sink.js';
import type { DetectorResolution, Target } from './types.js';

export interface SliceSettings {
  readonly runId: string;
  /** End of every slice's window: the run's start. */
  readonly windowEnd: Date;
  readonly lookbackMs: number;
  readonly overlapMs: number;
  readonly includeArchived: boolean;
  readonly statisticsWindowMs: number;
  /**
   * ListFindings streams per group: its window is cut at UTC midnights and the pieces are fetched
   * this many at a time.
   * @default 1
   */
  readonly parallelStreams?: number;
}

export interface SliceHooks {
  readonly log: Logger;
  readonly sink: ExportSink;
  readonly signal?: AbortSignal;
  /** Called with each batch's size, for progress. */
  readonly onFindings?: (count: number) => void;
  /** Findings at or above `minSeverity` created since `newSince` are offered here (auto-investigate). */
  readonly candidates?: { box: CandidateBox; minSeverity: number };
  /** Bytes of Parquet stored for the slice. */
  readonly onBytes?: (bytes: number) => void;
  /** Throttled attempts of the slice's scope so far (for the log line). */
  readonly throttles?: () => number;
}

const DAY_MS = 86_400_000;
/** State objects (in-flight windows, watermarks) of a group's members written at a time. */
const STATE_WRITES = 16;
/** GuardDuty keeps findings 90 days; a window never starts earlier. */
const RETENTION_MS = 90 * DAY_MS;

async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of source) {
    signal?.throwIfAborted();
    yield item;
  }
}

/** The report of a slice that is a coverage gap (no detector, suspended, region not enabled, …). */
export function gapReport(target: Target, resolution: Exclude<DetectorResolution, { status: 'ok' }>, startedMs: number): SliceReport {
  return {
    accountId: target.accountId,
    ...(target.accountName === undefined ? {} : { accountName: target.accountName }),
    region: target.region,
    status: resolution.status,
    ...(resolution.detectorId === undefined ? {} : { detectorId: resolution.detectorId }),
    error: resolution.reason,
    findings: 0,
    quarantined: 0,
    statistics: 0,
    investigations: 0,
    durationMs: Date.now() - startedMs,
  };
}

/** Where one slice's window comes from. */
export interface SlicePlan {
  readonly accountId: string;
  /** The watermark before this run (absent on the first export of the slice). */
  readonly watermarkBefore?: string;
  readonly window: { readonly start: string; readonly end: string };
  /** The window is an unfinished one of an earlier run, redone as it was. */
  readonly resumed: boolean;
  /** Resumed: every account the unfinished window's files hold (see {@link InflightWindow.accounts}). */
  readonly rewrite?: readonly string[];
}

/**
 * The window of one (account, region): from its watermark minus the overlap (first export:
 * `lookback`; never older than GuardDuty's 90-day retention) to the run's start. A window an earlier
 * run started from the same watermark (or, before the first watermark, any window) and did not finish
 * is redone as it was, so this run writes the same object keys and overwrites what the crashed run
 * left instead of adding a second copy beside it.
 */
export async function planSlice(sink: ExportSink, accountId: string, region: string, settings: SliceSettings): Promise<SlicePlan> {
  const wm = await sink.readWatermark(accountId, region);
  const windowEndMs = settings.windowEnd.getTime();
  const fromMs = wm === undefined
    ? windowEndMs - settings.lookbackMs
    : Math.max(Date.parse(wm.updatedThrough) - settings.overlapMs, windowEndMs - RETENTION_MS);
  const window = { start: new Date(fromMs).toISOString(), end: settings.windowEnd.toISOString() };
  const inflight = await sink.readInflight(accountId, region);
  const sameStart = wm === undefined || inflight?.windowStart === window.start;
  const resumed = inflight !== undefined && sameStart && Date.parse(inflight.windowEnd) <= windowEndMs;
  return {
    accountId,
    ...(wm === undefined ? {} : { watermarkBefore: wm.updatedThrough }),
    window: resumed ? { start: inflight.windowStart, end: inflight.windowEnd } : window,
    resumed,
    ...(resumed && Array.isArray(inflight.accounts) ? { rewrite: inflight.accounts.filter((a) => typeof a === 'string') } : {}),
  };
}

/** Slices with the same window, in first-seen order; each group is exported in one go. */
export function groupByWindow(plans: readonly SlicePlan[]): SlicePlan[][] {
  const groups = new Map<string, SlicePlan[]>();
  for (const p of plans) {
    const key = `${p.window.start}/${p.window.end}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [p]);
    else g.push(p);
  }
  return [...groups.values()];
}

/** What a group's export did. */
export interface GroupResult {
  readonly status: SliceReport['status'];
  readonly error?: string;
  readonly window: { readonly start: string; readonly end: string };
  /** Rows written (all members). */
  readonly findings: number;
  readonly quarantined: number;
  readonly statistics: number;
  /** Findings received per account. */
  readonly counts: ReadonlyMap<string, number>;
  /** Watermark per account after the group (unchanged on failure). */
  readonly watermarks: ReadonlyMap<string, string | undefined>;
  readonly durationMs: number;
  readonly throttles?: number;
}

/**
 * Exports the findings and statistics of a group of slices of one detector that share a window,
 * then advances every member's watermark. `unit` names the group's files: the administrator (or
 * the account itself) and the region. Never throws (the result carries the error).
 */
export async function runGroup(
  unit: Target,
  members: readonly SlicePlan[],
  resolution: Extract<DetectorResolution, { status: 'ok' }>,
  client: GuardDutyClient,
  settings: SliceSettings,
  hooks: SliceHooks,
): Promise<GroupResult> {
  const startedMs = Date.now();
  const where = members.length === 1 ? `${members[0]?.accountId}/${unit.region}` : `${unit.accountId}/${unit.region} (${members.length} accounts)`;
  const { sink, log } = hooks;
  const first = members[0];
  if (first === undefined) throw new RangeError('a slice group has at least one member');
  const window = first.window;
  const counts = new Map<string, number>();
  const watermarks = new Map(members.map((m) => [m.accountId, m.watermarkBefore]));
  let findings = 0;
  let quarantined = 0;
  let statistics = 0;
  try {
    hooks.signal?.throwIfAborted();
    // Only the group's accounts: an administrator's detector (delegated-admin mode, or the
    // administrator's own slice in assume-role mode) returns every member's findings. A resumed
    // window also takes the accounts its unfinished files held. Up to ACCOUNTS_PER_CRITERION
    // accounts go into the query; a longer list is filtered here.
    const accounts = new Set([...members.map((m) => m.accountId), ...members.flatMap((m) => m.rewrite ?? [])]);
    const sorted = [...accounts].sort();
    const accountIds = sorted.length <= ACCOUNTS_PER_CRITERION ? sorted : undefined;
    const stateLimit = pLimit(STATE_WRITES);
    await Promise.all(members.filter((m) => !m.resumed).map((m) => stateLimit(() => sink.writeInflight({
      accountId: m.accountId, region: unit.region, windowStart: window.start, windowEnd: window.end, runId: settings.runId, accounts: sorted,
    }))));
    const scope: SliceScope = {
      accountId: unit.accountId,
      region: unit.region,
      detectorId: resolution.detectorId,
      sourceAccountId: resolution.ownerAccountId,
      windowStart: window.start,
      windowEnd: window.end,
      runId: settings.runId,
    };
    const query = {
      detectorId: resolution.detectorId,
      window: { fromMs: Date.parse(window.start), toMs: Date.parse(window.end) },
      includeArchived: settings.includeArchived,
      ...(accountIds === undefined ? {} : { accountIds }),
    };
    // Auto-investigate looks at findings created since the last run (first run: the last day).
    const newSinceMs = Math.max(...members.map((m) => (m.watermarkBefore === undefined ? Date.parse(window.end) - DAY_MS : Date.parse(window.start))));
    const offer = hooks.candidates === undefined ? undefined : (f: Finding): void => {
      const c = hooks.candidates;
      if (c === undefined || f.Id === undefined || (f.Severity ?? 0) < c.minSeverity) return;
      if (f.CreatedAt === undefined || Date.parse(f.CreatedAt) < newSinceMs) return;
      c.box.offer({
        findingId: f.Id, accountId: f.AccountId ?? first.accountId, region: unit.region, detectorId: resolution.detectorId,
        severity: f.Severity ?? 0, ...(f.Type === undefined ? {} : { type: f.Type }), ...(f.Title === undefined ? {} : { title: f.Title }),
      });
    };
    const counted = async function* (source: AsyncIterable<Finding[]>): AsyncGenerator<Finding[]> {
      for await (const page of source) {
        // A finding without an account id is kept: the transform quarantines it with its reason.
        const batch = accountIds === undefined ? page.filter((f) => f.AccountId === undefined || accounts.has(f.AccountId)) : page;
        if (batch.length === 0) continue;
        for (const f of batch) counts.set(f.AccountId ?? '', (counts.get(f.AccountId ?? '') ?? 0) + 1);
        hooks.onFindings?.(batch.length);
        yield batch;
      }
    };
    const written = await sink.writeFindings(scope, counted(abortable(findingBatchesByDay(client, query, where, settings.parallelStreams ?? 1), hooks.signal)), offer);
    findings = written.findings;
    quarantined = written.quarantined;
    hooks.onBytes?.(written.bytes);

    const statsEnd = settings.windowEnd;
    const statsStart = new Date(statsEnd.getTime() - settings.statisticsWindowMs);
    const stats = await fetchStatistics(client, {
      detectorId: resolution.detectorId,
      window: { fromMs: statsStart.getTime(), toMs: statsEnd.getTime() },
      includeArchived: settings.includeArchived,
      ...(accountIds === undefined ? {} : { accountIds }),
    }, where);
    const statsWritten = await sink.writeStatistics(scope, stats, { start: statsStart.toISOString(), end: statsEnd.toISOString() });
    statistics = statsWritten.rows;
    hooks.onBytes?.(statsWritten.bytes);

    hooks.signal?.throwIfAborted();
    // Everything of the window is durable: only now may the watermarks move.
    await Promise.all(members.map((m) => stateLimit(async () => {
      const after = await sink.advanceWatermark({ accountId: m.accountId, region: unit.region, updatedThrough: window.end, runId: settings.runId });
      watermarks.set(m.accountId, after.updatedThrough);
      await sink.clearInflight(m.accountId, unit.region);
    })));
    return {
      status: 'ok', window, findings, quarantined, statistics, counts, watermarks,
      durationMs: Date.now() - startedMs,
      ...(hooks.throttles === undefined ? {} : { throttles: hooks.throttles() }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ account: unit.accountId, region: unit.region, err: { name: (error as Error)?.name, message } }, `slice ${where} failed: ${message}`);
    return {
      status: statusOf(error), error: message, window, findings, quarantined, statistics, counts, watermarks,
      durationMs: Date.now() - startedMs,
      ...(hooks.throttles === undefined ? {} : { throttles: hooks.throttles() }),
    };
  }
}

/** The slice status an error ends a slice with. */
function statusOf(error: unknown): SliceReport['status'] {
  return error instanceof AccessDeniedError ? 'access-denied' : error instanceof RegionDisabledError ? 'region-disabled' : 'failed';
}

/** The report of one member of a group. */
export function memberReport(target: Target, detectorId: string, plan: SlicePlan, group: GroupResult, own: { findings: number; quarantined: number; statistics: number }): SliceReport {
  const after = group.watermarks.get(plan.accountId);
  return {
    accountId: target.accountId,
    ...(target.accountName === undefined ? {} : { accountName: target.accountName }),
    region: target.region,
    status: group.status,
    detectorId,
    ...(group.error === undefined ? {} : { error: group.error }),
    ...own,
    investigations: 0,
    windowStart: group.window.start,
    windowEnd: group.window.end,
    ...(plan.watermarkBefore === undefined ? {} : { watermarkBefore: plan.watermarkBefore }),
    ...(after === undefined ? {} : { watermarkAfter: after }),
    durationMs: group.durationMs,
    ...(group.throttles === undefined ? {} : { throttles: group.throttles }),
  };
}

/** A slice whose window could not be planned (e.g. its watermark is unreadable). */
export function failedReport(target: Target, detectorId: string, error: unknown, startedMs: number): SliceReport {
  const message = error instanceof Error ? error.message : String(error);
  return {
    accountId: target.accountId,
    ...(target.accountName === undefined ? {} : { accountName: target.accountName }),
    region: target.region,
    status: statusOf(error),
    detectorId,
    error: message,
    findings: 0, quarantined: 0, statistics: 0, investigations: 0,
    durationMs: Date.now() - startedMs,
  };
}

/** Exports one (account, region) slice on its own detector; never throws (the report carries the error). */
export async function runSlice(
  target: Target,
  resolution: DetectorResolution,
  client: GuardDutyClient,
  settings: SliceSettings,
  hooks: SliceHooks,
): Promise<SliceReport> {
  const startedMs = Date.now();
  if (resolution.status !== 'ok') return gapReport(target, resolution, startedMs);
  let plan: SlicePlan;
  try {
    hooks.signal?.throwIfAborted();
    plan = await planSlice(hooks.sink, target.accountId, target.region, settings);
  } catch (error) {
    hooks.log.warn({ account: target.accountId, region: target.region, err: { name: (error as Error)?.name, message: (error as Error)?.message } }, `slice ${target.accountId}/${target.region} failed: ${(error as Error)?.message}`);
    return failedReport(target, resolution.detectorId, error, startedMs);
  }
  const group = await runGroup(target, [plan], resolution, client, settings, hooks);
  return memberReport(target, resolution.detectorId, plan, group, { findings: group.findings, quarantined: group.quarantined, statistics: group.statistics });
}
