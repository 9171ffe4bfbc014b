/**
 * GuardDuty over REST-JSON: routes, limits and errors as the SDK's model describes them
 * (camelCase wire names; nested timestamps in epoch seconds; errors with x-amzn-errortype).
 */
import { isInvestigationRegion } from '../collect/regions.js';
import { accessDenied, badRequest, internalError, invalidToken, ServiceError } from './errors.js';
import { compileCriteria, namedAccounts, sortMetas, type Criterion, type SortCriteria } from './criteria.js';
import { findingStatistics } from './statistics.js';
import { detectorOf, maxResults } from './guardduty-common.js';
import { InvestigationApi } from './guardduty-investigations.js';
import { decodeToken, jsonBody, jsonReply, page, type EmulatorRequest, type Reply, type ServiceContext, type ServiceModule } from './protocol.js';
import type { IssuedKey } from './credentials.js';
import type { EmulatorDetector, FindingMeta } from './types.js';

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
const QUERY_CACHE_SIZE = 1024;

type Handler = (req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext) => Reply;

export class GuardDutyService implements ServiceModule {
  readonly signingName = 'guardduty';
  /** Sorted finding metadata per (detector, criteria, sort), so paging does not regenerate. */
  private readonly queryCache = new Map<string, FindingMeta[]>();
  private readonly investigations = new InvestigationApi();
  private readonly handlers: Record<string, Handler> = {
    ListDetectors: (req, caller, ctx) => this.listDetectors(req, caller, ctx),
    GetDetector: (req, caller, ctx) => this.getDetector(req, caller, ctx),
    ListFindings: (req, caller, ctx) => this.listFindings(req, caller, ctx),
    GetFindings: (req, caller, ctx) => this.getFindings(req, caller, ctx),
    GetFindingsStatistics: (req, caller, ctx) => this.getFindingsStatistics(req, caller, ctx),
    CreateSampleFindings: (req, caller, ctx) => this.createSampleFindings(req, caller, ctx),
    ListMembers: (req, caller, ctx) => this.listMembers(req, caller, ctx),
    CreateInvestigation: (req, caller, ctx) => this.investigations.createInvestigation(req, caller, ctx),
    ListInvestigations: (req, caller, ctx) => this.investigations.listInvestigations(req, caller, ctx),
    GetInvestigation: (req, caller, ctx) => this.investigations.getInvestigation(req, caller, ctx),
    ListInvestigationRecords: (req, caller, ctx) => this.investigations.listInvestigationRecords(req, caller, ctx),
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

  private listDetectors(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const max = maxResults(req.query.get('maxResults') ?? undefined, 50, 50);
    const detector = ctx.world.detectorFor(caller.accountId, req.region);
    const scope = `detectors/${caller.accountId}/${req.region}`;
    const offset = decodeToken(req.query.get('nextToken') ?? undefined, scope);
    const p = page(detector ? [detector.detectorId] : [], offset, max, scope);
    return jsonReply(200, { detectorIds: p.items, ...(p.nextToken ? { nextToken: p.nextToken } : {}) }, req.requestId);
  }

  private getDetector(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const d = detectorOf(req, caller, ctx);
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
    const detector = detectorOf(req, caller, ctx);
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
    const detector = detectorOf(req, caller, ctx);
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
    const detector = detectorOf(req, caller, ctx);
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
    const detector = detectorOf(req, caller, ctx);
    const body = jsonBody(req);
    const types = Array.isArray(body.findingTypes) ? (body.findingTypes as unknown[]).filter((t): t is string => typeof t === 'string') : [];
    ctx.world.createSampleFindings(detector, types, ctx.clock());
    return jsonReply(200, {}, req.requestId);
  }

  private listMembers(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = detectorOf(req, caller, ctx);
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

}
