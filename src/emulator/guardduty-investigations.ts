/**
 * GuardDuty AI investigations (preview regions only; the server checks the region): create (202,
 * ClientToken idempotent, quota per administrator), list with filters and sort, get, records.
 */
import { ServiceError, badRequest } from './errors.js';
import { adminDetector, maxResults } from './guardduty-common.js';
import {
  investigationRecordsWire, investigationSummaryWire, investigationWire, newInvestigation,
} from './investigation-data.js';
import { decodeToken, jsonBody, jsonReply, page, type EmulatorRequest, type Reply, type ServiceContext } from './protocol.js';
import type { IssuedKey } from './credentials.js';
import type { EmulatorDetector, EmulatorInvestigation } from './types.js';

/** Investigations per administrator per rolling day, and in total (created through the API). */
export const INVESTIGATION_QUOTA = { perDay: 10, total: 100 } as const;

export class InvestigationApi {
  private readonly createdByToken = new Map<string, string>();
  private readonly created: Array<{ admin: string; at: number }> = [];

  /** Created investigations finish 2 s (emulated time) after they started. */
  private refresh(inv: EmulatorInvestigation, ctx: ServiceContext): EmulatorInvestigation {
    if (inv.status === 'RUNNING' && inv.clientToken !== undefined && ctx.clock() - inv.startTime >= 2000) {
      Object.assign(inv, { status: 'COMPLETED', endTime: inv.startTime + 2000, riskLevel: 'Medium', confidence: 'High', title: 'Investigation of recent findings' });
    }
    return inv;
  }

  createInvestigation(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = adminDetector(req, caller, ctx);
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

  listInvestigations(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = adminDetector(req, caller, ctx);
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

  getInvestigation(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = adminDetector(req, caller, ctx);
    const inv = this.investigation(req.path.split('/')[4] ?? '', detector, ctx);
    const format = req.query.get('summaryFormat') ?? undefined;
    if (format !== undefined && format !== 'STRING' && format !== 'STRUCTURED') throw badRequest('The request is rejected because summaryFormat must be STRING or STRUCTURED.');
    return jsonReply(200, { investigation: investigationWire(inv, format) }, req.requestId);
  }

  listInvestigationRecords(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    const detector = adminDetector(req, caller, ctx);
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
