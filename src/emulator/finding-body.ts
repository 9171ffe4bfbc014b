/**
 * Builds findings lazily from (seed, account index, region index, finding index): the metadata
 * ListFindings needs first, then — continuing the same random stream — the full wire body.
 * Nested timestamps are epoch seconds (numbers); top-level createdAt/updatedAt are ISO strings.
 */
import { Rng, hash32 } from './random.js';
import { FINDING_KINDS, HOSTILE_TEXT, SEVERITY_BANDS, type FindingKind } from './finding-kinds.js';
import { KIND_BUILDERS, type BodyContext } from './finding-resources.js';
import type { FindingMeta } from './types.js';

const DAY_MS = 86_400_000;
/** Findings spread over this window before `now`. */
export const FINDING_WINDOW_MS = 56 * DAY_MS;

export interface FindingSource {
  seed: number;
  nowMs: number;
  accountIds: readonly string[];
  regions: readonly string[];
  findingsPerAccount: number;
  detectorId(accountIndex: number, regionIndex: number): string;
}

type Wire = Record<string, unknown>;

/** Encodes the position in the id so GetFindings can rebuild it: 20 hash hex + 4 account + 2 region + 6 index. */
export function findingId(seed: number, a: number, r: number, i: number): string {
  const h = (n: number) => hash32(seed, 0x1d, a, r, i, n).toString(16).padStart(8, '0');
  return (h(1) + h(2) + h(3)).slice(0, 20) + a.toString(16).padStart(4, '0') + r.toString(16).padStart(2, '0') + i.toString(16).padStart(6, '0');
}

export function decodeFindingId(id: string): { a: number; r: number; i: number } | undefined {
  if (!/^[0-9a-f]{32}$/.test(id)) return undefined;
  return { a: parseInt(id.slice(20, 24), 16), r: parseInt(id.slice(24, 26), 16), i: parseInt(id.slice(26), 16) };
}

const iso = (ms: number): string => new Date(ms).toISOString();

function kindOf(a: number, r: number, i: number): FindingKind {
  const kind = FINDING_KINDS[(i + a * 3 + r * 7) % FINDING_KINDS.length];
  if (kind === undefined) throw new RangeError('no finding kinds');
  return kind;
}

function severityFor(rng: Rng, kind: FindingKind): number {
  const [lo, hi] = kind.severity ?? (() => {
    const x = rng.next();
    return x < 0.35 ? SEVERITY_BANDS.low : x < 0.7 ? SEVERITY_BANDS.medium : SEVERITY_BANDS.high;
  })();
  return Math.round((lo + rng.next() * (hi - lo)) * 10) / 10;
}

interface Drawn {
  meta: FindingMeta;
  rng: Rng;
  kind: FindingKind;
  title: string;
  resourceIndex: number;
}

function draw(src: FindingSource, a: number, r: number, i: number): Drawn {
  const accountId = src.accountIds[a];
  const region = src.regions[r];
  if (accountId === undefined || region === undefined) throw new RangeError(`no finding at ${a}/${r}/${i}`);
  const rng = new Rng(src.seed, 0xf1, a, r, i);
  const kind = kindOf(a, r, i);
  const [type, title] = rng.pick(kind.types);
  const severity = severityFor(rng, kind);
  const createdAt = Math.round(src.nowMs - rng.next() * FINDING_WINDOW_MS);
  const updated = rng.chance(0.3);
  const updatedAt = updated ? Math.round(createdAt + rng.next() * (src.nowMs - createdAt)) : createdAt;
  const count = updated ? rng.int(2, 60) : 1;
  const archived = rng.chance(0.1);
  const resourceIndex = rng.int(0, 4);
  const resourceId = resourceIdFor(src.seed, kind, a, resourceIndex, accountId, region);
  return {
    rng, kind, title, resourceIndex,
    meta: {
      id: findingId(src.seed, a, r, i), accountId, region, detectorId: src.detectorId(a, r), type, severity,
      createdAt, updatedAt, archived, count, resourceType: kind.resourceType, resourceId, kind: kind.name,
    },
  };
}

export function findingMeta(src: FindingSource, a: number, r: number, i: number): FindingMeta {
  return draw(src, a, r, i).meta;
}

