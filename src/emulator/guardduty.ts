/**
 * GuardDuty over REST-JSON: routes, limits and errors as the SDK's model describes them
 * (camelCase wire names; nested timestamps in epoch seconds; errors with x-amzn-errortype).
 */
import { isInvestigationRegion } from '../collect/regions.js';
import { accessDenied, badRequest, internalError, invalidToken, ServiceError } from './errors.js';
import { compileCriteria, namedAccounts, sortMetas, type Criterion, type SortCriteria } from './criteria.js';
import { findingStatistics } from './statistics.js';
import {
  investigationRecordsWire, investigationSummaryWire, investigationWire, newInvestigation,
} from './investigation-data.js';
import { decodeToken, jsonBody, jsonReply, page, type EmulatorRequest, type Reply, type ServiceContext, type ServiceModule } from './protocol.js';
import type { IssuedKey } from './credentials.js';
import type { EmulatorDetector, EmulatorInvestigation, FindingMeta } from './types.js';

const ROUTES: ReadonlyArray<readonly [string, RegExp, string]> = [
  ['GET', /^\/detector$/, 'ListDetectors'],
  ['GET', /^\/detector\/[^/]+$/, 'GetDetector'],
  ['POST', /^\/detector\/[^/]+\/findings$/, 'ListFindings'],
  ['POST', /^\/detector\/[^/]+\/findings\/get$/, 'GetFindings'],
  ['POST', /^\/detector\/[^/]+\/findings\/statistics$/, 'GetFindingsStatistics'],
  ['POST', /^\/detector\/[^/]+\/findings\/create$/, 'CreateSampleFindings'],
  ['GET', /^\/detector\/[^/]+\/member$/, 'ListMembers'],
  ['POST', /^\/detector\/[^/]+\/investigation$/, 'CreateInvestigation'],
  ['POST', /^\/detector\/[^/]+\/investigation\/list$/, 'ListInvestigations'],
  ['POST', /^\/detector\/[^/]+\/investigation\/records$/, 'ListInvestigationRecords'],
  ['GET', /^\/detector\/[^/]+\/investigation\/[^/]+$/, 'GetInvestigation'],
];

const INVESTIGATION_OPS = new Set(['CreateInvestigation', 'ListInvestigations', 'ListInvestigationRecords', 'GetInvestigation']);
/** Investigations per administrator per rolling day, and in total (created through the API). */
export const INVESTIGATION_QUOTA = { perDay: 10, total: 100 } as const;
const QUERY_CACHE_SIZE = 64;

type Handler = (req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext) => Reply;

export class GuardDutyService implements ServiceModule {
  readonly signingName = 'guardduty';
  /** Sorted finding metadata per (detector, criteria, sort), so paging does not regenerate. */
  private readonly queryCache = new Map<string, FindingMeta[]>();
  private readonly createdByToken = new Map<string, string>();
  private readonly created: Array<{ admin: string; at: number }> = [];
  private readonly handlers: Record<string, Handler> = {
    ListDetectors: (req, caller, ctx) => this.listDetectors(req, caller, ctx),
    GetDetector: (req, caller, ctx) => this.getDetector(req, caller, ctx),
    ListFindings: (req, caller, ctx) => this.listFindings(req, caller, ctx),
    GetFindings: (req, caller, ctx) => this.getFindings(req, caller, ctx),
    GetFindingsStatistics: (req, caller, ctx) => this.getFindingsStatistics(req, caller, ctx),
    CreateSampleFindings: (req, caller, ctx) => this.createSampleFindings(req, caller, ctx),
    ListMembers: (req, caller, ctx) => this.listMembers(req, caller, ctx),
    CreateInvestigation: (req, caller, ctx) => this.createInvestigation(req, caller, ctx),
    ListInvestigations: (req, caller, ctx) => this.listInvestigations(req, caller, ctx),
    GetInvestigation: (req, caller, ctx) => this.getInvestigation(req, caller, ctx),
    ListInvestigationRecords: (req, caller, ctx) => this.listInvestigationRecords(req, caller, ctx),
  };

