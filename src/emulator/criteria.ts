/**
 * GuardDuty FindingCriteria and SortCriteria over finding metadata. Both operator generations are
 * understood: eq/neq/gt/gte/lt/lte and equals/notEquals/greaterThan/…/matches/notMatches.
 * `updatedAt`/`createdAt` compare in epoch milliseconds.
 */
import { badRequest } from './errors.js';
import type { FindingMeta } from './types.js';

type Condition = Record<string, unknown>;
export type Criterion = Record<string, Condition>;

const FIELDS: Record<string, (m: FindingMeta) => string | number | boolean> = {
  accountId: (m) => m.accountId,
  region: (m) => m.region,
  id: (m) => m.id,
  type: (m) => m.type,
  severity: (m) => m.severity,
  updatedAt: (m) => m.updatedAt,
  createdAt: (m) => m.createdAt,
  confidence: (m) => m.severity,
  'service.archived': (m) => m.archived,
  'service.count': (m) => m.count,
  'resource.resourceType': (m) => m.resourceType,
};

const LIST_OPS = { eq: 'in', equals: 'in', neq: 'notIn', notEquals: 'notIn', matches: 'match', notMatches: 'notMatch' } as const;
const NUM_OPS = { gt: 'gt', greaterThan: 'gt', gte: 'gte', greaterThanOrEqual: 'gte', lt: 'lt', lessThan: 'lt', lte: 'lte', lessThanOrEqual: 'lte' } as const;

const same = (value: string | number | boolean, text: string): boolean =>
  typeof value === 'number' ? Number(text) === value : typeof value === 'boolean' ? text.toLowerCase() === String(value) : text === value;

const wildcard = (pattern: string): RegExp =>
  new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

function strings(field: string, op: string, raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.some((x) => typeof x !== 'string')) throw badRequest(`The request is rejected because criterion ${field}.${op} must be a list of strings.`);
  return raw as string[];
}

/** A predicate for the criteria; throws BadRequestException on an unknown field or operator. */
export function compileCriteria(criterion: Criterion | undefined): (m: FindingMeta) => boolean {
  if (criterion === undefined) return () => true;
  const tests: Array<(m: FindingMeta) => boolean> = [];
  for (const [field, condition] of Object.entries(criterion)) {
    const get = FIELDS[field];
    if (!get) throw badRequest(`The request is rejected because the criterion field ${field} is not supported.`);
    for (const [op, raw] of Object.entries(condition ?? {})) {
      if (raw === undefined || raw === null) continue;
      if (op in LIST_OPS) {
        const list = strings(field, op, raw);
        const kind = LIST_OPS[op as keyof typeof LIST_OPS];
        if (kind === 'in') tests.push((m) => list.some((t) => same(get(m), t)));
        else if (kind === 'notIn') tests.push((m) => !list.some((t) => same(get(m), t)));
        else {
          const res = list.map(wildcard);
          tests.push(kind === 'match' ? (m) => res.some((re) => re.test(String(get(m)))) : (m) => !res.some((re) => re.test(String(get(m)))));
        }
      } else if (op in NUM_OPS) {
        if (typeof raw !== 'number') throw badRequest(`The request is rejected because criterion ${field}.${op} must be a number.`);
        const kind = NUM_OPS[op as keyof typeof NUM_OPS];
        tests.push((m) => {
          const v = Number(get(m));
          return kind === 'gt' ? v > raw : kind === 'gte' ? v >= raw : kind === 'lt' ? v < raw : v <= raw;
        });
      } else {
        throw badRequest(`The request is rejected because the operator ${op} is not supported.`);
      }
    }
  }
  return (m) => tests.every((t) => t(m));
}

/** Account ids an accountId criterion names with eq/equals (for fault injection). */
export function namedAccounts(criterion: Criterion | undefined): string[] {
  const c = criterion?.accountId;
  if (!c) return [];
  return [c.eq, c.equals].flatMap((x) => (Array.isArray(x) ? x.filter((s): s is string => typeof s === 'string') : []));
}

export interface SortCriteria {
  attributeName?: string;
  orderBy?: string;
}

/** Sorts in place by the attribute (ties by id); default by id ascending. */
export function sortMetas(metas: FindingMeta[], sort: SortCriteria | undefined): FindingMeta[] {
  const name = sort?.attributeName ?? 'id';
  const get = FIELDS[name];
  if (!get) throw badRequest(`The request is rejected because sortCriteria.attributeName ${name} is not supported.`);
  if (sort?.orderBy !== undefined && sort.orderBy !== 'ASC' && sort.orderBy !== 'DESC') {
    throw badRequest('The request is rejected because sortCriteria.orderBy must be ASC or DESC.');
  }
  const dir = sort?.orderBy === 'DESC' ? -1 : 1;
  return metas.sort((x, y) => {
    const a = get(x);
    const b = get(y);
    const c = a < b ? -1 : a > b ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
    return c * dir;
  });
}