function resourceIdFor(seed: number, kind: FindingKind, a: number, n: number, accountId: string, region: string): string {
  const rng = new Rng(seed, 0x5e, a, n, FINDING_KINDS.indexOf(kind));
  switch (kind.name) {
    case 'iam':
    case 'attack-sequence':
      return `ASIA${rng.chars(16)}`;
    case 's3':
      return `${rng.pick(['data', 'logs', 'backup', 'exports', 'media'])}-${accountId}-${region}`;
    case 'eks':
      return `${rng.pick(['platform', 'payments', 'search'])}-eks-${n}`;
    case 'ecs':
      return `arn:aws:ecs:${region}:${accountId}:cluster/${rng.pick(['web', 'batch', 'api'])}-${n}`;
    case 'rds':
      return `${rng.pick(['orders', 'users', 'ledger'])}-db-${n}`;
    case 'lambda':
      return `arn:aws:lambda:${region}:${accountId}:function:${rng.pick(['thumbnailer', 'ingest', 'notifier'])}-${n}`;
    default:
      return `i-${rng.hex(17)}`;
  }
}

/** The full finding as GuardDuty's REST-JSON wire sends it. */
export function findingBody(src: FindingSource, a: number, r: number, i: number): Wire {
  const d = draw(src, a, r, i);
  const body = buildBody(d.meta, d.rng, d.kind, d.title, d.resourceIndex);
  // Some findings belong to the first attack sequence of their account and region.
  const seq = firstAttackSequence(a, r);
  if (d.kind.name !== 'attack-sequence' && seq < src.findingsPerAccount && d.rng.chance(0.2)) {
    body.associatedAttackSequenceArn = `arn:aws:guardduty:${d.meta.region}:${d.meta.accountId}:detector/${d.meta.detectorId}/finding/${findingId(src.seed, a, r, seq)}`;
  }
  return body;
}

/** Index of the first attack-sequence finding of (account, region), given how kinds rotate. */
function firstAttackSequence(a: number, r: number): number {
  const k = FINDING_KINDS.findIndex((kind) => kind.name === 'attack-sequence');
  const n = FINDING_KINDS.length;
  return (((k - a * 3 - r * 7) % n) + n) % n;
}

/** Builds a body for given metadata (also used for sample findings). */
export function buildBody(meta: FindingMeta, rng: Rng, kind: FindingKind, title: string, resourceIndex: number): Wire {
  const { accountId, region } = meta;
  const hostile = rng.chance(0.15) ? rng.pick(HOSTILE_TEXT) : undefined;
  const ctx: BodyContext = { meta, rng, hostile, resourceIndex };
  const resource: Wire = { resourceType: meta.resourceType };
  const service: Wire = {
    archived: meta.archived,
    count: meta.count,
    detectorId: meta.detectorId,
    eventFirstSeen: iso(meta.createdAt - rng.int(0, 3_600_000)),
    eventLastSeen: iso(meta.updatedAt),
    resourceRole: 'TARGET',
    serviceName: 'guardduty',
    featureName: kind.featureName,
    additionalInfo: { value: JSON.stringify({ sample: false, unusualBehavior: rng.chance(0.5) }), type: 'default' },
    evidence: {
      threatIntelligenceDetails: [{
        threatListName: rng.pick(['ProofPoint', 'CrowdStrike', 'Amazon']),
        threatNames: [rng.pick(['Mirai', 'Emotet', 'CoinMiner'])],
        threatFileSha256: rng.hex(64),
      }],
    },
  };
  if (meta.archived) service.userFeedback = 'NOT_USEFUL';
  KIND_BUILDERS[kind.name]?.(ctx, resource, service);
  return {
    accountId,
    arn: `arn:aws:guardduty:${region}:${accountId}:detector/${meta.detectorId}/finding/${meta.id}`,
    createdAt: iso(meta.createdAt),
    id: meta.id,
    region,
    resource,
    schemaVersion: '2.0',
    severity: meta.severity,
    type: meta.type,
    updatedAt: iso(meta.updatedAt),
    confidence: Math.round(rng.next() * 100) / 10,
    description: `${title.replace(/\.$/, '')} (${meta.resourceId}${hostile ? ` ${hostile}` : ''}).`,
    partition: 'aws',
    service,
    // Titles can carry attacker-chosen names (a bucket, a tag); some do here.
    title: hostile !== undefined && rng.chance(0.5) ? `${title.replace(/\.$/, '')}: ${hostile}` : title,
    ...(rng.chance(0.05) ? { customDetectionRuleName: `lake-custom-rule-${rng.int(1, 3)}` } : {}),
  };
}
