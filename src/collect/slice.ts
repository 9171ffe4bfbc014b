/**
 * One (account, region) slice of an export: window from the watermark, findings → lake, statistics
 * → lake, and only then the watermark. Any error ends the slice as `failed` (or `access-denied`)
 * with the watermark untouched; it never stops the other slices.
 */
import type { Finding, GuardDutyClient } from '@aws-sdk/client-guardduty';
import type { Logger } from 'pino';
import type { SliceReport } from '../lake/types.js';
import { AccessDeniedError, RegionDisabledError } from './errors.js';
import { findingBatches } from './findings.js';
import { fetchStatistics } from './statistics.js';
import type { CandidateBox } from './auto-investigate.js';
import type { ExportSink, SliceScope } from './sink.js';
import type { DetectorResolution, Target } from './types.js';

export interface SliceSettings {
  readonly runId: string;
  /** End of every slice's window: the run's start. */
  readonly windowEnd: Date;
  readonly lookbackMs: number;
  readonly overlapMs: number;
  readonly includeArchived: boolean;
  readonly statisticsWindowMs: number;
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
/** GuardDuty keeps findings 90 days; a window never starts earlier. */
const RETENTION_MS = 90 * DAY_MS;

async function* abortable<T>(source: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  for await (const item of source) {
    signal?.throwIfAborted();
    yield item;
  }
}

function gapReport(target: Target, resolution: Exclude<DetectorResolution, { status: 'ok' }>, startedMs: number): SliceReport {
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

/** Exports one slice; never throws (the report carries the error). */
export async function runSlice(
  target: Target,
  resolution: DetectorResolution,
  client: GuardDutyClient,
  settings: SliceSettings,
  hooks: SliceHooks,
): Promise<SliceReport> {
  const startedMs = Date.now();
  const where = `${target.accountId}/${target.region}`;
  if (resolution.status !== 'ok') return gapReport(target, resolution, startedMs);
  const { sink, log } = hooks;
  let findings = 0;
  let quarantined = 0;
  let statistics = 0;
  let watermarkBefore: string | undefined;
  let window: { start: string; end: string } | undefined;
  try {
    hooks.signal?.throwIfAborted();
    const wm = await sink.readWatermark(target.accountId, target.region);
    watermarkBefore = wm?.updatedThrough;
    const windowEndMs = settings.windowEnd.getTime();
    const fromMs = wm === undefined
      ? windowEndMs - settings.lookbackMs
      : Math.max(Date.parse(wm.updatedThrough) - settings.overlapMs, windowEndMs - RETENTION_MS);
    window = { start: new Date(fromMs).toISOString(), end: settings.windowEnd.toISOString() };
    // A window an earlier run started from the same watermark (or, before the first watermark, any
    // window) and did not finish is redone as it was, so this run writes the same object keys and
    // overwrites what the crashed run left instead of adding a second copy beside it.
    const inflight = await sink.readInflight(target.accountId, target.region);
    const sameStart = wm === undefined || inflight?.windowStart === window.start;
    if (inflight !== undefined && sameStart && Date.parse(inflight.windowEnd) <= windowEndMs) {
      window = { start: inflight.windowStart, end: inflight.windowEnd };
    } else {
      await sink.writeInflight({ accountId: target.accountId, region: target.region, windowStart: window.start, windowEnd: window.end, runId: settings.runId });
    }
    const scope: SliceScope = {
      accountId: target.accountId,
      region: target.region,
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
      // Always this account's findings only: an administrator's detector (delegated-admin mode, or
      // the administrator's own slice in assume-role mode) returns every member's.
      accountId: target.accountId,
    };
    const newSinceMs = wm === undefined ? windowEndMs - DAY_MS : Date.parse(wm.updatedThrough) - settings.overlapMs;
    const offer = hooks.candidates === undefined ? undefined : (f: Finding): void => {
      const c = hooks.candidates;
      if (c === undefined || f.Id === undefined || (f.Severity ?? 0) < c.minSeverity) return;
      if (f.CreatedAt === undefined || Date.parse(f.CreatedAt) < newSinceMs) return;
      c.box.offer({
        findingId: f.Id, accountId: f.AccountId ?? target.accountId, region: target.region, detectorId: resolution.detectorId,
        severity: f.Severity ?? 0, ...(f.Type === undefined ? {} : { type: f.Type }), ...(f.Title === undefined ? {} : { title: f.Title }),
      });
    };
    const counted = async function* (source: AsyncIterable<Finding[]>): AsyncGenerator<Finding[]> {
      for await (const batch of source) {
        hooks.onFindings?.(batch.length);
        yield batch;
      }
    };
    const written = await sink.writeFindings(scope, counted(abortable(findingBatches(client, query, where), hooks.signal)), offer);
    findings = written.findings;
    quarantined = written.quarantined;
    hooks.onBytes?.(written.bytes);

    const statsEnd = settings.windowEnd;
    const statsStart = new Date(statsEnd.getTime() - settings.statisticsWindowMs);
    const stats = await fetchStatistics(client, {
      detectorId: resolution.detectorId,
      window: { fromMs: statsStart.getTime(), toMs: statsEnd.getTime() },
      includeArchived: settings.includeArchived,
      accountId: target.accountId,
    }, where);
    const statsWritten = await sink.writeStatistics(scope, stats, { start: statsStart.toISOString(), end: statsEnd.toISOString() });
    statistics = statsWritten.rows;
    hooks.onBytes?.(statsWritten.bytes);

    hooks.signal?.throwIfAborted();
    // Everything of the window is durable: only now may the watermark move.
    const after = await sink.advanceWatermark({ accountId: target.accountId, region: target.region, updatedThrough: window.end, runId: settings.runId });
    await sink.clearInflight(target.accountId, target.region);
    return {
      accountId: target.accountId,
      ...(target.accountName === undefined ? {} : { accountName: target.accountName }),
      region: target.region,
      status: 'ok',
      detectorId: resolution.detectorId,
      findings, quarantined, statistics, investigations: 0,
      windowStart: window.start, windowEnd: window.end,
      ...(watermarkBefore === undefined ? {} : { watermarkBefore }),
      watermarkAfter: after.updatedThrough,
      durationMs: Date.now() - startedMs,
      ...(hooks.throttles === undefined ? {} : { throttles: hooks.throttles() }),
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log.warn({ account: target.accountId, region: target.region, err: { name: (error as Error)?.name, message } }, `slice ${where} failed: ${message}`);
    const status = error instanceof AccessDeniedError ? 'access-denied' : error instanceof RegionDisabledError ? 'region-disabled' : 'failed';
    return {
      accountId: target.accountId,
      ...(target.accountName === undefined ? {} : { accountName: target.accountName }),
      region: target.region,
      status,
      detectorId: resolution.detectorId,
      error: message,
      findings, quarantined, statistics, investigations: 0,
      ...(window === undefined ? {} : { windowStart: window.start, windowEnd: window.end }),
      ...(watermarkBefore === undefined ? {} : { watermarkBefore, watermarkAfter: watermarkBefore }),
      durationMs: Date.now() - startedMs,
      ...(hooks.throttles === undefined ? {} : { throttles: hooks.throttles() }),
    };
  }
}