  operation(req: EmulatorRequest): string | undefined {
    return ROUTES.find(([method, re]) => method === req.method && re.test(req.path))?.[2];
  }

  admit(op: string, req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): void {
    if (req.region === ctx.world.disabledOptInRegion) throw invalidToken();
    if (ctx.faults.failRegions.has(req.region)) throw internalError('The request processing has failed because of an unknown error, exception or failure.');
    if (ctx.faults.failAccounts.has(caller.accountId)) {
      throw accessDenied(`User: ${caller.arn} is not authorized to perform: guardduty:${op}`);
    }
    if (INVESTIGATION_OPS.has(op) && !isInvestigationRegion(req.region)) {
      throw badRequest(`The request is rejected because investigations are not available in ${req.region}.`);
    }
  }

  handle(op: string, req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const handler = this.handlers[op];
    if (!handler) throw new ServiceError(404, 'UnknownOperationException', `Unknown operation ${op}`);
    return handler(req, caller, ctx);
  }

  error(err: ServiceError, req: EmulatorRequest): Reply {
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code, 'x-amzn-requestid': req.requestId },
      body: JSON.stringify({ message: err.message, __type: err.code }),
    };
  }

  private detectorOf(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): EmulatorDetector {
    const id = req.path.split('/')[2] ?? '';
    const detector = ctx.world.detectorById(id);
    if (!detector || detector.accountId !== caller.accountId || detector.region !== req.region) {
      throw badRequest('The request is rejected because the input detectorId is not owned by the current account.');
    }
    return detector;
  }

  private listDetectors(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const max = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
    const detector = ctx.world.detectorFor(caller.accountId, req.region);
    const scope = `detectors/${caller.accountId}/${req.region}`;
    const offset = decodeToken(req.query.get('nextToken') ?? undefined, scope);
    const p = page(detector ? [detector.detectorId] : [], offset, max, scope);
    return jsonReply(200, { detectorIds: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }

  private getDetector(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const d = this.detectorOf(req, caller, ctx);
    const at = d.createdAt.toISOString();
    const ts = d.createdAt.getTime() / 1000;
    const on = d.status === 'ENABLED' ? 'ENABLED' : 'DISABLED';
    const feature = (name: string, extra: string[] = []) => ({
      name, status: on, updatedAt: ts,
      additionalConfiguration: extra.map((n) => ({ name: n, status: on, updatedAt: ts, managedBy: 'CUSTOMER' })),
      managedBy: 'CUSTOMER',
    });
    return jsonReply(200, {
      serviceRole: `arn:aws:iam::${d.accountId}:role/aws-service-role/guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDuty`,
      status: d.status,
      createdAt: at,
      findingPublishingFrequency: 'SIX_HOURS',
      updatedAt: at,
      dataSources: {
        cloudTrail: { status: on }, dnsLogs: { status: on }, flowLogs: { status: on }, s3Logs: { status: on },
        kubernetes: { auditLogs: { status: on } },
        malwareProtection: {
          scanEc2InstanceWithFindings: { ebsVolumes: { status: on, reason: '' } },
          serviceRole: `arn:aws:iam::${d.accountId}:role/aws-service-role/malware-protection.guardduty.amazonaws.com/AWSServiceRoleForAmazonGuardDutyMalwareProtection`,
        },
      },
      tags: { Owner: 'security' },
      features: [
        feature('CLOUD_TRAIL'), feature('DNS_LOGS'), feature('FLOW_LOGS'), feature('S3_DATA_EVENTS'), feature('EKS_AUDIT_LOGS'),
        feature('EBS_MALWARE_PROTECTION'), feature('RDS_LOGIN_EVENTS'), feature('LAMBDA_NETWORK_LOGS'),
        feature('RUNTIME_MONITORING', ['EKS_ADDON_MANAGEMENT', 'ECS_FARGATE_AGENT_MANAGEMENT', 'EC2_AGENT_MANAGEMENT']),
        ...(isInvestigationRegion(d.region) && d.accountId === ctx.world.adminAccountId ? [feature('AI_ANALYST')] : []),
      ],
    }, req.requestId);
  }

  /** Findings the detector sees that match the criteria, sorted; cached per query. */
  private query(detector: EmulatorDetector, criterion: Criterion | undefined, sort: SortCriteria | undefined, ctx: ServiceContext): FindingMeta[] {
    const key = JSON.stringify([detector.detectorId, criterion ?? null, sort ?? null, ctx.world.sampleVersion]);
    const hit = this.queryCache.get(key);
    if (hit) return hit;
    const test = compileCriteria(criterion);
    const metas: FindingMeta[] = [];
    // An accountId eq/equals criterion narrows which accounts' findings are generated at all.
    const named = new Set(namedAccounts(criterion));
    const accounts = ctx.world.visibleAccounts(detector).filter((a) => named.size === 0 || named.has(a));
    for (const m of ctx.world.metas(accounts, detector.region)) if (test(m)) metas.push(m);
    sortMetas(metas, sort);
    if (this.queryCache.size >= QUERY_CACHE_SIZE) this.queryCache.delete(this.queryCache.keys().next().value as string);
    this.queryCache.set(key, metas);
    return metas;
  }

  private criteria(body: Record<string, unknown>, caller: IssuedKey, ctx: ServiceContext): Criterion | undefined {
    const fc = body.findingCriteria as { criterion?: Criterion } | undefined;
    const criterion = fc?.criterion;
    const denied = namedAccounts(criterion).find((a) => ctx.faults.failAccounts.has(a));
    if (denied !== undefined) throw accessDenied(`User: ${caller.arn} is not authorized to read findings of account ${denied}`);
    return criterion;
  }

  private listFindings(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.detectorOf(req, caller, ctx);
    const body = jsonBody(req);
    const max = maxResults(body.maxResults, 50, 50);
    const criterion = this.criteria(body, caller, ctx);
    const sort = body.sortCriteria as SortCriteria | undefined;
    const metas = this.query(detector, criterion, sort, ctx);
    const scope = JSON.stringify([detector.detectorId, criterion ?? null, sort ?? null]);
    const offset = decodeToken(body.nextToken, scope);
    const p = page(metas, offset, max, scope);
    return jsonReply(200, { findingIds: p.items.map((m) => m.id), ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }

  private getFindings(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.detectorOf(req, caller, ctx);
    const body = jsonBody(req);
    const ids = body.findingIds;
    if (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')) throw badRequest('The request is rejected because findingIds is required.');
    if (ids.length > 50) throw badRequest('The request is rejected because findingIds has more than 50 elements.');
    const visible = new Set(ctx.world.visibleAccounts(detector));
    const metas: FindingMeta[] = [];
    for (const id of ids as string[]) {
      const m = ctx.world.findingMeta(id);
      if (m && m.region === detector.region && visible.has(m.accountId)) metas.push(m);
    }
    const sort = body.sortCriteria as SortCriteria | undefined;
    if (sort !== undefined) sortMetas(metas, sort);
    const findings = metas.map((m) => ctx.world.findingWire(m.id));
    return jsonReply(200, { findings }, req.requestId);
  }

  private getFindingsStatistics(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.detectorOf(req, caller, ctx);
    const body = jsonBody(req);
    const criterion = this.criteria(body, caller, ctx);
    const stats = findingStatistics(this.query(detector, criterion, undefined, ctx), {
      ...(typeof body.groupBy === 'string' ? { groupBy: body.groupBy } : {}),
      ...(typeof body.orderBy === 'string' ? { orderBy: body.orderBy } : {}),
      ...(body.maxResults !== undefined ? { maxResults: Number(body.maxResults) } : {}),
      ...(Array.isArray(body.findingStatisticTypes) ? { findingStatisticTypes: body.findingStatisticTypes as string[] } : {}),
    });
    return jsonReply(200, { findingStatistics: stats }, req.requestId);
  }

  private createSampleFindings(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.detectorOf(req, caller, ctx);
    const body = jsonBody(req);
    const types = Array.isArray(body.findingTypes) ? (body.findingTypes as unknown[]).filter((t): t is string => typeof t === 'string') : [];
    ctx.world.createSampleFindings(detector, types, ctx.clock());
    return jsonReply(200, {}, req.requestId);
  }

  private listMembers(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.detectorOf(req, caller, ctx);
    const max = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
    const onlyAssociated = (req.query.get('onlyAssociated') ?? 'true') !== 'false';
    const { world } = ctx;
    const members = detector.accountId !== world.adminAccountId ? [] : world.accounts
      .filter((a) => a.id !== world.adminAccountId && (!onlyAssociated || a.status === 'ACTIVE'))
      .map((a) => {
        const own = world.detectorFor(a.id, detector.region);
        const invited = new Date(a.joinedAt.getTime() + 2 * 86_400_000).toISOString();
        return {
          accountId: a.id, masterId: world.adminAccountId, email: a.email,
          relationshipStatus: a.status === 'ACTIVE' ? 'Enabled' : 'Removed', updatedAt: invited,
          ...(own ? { detectorId: own.detectorId } : {}), invitedAt: invited, administratorId: world.adminAccountId,
        };
      });
    const scope = `members/${detector.detectorId}/${onlyAssociated}`;
    const p = page(members, decodeToken(req.query.get('nextToken') ?? undefined, scope), max, scope);
    return jsonReply(200, { members: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }

  private adminDetector(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): EmulatorDetector {
    const detector = this.detectorOf(req, caller, ctx);
    if (detector.accountId !== ctx.world.adminAccountId) {
      throw badRequest('The request is rejected because the current account is not the GuardDuty administrator account.');
    }
    return detector;
  }

  /** Created investigations finish 2 s (emulated time) after they started. */
  private refresh(inv: EmulatorInvestigation, ctx: ServiceContext): EmulatorInvestigation {
    if (inv.status === 'RUNNING' && inv.clientToken !== undefined && ctx.clock() - inv.startTime >= 2000) {
      Object.assign(inv, { status: 'COMPLETED', endTime: inv.startTime + 2000, riskLevel: 'Medium', confidence: 'High', title: 'Investigation of recent findings' });
    }
    return inv;
  }

  private createInvestigation(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.adminDetector(req, caller, ctx);
    const body = jsonBody(req);
    const prompt = typeof body.triggerPrompt === 'string' ? body.triggerPrompt : '';
    if (prompt.length === 0) throw badRequest('The request is rejected because triggerPrompt is required.');
    const token = typeof body.clientToken === 'string' && body.clientToken.length > 0 ? body.clientToken : `auto-${this.created.length}`;
    const tokenKey = `${detector.detectorId}/${token}`;
    const existing = this.createdByToken.get(tokenKey);
    if (existing !== undefined) return jsonReply(202, { investigationId: existing }, req.requestId);
    const now = ctx.clock();
    const mine = this.created.filter((c) => c.admin === caller.accountId);
    if (mine.filter((c) => now - c.at < 86_400_000).length >= INVESTIGATION_QUOTA.perDay) {
      throw badRequest(`The request is rejected because the account reached its quota of ${INVESTIGATION_QUOTA.perDay} investigations per day.`);
    }
    if (mine.length >= INVESTIGATION_QUOTA.total) {
      throw badRequest(`The request is rejected because the account reached its quota of ${INVESTIGATION_QUOTA.total} investigations.`);
    }
    const inv = newInvestigation(ctx.world, detector, prompt, token, now, this.created.length);
    this.created.push({ admin: caller.accountId, at: now });
    this.createdByToken.set(tokenKey, inv.investigationId);
    ctx.world.investigationsById.set(inv.investigationId, inv);
    return jsonReply(202, { investigationId: inv.investigationId }, req.requestId);
  }

  private listInvestigations(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.adminDetector(req, caller, ctx);
    const body = jsonBody(req);
    const max = maxResults(body.maxResults, 50, 50);
    const criterion = (body.filterCriteria as { criterion?: Record<string, { equals?: string[]; notEquals?: string[] }> } | undefined)?.criterion ?? {};
    const field: Record<string, (i: EmulatorInvestigation) => string> = {
      STATUS: (i) => i.status, RISK_LEVEL: (i) => i.riskLevel, CONFIDENCE: (i) => i.confidence,
      INVESTIGATION_TYPE: (i) => i.investigationType, FINDING_ID: (i) => i.findingId ?? '',
    };
    for (const key of Object.keys(criterion)) if (!field[key]) throw badRequest(`The request is rejected because filter key ${key} is not supported.`);
    const sort = body.sortCriteria as { attributeName?: string; orderBy?: string } | undefined;
    const sortKey: Record<string, (i: EmulatorInvestigation) => string | number> = {
      START_TIME: (i) => i.startTime, END_TIME: (i) => i.endTime ?? Infinity, STATUS: (i) => i.status, RISK_LEVEL: (i) => i.riskLevel, CONFIDENCE: (i) => i.confidence,
    };
    const by = sortKey[sort?.attributeName ?? 'START_TIME'];
    if (!by) throw badRequest(`The request is rejected because sort attribute ${sort?.attributeName} is not supported.`);
    const dir = (sort?.orderBy ?? 'DESC') === 'ASC' ? 1 : -1;
    const list = ctx.world.investigations({ region: detector.region, adminAccountId: detector.accountId })
      .map((i) => this.refresh(i, ctx))
      .filter((i) => Object.entries(criterion).every(([k, c]) => {
        const v = field[k]?.(i) ?? '';
        return (c.equals === undefined || c.equals.includes(v)) && (c.notEquals === undefined || !c.notEquals.includes(v));
      }))
      .sort((a, b) => {
        const x = by(a);
        const y = by(b);
        return (x < y ? -1 : x > y ? 1 : a.investigationId < b.investigationId ? -1 : 1) * dir;
      });
    const scope = JSON.stringify(['inv', detector.detectorId, criterion, sort ?? null]);
    const p = page(list, decodeToken(body.nextToken, scope), max, scope);
    return jsonReply(200, { investigations: p.items.map(investigationSummaryWire), ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }

  private investigation(id: string, detector: EmulatorDetector, ctx: ServiceContext): EmulatorInvestigation {
    const inv = ctx.world.investigationsById.get(id);
    if (!inv || inv.detectorId !== detector.detectorId) {
      throw new ServiceError(404, 'ResourceNotFoundException', `The investigation ${id} was not found.`);
    }
    return this.refresh(inv, ctx);
  }

  private getInvestigation(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.adminDetector(req, caller, ctx);
    const inv = this.investigation(req.path.split('/')[4] ?? '', detector, ctx);
    const format = req.query.get('summaryFormat') ?? undefined;
    if (format !== undefined && format !== 'STRING' && format !== 'STRUCTURED') throw badRequest('The request is rejected because summaryFormat must be STRING or STRUCTURED.');
    return jsonReply(200, { investigation: investigationWire(inv, format) }, req.requestId);
  }

  private listInvestigationRecords(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = this.adminDetector(req, caller, ctx);
    const body = jsonBody(req);
    const max = maxResults(body.maxResults, 50, 50);
    const inv = this.investigation(typeof body.investigationId === 'string' ? body.investigationId : '', detector, ctx);
    const types = Array.isArray(body.recordTypes) ? (body.recordTypes as string[]) : undefined;
    const records = investigationRecordsWire(inv).filter((r) => types === undefined || types.includes(String(r.type)));
    const scope = JSON.stringify(['rec', inv.investigationId, types ?? null]);
    const p = page(records, decodeToken(body.nextToken, scope), max, scope);
    return jsonReply(200, { investigationId: inv.investigationId, status: inv.status, records: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }
}

/** Validates MaxResults (1..limit); BadRequestException otherwise. */
function maxResults(raw: unknown, limit: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw badRequest(`The request is rejected because maxResults ${String(raw)} is not between 1 and ${limit}.`);
  }
  return n;
}
