/**
 * `exportOrganization`: the whole export run, callable in-process (the CLI command and the demo use
 * it). Accounts → (account × region) targets of this shard → per-slice export under bounded
 * concurrency → investigations (preview regions) → optional auto-investigate → run manifest.
 */
import { randomBytes } from 'node:crypto';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import type { InvestigationSummary } from '@aws-sdk/client-guardduty';
import pLimit from 'p-limit';
import type { Logger } from 'pino';
import type { ExportConfig } from '../config.js';
import type { RunManifest, SliceReport } from '../lake/types.js';
import type { ExitCode } from '../types.js';
import { resolveAccounts } from './accounts.js';
import {
  AUTO_INVESTIGATE_FLOOR, CandidateBox, INVESTIGATION_QUOTA, InvestigationQuota, createInvestigation,
} from './auto-investigate.js';
import { BASE_ACCOUNT, ClientFactory } from './clients.js';
import { AssumeRoleCredentials } from './credentials.js';
import { gapOf, listMemberStatus, memberCoverage, resolveDetector } from './detectors.js';
import { AccessDeniedError, CollectError } from './errors.js';
import { fetchInvestigation, listInvestigationSummaries, needsFetch, type InvestigationDetail } from './investigations.js';
import { RequestGate, type CallStats } from './limits.js';
import { isInvestigationRegion } from './regions.js';
import type { ExportSink } from './sink.js';
import {
  failedReport, gapReport, groupByWindow, memberReport, planSlice, runGroup, runSlice, type SlicePlan, type SliceSettings,
} from './slice.js';
import { buildTargets, selectShard, shardOf } from './targets.js';
import type { DetectorResolution, Target } from './types.js';

/** The settings of an export run (the `export` command's config; the demo passes the same). */
export type ExportSettings = Pick<ExportConfig,
  | 'accounts' | 'ous' | 'excludeAccounts' | 'mode' | 'roleName' | 'externalId' | 'regions' | 'homeRegion'
  | 'lookbackMs' | 'overlapMs' | 'includeArchived' | 'statisticsWindowMs' | 'autoInvestigate'
  | 'concurrency' | 'targetConcurrency' | 'maxAttempts' | 'shard'> & { readonly runId?: string };

export interface ExportDeps {
  readonly log: Logger;
  /** Where the data goes (see lake-sink.ts for the lake-backed one). */
  readonly sink: ExportSink;
  readonly progress?: { update(text: string): void; done(text: string): void };
  /** Aborting stops new work; unfinished slices keep their watermark. */
  readonly signal?: AbortSignal;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

export interface ExportOutcome {
  readonly manifest: RunManifest;
  readonly exitCode: ExitCode;
  /** Why the exit code is 1 (empty when 0). */
  readonly reason: string;
  readonly stats: CallStats;
}

/** `20261122T043000Z-1a2b3c`: sortable, unique enough, valid in keys. */
export function newRunId(now: Date): string {
  const iso = now.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z-${randomBytes(3).toString('hex')}`;
}

const FAILED_STATUSES = new Set<SliceReport['status']>(['access-denied', 'failed']);

interface AdminRegion {
  readonly resolution: DetectorResolution;
  readonly members: ReadonlyMap<string, string>;
}

export async function exportOrganization(settings: ExportSettings, deps: ExportDeps): Promise<ExportOutcome> {
  const now = deps.now ?? (() => new Date());
  const startedAt = now();
  const runId = settings.runId ?? newRunId(startedAt);
  const log = deps.log.child({ run_id: runId });
  const delegated = settings.mode === 'delegated-admin';
  const gate = new RequestGate({ concurrency: settings.concurrency, scopeConcurrency: settings.targetConcurrency });
  const assume = delegated ? undefined : new AssumeRoleCredentials({
    roleName: settings.roleName, homeRegion: settings.homeRegion, maxAttempts: settings.maxAttempts, runId,
    ...(settings.externalId === undefined ? {} : { externalId: settings.externalId }),
  });
  const factory = new ClientFactory({
    maxAttempts: settings.maxAttempts, homeRegion: settings.homeRegion, gate,
    ...(assume === undefined ? {} : { credentialsFor: (id: string) => (id === BASE_ACCOUNT ? undefined : assume.forAccount(id)) }),
  });
  try {
    // Accounts and targets.
    const accounts = await resolveAccounts(factory.organizations(), {
      accounts: settings.accounts,
      ...(settings.ous === undefined ? {} : { ous: settings.ous }),
      ...(settings.excludeAccounts === undefined ? {} : { excludeAccounts: settings.excludeAccounts }),
    });
    const adminAccountId = delegated ? await callerAccount(factory, log) : undefined;
    // delegated-admin: the unit of work is the administrator's detector in a region (one findings
    // stream, one watermark, one set of files per day for every member); shards split regions.
    // assume-role: the unit is each (account, region).
    const adminKey = adminAccountId ?? BASE_ACCOUNT;
    const shardRegions = delegated
      ? settings.regions.filter((region) => settings.shard.count <= 1 || shardOf({ accountId: adminKey, region }, settings.shard.count) === settings.shard.index)
      : settings.regions;
    const targets = delegated
      ? buildTargets(accounts.active, shardRegions)
      : selectShard(buildTargets(accounts.active, settings.regions), settings.shard);
    log.info({ accounts: accounts.active.length, skipped_accounts: accounts.skipped.length, regions: settings.regions.length, targets: targets.length, shard: settings.shard, mode: settings.mode, admin_account: adminAccountId }, 'export started');

    // delegated-admin: the administrator's detector and member list, once per region.
    const adminRegions = new Map<string, Promise<AdminRegion>>();
    const adminRegion = (region: string): Promise<AdminRegion> => {
      let p = adminRegions.get(region);
      if (p === undefined) {
        p = (async () => {
          const client = factory.guardDuty(adminAccountId ?? BASE_ACCOUNT, region);
          const where = `${adminAccountId ?? 'administrator'}/${region}`;
          const resolution = await resolveDetector(client, adminAccountId ?? BASE_ACCOUNT, where);
          if (resolution.status !== 'ok') return { resolution, members: new Map() };
          try {
            return { resolution, members: await listMemberStatus(client, resolution.detectorId, where) };
          } catch (error) {
            return { resolution: gapOf(error), members: new Map() };
          }
        })();
        adminRegions.set(region, p);
      }
      return p;
    };

    // Slices.
    const autoFloor = settings.autoInvestigate === 'off' ? undefined : AUTO_INVESTIGATE_FLOOR[settings.autoInvestigate];
    const box = new CandidateBox();
    const sliceSettings: SliceSettings = {
      runId, windowEnd: startedAt, lookbackMs: settings.lookbackMs, overlapMs: settings.overlapMs,
      includeArchived: settings.includeArchived, statisticsWindowMs: settings.statisticsWindowMs,
      // Half the per-(account, region) limit: each stream keeps a ListFindings and a GetFindings in flight.
      parallelStreams: Math.max(1, Math.floor(settings.targetConcurrency / 2)),
    };
    let done = 0;
    let findingsSoFar = 0;
    let bytesWritten = 0;
    const progress = (): void => deps.progress?.update(`targets ${done}/${targets.length} · findings ${findingsSoFar.toLocaleString('en-US')} · throttles ${gate.stats.throttles}`);
    const sliceLimit = pLimit(Math.max(1, settings.concurrency));
    const reports = new Map<Target, SliceReport>();
    const investigationsByAccountRegion = new Map<string, number>();

    const units: SliceReport[] = [];
    // Watermark and in-flight reads of a region's members: small lake reads, a few at a time.
    const planLimit = pLimit(16);
    const finish = (t: Target, report: SliceReport): void => {
      reports.set(t, report);
      done += 1;
      logSlice(log, report);
    };
    const hooksFor = (accountId: string, region: string) => ({
      log, sink: deps.sink,
      ...(deps.signal === undefined ? {} : { signal: deps.signal }),
      onFindings: (n: number) => { findingsSoFar += n; progress(); },
      onBytes: (n: number) => { bytesWritten += n; },
      ...(autoFloor !== undefined && delegated && isInvestigationRegion(region) ? { candidates: { box, minSeverity: autoFloor } } : {}),
      throttles: () => gate.stats.throttlesByScope.get(`${accountId}/${region}`) ?? 0,
    });

    // delegated-admin: the administrator's detector in a region serves every member; members that
    // share a window (normally all of them) are exported as one group.
    const regionTask = async (region: string, members: readonly Target[]): Promise<void> => {
      if (deps.signal?.aborted === true) {
        for (const t of members) finish(t, skipped(t, 'run aborted before this slice started'));
        return;
      }
      const startedMs = Date.now();
      const admin = await adminRegion(region);
      const resolved = admin.resolution;
      if (resolved.status !== 'ok') {
        for (const t of members) finish(t, gapReport(t, resolved, startedMs));
        progress();
        return;
      }
      const covered: Target[] = [];
      for (const t of members) {
        const c = memberCoverage(t.accountId, { accountId: adminAccountId, detectorId: resolved.detectorId, region }, admin.members);
        if (c.status === 'ok') covered.push(t);
        else finish(t, gapReport(t, c, startedMs));
      }
      const coveredById = new Map(covered.map((t) => [t.accountId, t]));
      const plans = new Map<string, SlicePlan>();
      await Promise.all(covered.map((t) => planLimit(async () => {
        try {
          plans.set(t.accountId, await planSlice(deps.sink, t.accountId, region, sliceSettings));
        } catch (error) {
          finish(t, failedReport(t, resolved.detectorId, error, startedMs));
        }
      })));
      const unitTarget: Target = { accountId: adminKey, region };
      for (const group of groupByWindow(covered.flatMap((t) => plans.get(t.accountId) ?? []))) {
        const result = await runGroup(unitTarget, group, resolved, factory.guardDuty(adminKey, region), sliceSettings, hooksFor(adminKey, region));
        const unit = memberReport(unitTarget, resolved.detectorId, group[0] as SlicePlan, result, { findings: result.findings, quarantined: result.quarantined, statistics: result.statistics });
        units.push(unit);
        logUnit(log, unit, group.length);
        for (const plan of group) {
          const t = coveredById.get(plan.accountId) as Target;
          finish(t, memberReport(t, resolved.detectorId, plan, result, { findings: result.counts.get(t.accountId) ?? 0, quarantined: 0, statistics: 0 }));
        }
      }
      progress();
    };

    // assume-role: each (account, region) with its own detector; investigations where it has them.
    const targetTask = async (t: Target): Promise<void> => {
      if (deps.signal?.aborted === true) {
        finish(t, skipped(t, 'run aborted before this slice started'));
        return;
      }
      const resolution = await resolveDetector(factory.guardDuty(t.accountId, t.region), t.accountId, `${t.accountId}/${t.region}`);
      const report = await runSlice(t, resolution, factory.guardDuty(t.accountId, t.region), sliceSettings, hooksFor(t.accountId, t.region));
      let final: SliceReport = { ...report, investigations: 0 };
      if (report.status === 'ok' && report.detectorId !== undefined && isInvestigationRegion(t.region)) {
        try {
          const r = await exportInvestigations(t.accountId, t.region, report.detectorId, factory, deps.sink, runId);
          final = { ...report, investigations: r.investigations };
        } catch (error) {
          if (isNotAdministrator(error)) {
            log.debug({ account: t.accountId, region: t.region }, `investigations of ${t.accountId}/${t.region} skipped: only the GuardDuty administrator account lists them`);
          } else {
            log.warn({ account: t.accountId, region: t.region, err: describe(error) }, `investigations of ${t.accountId}/${t.region} failed: ${describe(error).message}`);
            final = { ...report, status: 'failed', error: `investigations: ${describe(error).message}` };
          }
        }
      }
      finish(t, final);
      progress();
    };

    const sliceTasks = delegated
      ? shardRegions.map((region) => sliceLimit(() => regionTask(region, targets.filter((t) => t.region === region))))
      : targets.map((t) => sliceLimit(() => targetTask(t)));

    // delegated-admin: the administrator's investigations per preview region, each region in one shard.
    const summariesByRegion = new Map<string, InvestigationSummary[]>();
    const investigationRegions = delegated && adminAccountId !== undefined && targets.length > 0
      ? shardRegions.filter((r) => isInvestigationRegion(r))
      : [];
    let investigationTotals = { investigations: 0, records: 0, bytes: 0 };
    const investigationErrors: string[] = [];
    const investigationTasks = investigationRegions.map(async (region) => {
      const admin = await adminRegion(region);
      if (admin.resolution.status !== 'ok' || adminAccountId === undefined) return;
      try {
        const r = await exportInvestigations(adminAccountId, region, admin.resolution.detectorId, factory, deps.sink, runId);
        summariesByRegion.set(region, r.summaries);
        investigationTotals = { investigations: investigationTotals.investigations + r.investigations, records: investigationTotals.records + r.records, bytes: investigationTotals.bytes + r.bytes };
        for (const s of r.fetched) {
          const key = `${s.summary.AccountId ?? adminAccountId}/${region}`;
          investigationsByAccountRegion.set(key, (investigationsByAccountRegion.get(key) ?? 0) + 1);
        }
      } catch (error) {
        investigationErrors.push(`${region}: ${describe(error).message}`);
        log.warn({ region, err: describe(error) }, `investigations of ${region} failed: ${describe(error).message}`);
      }
    });

    await Promise.all([...sliceTasks, ...investigationTasks]);

    // Auto-investigate (administrator only).
    const created: Array<{ accountId: string; region: string; findingId: string; investigationId: string }> = [];
    if (autoFloor !== undefined) {
      if (!delegated || adminAccountId === undefined) {
        log.info({ auto_investigate: settings.autoInvestigate }, 'auto-investigate skipped: only the GuardDuty administrator (delegated-admin mode) can create investigations');
      } else if (deps.signal?.aborted !== true) {
        created.push(...await autoInvestigate(box, summariesByRegion, adminAccountId, factory, now(), log));
      }
    }

    // Manifest.
    const slices = targets.map((t) => {
      const r = reports.get(t) ?? skipped(t, 'not run');
      const inv = investigationsByAccountRegion.get(`${t.accountId}/${t.region}`);
      return delegated && inv !== undefined ? { ...r, investigations: inv } : r;
    });
    const failed = slices.filter((s) => FAILED_STATUSES.has(s.status) || (s.status === 'skipped'));
    const gaps = slices.filter((s) => s.status !== 'ok' && !failed.includes(s));
    // delegated-admin: findings, quarantine and statistics are counted once per unit (region).
    const totalOf = (k: 'findings' | 'quarantined' | 'statistics' | 'investigations'): number => (delegated && k !== 'investigations' ? units : slices).reduce((n, s) => n + s[k], 0);
    const regionsSkipped = [...new Set(slices.filter((s) => s.status === 'region-disabled').map((s) => s.region))]
      .map((region) => ({ region, reason: slices.find((s) => s.region === region && s.status === 'region-disabled')?.error ?? 'region not enabled' }));
    const manifest: RunManifest = {
      runId,
      command: 'export',
      startedAt: startedAt.toISOString(),
      finishedAt: now().toISOString(),
      shard: { index: settings.shard.index, count: settings.shard.count },
      mode: settings.mode,
      accounts: [...accounts.active, ...accounts.skipped].map((a) => ({ id: a.id, ...(a.name === undefined ? {} : { name: a.name }), ...(a.status === undefined ? {} : { status: a.status }) })),
      slices,
      ...(delegated ? { units: [...units].sort((a, b) => (a.region < b.region ? -1 : a.region > b.region ? 1 : 0)) } : {}),
      totals: {
        findings: totalOf('findings'),
        quarantined: totalOf('quarantined'),
        statistics: totalOf('statistics'),
        investigations: delegated ? investigationTotals.investigations : totalOf('investigations'),
        investigationRecords: investigationTotals.records,
        investigationsCreated: created.length,
        failedSlices: failed.length,
        gapSlices: gaps.length,
        bytesWritten: bytesWritten + investigationTotals.bytes,
      },
      ...(regionsSkipped.length > 0 ? { regionsSkipped } : {}),
      ...(created.length > 0 ? { investigationsCreated: created } : {}),
    };
    await deps.sink.writeManifest(manifest);

    const reasons: string[] = [];
    if (failed.length > 0) reasons.push(`${failed.length} of ${slices.length} slices failed (${failed.slice(0, 5).map((s) => `${s.accountId}/${s.region} ${s.status}`).join(', ')}${failed.length > 5 ? ', …' : ''})`);
    if (manifest.totals.quarantined > 0) reasons.push(`${manifest.totals.quarantined} malformed findings quarantined`);
    if (investigationErrors.length > 0) reasons.push(`investigations failed in ${investigationErrors.join('; ')}`);
    const exitCode: ExitCode = reasons.length > 0 ? 1 : 0;
    const reason = reasons.join('; ');
    deps.progress?.done(`targets ${done}/${targets.length} · findings ${manifest.totals.findings.toLocaleString('en-US')} · throttles ${gate.stats.throttles}`);
    const summary = { findings: manifest.totals.findings, quarantined: manifest.totals.quarantined, slices: slices.length, failed_slices: failed.length, gap_slices: gaps.length, calls: gate.stats.calls, throttles: gate.stats.throttles, investigations_created: created.length, duration_ms: Date.parse(manifest.finishedAt) - startedAt.getTime() };
    if (exitCode === 0) log.info(summary, `export finished: ${manifest.totals.findings} findings from ${slices.length - gaps.length} slices${gaps.length > 0 ? `, ${gaps.length} coverage gaps (no detector / suspended / region not enabled)` : ''}`);
    else log.error({ ...summary, reason }, `export incomplete: ${reason}`);
    return { manifest, exitCode, reason, stats: gate.stats };
  } finally {
    factory.destroy();
  }
}

/** GuardDuty's answer when the investigation quota is used up. */
function isQuotaError(error: unknown): boolean {
  return error instanceof CollectError && error.awsCode === 'BadRequestException' && /quota/i.test(error.message);
}

/** GuardDuty's answer to investigation calls from an account that is not the administrator. */
function isNotAdministrator(error: unknown): boolean {
  return error instanceof CollectError && error.awsCode === 'BadRequestException' && /administrator/i.test(error.message);
}

function skipped(t: Target, reason: string): SliceReport {
  return { accountId: t.accountId, ...(t.accountName === undefined ? {} : { accountName: t.accountName }), region: t.region, status: 'skipped', error: reason, findings: 0, quarantined: 0, statistics: 0, investigations: 0, durationMs: 0 };
}

function logUnit(log: Logger, u: SliceReport, members: number): void {
  const fields = { account: u.accountId, region: u.region, status: u.status, members, findings: u.findings, quarantined: u.quarantined, statistics: u.statistics, duration_ms: u.durationMs, throttles: u.throttles ?? 0, window_start: u.windowStart, window_end: u.windowEnd, ...(u.error === undefined ? {} : { reason: u.error }) };
  if (u.status === 'ok') log.info(fields, `detector ${u.accountId}/${u.region} exported for ${members} accounts`);
  else log.warn(fields, `detector ${u.accountId}/${u.region}: ${u.status}`);
}

function describe(error: unknown): { name: string; message: string } {
  return error instanceof Error ? { name: error.name, message: error.message } : { name: 'Error', message: String(error) };
}

function logSlice(log: Logger, r: SliceReport): void {
  const fields = { account: r.accountId, region: r.region, status: r.status, findings: r.findings, quarantined: r.quarantined, statistics: r.statistics, investigations: r.investigations, duration_ms: r.durationMs, throttles: r.throttles ?? 0, window_start: r.windowStart, window_end: r.windowEnd, ...(r.error === undefined ? {} : { reason: r.error }) };
  if (r.status === 'ok') log.info(fields, `slice ${r.accountId}/${r.region} exported`);
  else log.warn(fields, `slice ${r.accountId}/${r.region}: ${r.status}`);
}

/** The account of the base credentials (the GuardDuty administrator in delegated-admin mode). */
async function callerAccount(factory: ClientFactory, log: Logger): Promise<string | undefined> {
  try {
    const out = await factory.sts().send(new GetCallerIdentityCommand({}));
    return out.Account;
  } catch (error) {
    log.warn({ err: describe(error) }, `sts:GetCallerIdentity failed (${describe(error).message}); the administrator account is unknown: its own findings and investigations are not exported`);
    return undefined;
  }
}

/** Lists a detector's investigations, fetches new and running ones, writes them. */
async function exportInvestigations(
  ownerAccountId: string, region: string, detectorId: string, factory: ClientFactory, sink: ExportSink, runId: string,
): Promise<{ investigations: number; records: number; bytes: number; summaries: InvestigationSummary[]; fetched: InvestigationDetail[] }> {
  const client = factory.guardDuty(ownerAccountId, region);
  const where = `${ownerAccountId}/${region}`;
  const summaries = await listInvestigationSummaries(client, detectorId, where);
  const finished = await sink.readFinishedInvestigations(ownerAccountId, region);
  const todo = summaries.filter((s) => needsFetch(s, finished));
  const fetched = await Promise.all(todo.map((s) => fetchInvestigation(client, detectorId, s, where)));
  if (fetched.length === 0) return { investigations: 0, records: 0, bytes: 0, summaries, fetched };
  const written = await sink.writeInvestigations({ accountId: ownerAccountId, region, detectorId, sourceAccountId: ownerAccountId, runId }, fetched);
  for (const d of fetched) {
    if (d.investigation.Status !== 'RUNNING' && d.investigation.InvestigationId !== undefined) finished.add(d.investigation.InvestigationId);
  }
  await sink.writeFinishedInvestigations(ownerAccountId, region, finished);
  return { investigations: written.investigations.rows, records: written.records.rows, bytes: written.investigations.bytes + written.records.bytes, summaries, fetched };
}

async function autoInvestigate(
  box: CandidateBox,
  summariesByRegion: ReadonlyMap<string, InvestigationSummary[]>,
  adminAccountId: string,
  factory: ClientFactory,
  now: Date,
  log: Logger,
): Promise<Array<{ accountId: string; region: string; findingId: string; investigationId: string }>> {
  const quota = new InvestigationQuota([...summariesByRegion.values()].flat(), now);
  const created: Array<{ accountId: string; region: string; findingId: string; investigationId: string }> = [];
  for (const c of box.all()) {
    if (!summariesByRegion.has(c.region)) continue; // that region's investigations are not listed by this shard
    if (quota.has(c.findingId)) continue;
    if (!quota.take(c.findingId)) {
      log.info({ account: c.accountId, region: c.region, finding_id: c.findingId }, `auto-investigate: quota reached (${INVESTIGATION_QUOTA.perAccountPerDay} per day, ${INVESTIGATION_QUOTA.total} in total); not created`);
      continue;
    }
    try {
      const investigationId = await createInvestigation(factory.guardDuty(adminAccountId, c.region), c);
      if (quota.known.has(investigationId)) {
        // The ClientToken matched an earlier run's request: GuardDuty returned that investigation.
        quota.release(c.findingId, true);
        log.debug({ account: c.accountId, region: c.region, finding_id: c.findingId, investigation_id: investigationId }, 'auto-investigate: finding already has an investigation');
        continue;
      }
      quota.known.add(investigationId);
      created.push({ accountId: c.accountId, region: c.region, findingId: c.findingId, investigationId });
      log.info({ account: c.accountId, region: c.region, finding_id: c.findingId, investigation_id: investigationId, severity: c.severity }, `auto-investigate: investigation ${investigationId} created for finding ${c.findingId}`);
    } catch (error) {
      quota.release(c.findingId);
      log.warn({ account: c.accountId, region: c.region, finding_id: c.findingId, err: describe(error) }, `auto-investigate: CreateInvestigation failed: ${describe(error).message}`);
      if (error instanceof AccessDeniedError || isNotAdministrator(error) || isQuotaError(error)) break;
    }
  }
  return created;
}
