/**
 * The seeded Organization: accounts, OUs, detectors, generated findings (lazy), sample findings and
 * investigations. Same options → same world.
 */
import { Rng, hash32 } from './random.js';
import { FINDING_KINDS } from './finding-kinds.js';
import { buildBody, decodeFindingId, findingBody, findingId, findingMeta, type FindingSource } from './finding-body.js';
import { seedInvestigations } from './investigation-data.js';
import type {
  AccessKeyPair, EmulatorAccount, EmulatorDetector, EmulatorInvestigation, EmulatorOu, EmulatorWorld, FindingMeta, FindingQuery,
} from './types.js';

/** Two investigation-preview regions and two others. */
export const DEFAULT_ENABLED_REGIONS = ['us-east-1', 'eu-west-1', 'us-west-1', 'sa-east-1'] as const;
/** Opt-in regions; the first one not enabled answers like a region the account never opted into. */
export const OPT_IN_REGIONS = ['af-south-1', 'ap-east-1', 'me-south-1', 'eu-south-1', 'il-central-1'] as const;
/** The opt-in region that is not enabled, unless the options enable it. */
export const DISABLED_OPT_IN_REGION = OPT_IN_REGIONS[0];
export const DEFAULT_ROLE_NAME = 'GuardDutyLakeReadOnly';

const MEMBER_NAMES = ['payments', 'search', 'data-platform', 'identity', 'web', 'analytics', 'ml', 'billing', 'edge', 'mobile'];
const ENVS = ['prod', 'staging', 'dev', 'sandbox'];

export interface WorldOptions {
  seed: number;
  orgAccounts: number;
  findingsPerAccount: number;
  now: Date;
  enabledRegions: string[];
  roleName: string;
  externalId: string | undefined;
}

interface SampleFinding {
  meta: FindingMeta;
  body: Record<string, unknown>;
}

export class World implements EmulatorWorld {
  readonly seed: number;
  readonly now: Date;
  readonly organizationId: string;
  readonly rootId: string;
  readonly managementAccountId: string;
  readonly adminAccountId: string;
  readonly accounts: EmulatorAccount[] = [];
  readonly ous: EmulatorOu[] = [];
  readonly enabledRegions: string[];
  readonly disabledOptInRegion: string;
  readonly detectors: EmulatorDetector[] = [];
  readonly roleName: string;
  readonly externalId: string | undefined;
  readonly credentials: { administrator: AccessKeyPair; management: AccessKeyPair };
  readonly findingsPerAccount: number;
  /** Investigations by id, seeded and created. */
  readonly investigationsById = new Map<string, EmulatorInvestigation>();
  private readonly detectorByKey = new Map<string, EmulatorDetector>();
  private readonly detectorsById = new Map<string, EmulatorDetector>();
  private readonly accountIndex = new Map<string, number>();
  private readonly samples = new Map<string, SampleFinding>();
  private readonly source: FindingSource;
  private sampleCounter = 0;
  /** Bumped whenever sample findings are added (invalidates cached queries). */
  sampleVersion = 0;

  constructor(options: WorldOptions) {
    const rng = new Rng(options.seed, 0x0a);
    this.seed = options.seed;
    this.now = options.now;
    this.enabledRegions = [...options.enabledRegions];
    this.disabledOptInRegion = OPT_IN_REGIONS.find((r) => !this.enabledRegions.includes(r)) ?? DISABLED_OPT_IN_REGION;
    this.roleName = options.roleName;
    this.externalId = options.externalId;
    this.findingsPerAccount = options.findingsPerAccount;
    const suffix = rng.chars(10, 'abcdefghijklmnopqrstuvwxyz0123456789');
    this.organizationId = `o-${suffix}`;
    this.rootId = `r-${rng.chars(4, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
    const ou = (name: string, parentId: string): EmulatorOu => {
      const id = `ou-${this.rootId.slice(2)}-${rng.chars(8, 'abcdefghijklmnopqrstuvwxyz0123456789')}`;
      const created = { id, name, parentId, arn: `arn:aws:organizations::${'0'.repeat(12)}:ou/${this.organizationId}/${id}` };
      this.ous.push(created);
      return created;
    };
    const security = ou('Security', this.rootId);
    const workloads = ou('Workloads', this.rootId);
    const prod = ou('Prod', workloads.id);
    const nonProd = ou('NonProd', workloads.id);
    const sandbox = ou('Sandbox', this.rootId);
    const suspendedOu = ou('Suspended', this.rootId);

    const total = Math.max(2, options.orgAccounts);
    const used = new Set<string>();
    const nowMs = options.now.getTime();
    for (let n = 0; n < total; n++) {
      let id = rng.accountId();
      while (used.has(id)) id = rng.accountId();
      used.add(id);
      const memberIndex = n - 2;
      const suspended = n >= 2 && memberIndex % 5 === 3;
      const role = n === 0 ? 'management' : n === 1 ? 'administrator' : 'member';
      const name = n === 0 ? 'management' : n === 1 ? 'security-tooling'
        : `${MEMBER_NAMES[memberIndex % MEMBER_NAMES.length]}-${ENVS[Math.floor(memberIndex / MEMBER_NAMES.length) % ENVS.length]}${memberIndex >= MEMBER_NAMES.length * ENVS.length ? `-${memberIndex}` : ''}`;
      const parentId = n === 0 ? this.rootId : n === 1 ? security.id : suspended ? suspendedOu.id
        : [prod.id, nonProd.id, sandbox.id][memberIndex % 3] ?? prod.id;
      this.accounts.push({
        id, name, email: `aws+${name}@example.com`, status: suspended ? 'SUSPENDED' : 'ACTIVE', role, parentId,
        joinedAt: new Date(Math.floor((nowMs - (400 + rng.int(0, 900)) * 86_400_000) / 1000) * 1000),
      });
      this.accountIndex.set(id, n);
    }
    const management = this.accounts[0];
    const admin = this.accounts[1];
    if (!management || !admin) throw new RangeError('an Organization needs at least 2 accounts');
    this.managementAccountId = management.id;
    this.adminAccountId = admin.id;
    for (const o of this.ous) o.arn = `arn:aws:organizations::${management.id}:ou/${this.organizationId}/${o.id}`;

    const keyRng = new Rng(options.seed, 0x4b);
    this.credentials = {
      administrator: { accessKeyId: `AKIA${keyRng.chars(16)}`, secretAccessKey: keyRng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+') },
      management: { accessKeyId: `AKIA${keyRng.chars(16)}`, secretAccessKey: keyRng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+') },
    };

    // Detectors: every active account in every enabled region; the first member's in the last region is suspended.
    const firstMember = this.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    const lastRegion = this.enabledRegions[this.enabledRegions.length - 1];
    this.accounts.forEach((account, a) => {
      if (account.status !== 'ACTIVE') return;
      this.enabledRegions.forEach((region, r) => {
        const detector: EmulatorDetector = {
          detectorId: hash32(options.seed, 0xde, a, r).toString(16).padStart(8, '0') + hash32(options.seed, 0xdf, a, r).toString(16).padStart(8, '0')
            + hash32(options.seed, 0xe0, a, r).toString(16).padStart(8, '0') + hash32(options.seed, 0xe1, a, r).toString(16).padStart(8, '0'),
          accountId: account.id, region,
          status: account === firstMember && region === lastRegion && this.enabledRegions.length > 1 ? 'DISABLED' : 'ENABLED',
          createdAt: new Date(account.joinedAt.getTime() + 86_400_000),
        };
        this.detectors.push(detector);
        this.detectorByKey.set(`${account.id}/${region}`, detector);
        this.detectorsById.set(detector.detectorId, detector);
      });
    });

    this.source = {
      seed: options.seed,
      nowMs,
      accountIds: this.accounts.map((a) => a.id),
      regions: this.enabledRegions,
      findingsPerAccount: options.findingsPerAccount,
      detectorId: (a, r) => {
        const account = this.accounts[a];
        const region = this.enabledRegions[r];
        return (account && region && this.detectorByKey.get(`${account.id}/${region}`)?.detectorId) ?? '';
      },
    };
    for (const inv of seedInvestigations(this)) this.investigationsById.set(inv.investigationId, inv);
  }

  account(id: string): EmulatorAccount | undefined {
    const n = this.accountIndex.get(id);
    return n === undefined ? undefined : this.accounts[n];
  }

  detectorFor(accountId: string, region: string): EmulatorDetector | undefined {
    return this.detectorByKey.get(`${accountId}/${region}`);
  }

  detectorById(detectorId: string): EmulatorDetector | undefined {
    return this.detectorsById.get(detectorId);
  }

  /** Accounts whose findings a detector sees: all with a detector in its region for the administrator, else its own. */
  visibleAccounts(detector: EmulatorDetector): string[] {
    if (detector.accountId !== this.adminAccountId) return [detector.accountId];
    return this.accounts.filter((a) => this.detectorByKey.has(`${a.id}/${detector.region}`)).map((a) => a.id);
  }

  /** Every finding's metadata in (accounts × region), generated ones then samples. */
  *metas(accountIds: readonly string[], region: string): Generator<FindingMeta> {
    const r = this.enabledRegions.indexOf(region);
    for (const accountId of accountIds) {
      const a = this.accountIndex.get(accountId);
      if (a === undefined || r < 0 || !this.detectorByKey.has(`${accountId}/${region}`)) continue;
      for (let i = 0; i < this.findingsPerAccount; i++) yield findingMeta(this.source, a, r, i);
    }
    for (const s of this.samples.values()) {
      if (s.meta.region === region && accountIds.includes(s.meta.accountId)) yield s.meta;
    }
  }

  findingIds(query: FindingQuery = {}): string[] {
    const regions = query.regions ?? this.enabledRegions;
    const accounts = query.accountIds ?? this.accounts.map((a) => a.id);
    const from = query.updatedFrom?.getTime() ?? -Infinity;
    const to = query.updatedTo?.getTime() ?? Infinity;
    const ids: string[] = [];
    for (const region of regions) {
      for (const m of this.metas(accounts, region)) {
        if (m.updatedAt < from || m.updatedAt > to) continue;
        if (m.archived && query.includeArchived !== true) continue;
        ids.push(m.id);
      }
    }
    return ids.sort();
  }

  private locate(id: string): { a: number; r: number; i: number } | undefined {
    const pos = decodeFindingId(id);
    if (!pos || pos.i >= this.findingsPerAccount || findingId(this.seed, pos.a, pos.r, pos.i) !== id) return undefined;
    const account = this.accounts[pos.a];
    const region = this.enabledRegions[pos.r];
    if (!account || !region || !this.detectorByKey.has(`${account.id}/${region}`)) return undefined;
    return pos;
  }

  findingMeta(id: string): FindingMeta | undefined {
    const sample = this.samples.get(id);
    if (sample) return sample.meta;
    const pos = this.locate(id);
    return pos && findingMeta(this.source, pos.a, pos.r, pos.i);
  }

  findingWire(id: string): Record<string, unknown> | undefined {
    const sample = this.samples.get(id);
    if (sample) return sample.body;
    const pos = this.locate(id);
    return pos && findingBody(this.source, pos.a, pos.r, pos.i);
  }

  /** CreateSampleFindings: one finding per requested type (every known type when none), marked as samples. */
  createSampleFindings(detector: EmulatorDetector, types: string[], nowMs: number): string[] {
    const known = FINDING_KINDS.flatMap((k) => k.types.map(([type, title]) => ({ kind: k, type, title })));
    this.sampleVersion++;
    const wanted = types.length === 0 ? known : types.map((t) => known.find((k) => k.type === t) ?? { kind: FINDING_KINDS[0]!, type: t, title: `Sample finding ${t}` });
    return wanted.map((w) => {
      const n = this.sampleCounter++;
      const rng = new Rng(this.seed, 0x5a, n);
      const id = rng.hex(32);
      const meta: FindingMeta = {
        id, accountId: detector.accountId, region: detector.region, detectorId: detector.detectorId, type: w.type,
        severity: w.kind.severity ? 9.5 : 5.0, createdAt: nowMs, updatedAt: nowMs, archived: false, count: 1,
        resourceType: w.kind.resourceType, resourceId: w.kind.resourceType === 'Instance' ? 'i-99999999' : 'sample', kind: w.kind.name,
      };
      const body = buildBody(meta, rng, w.kind, w.title, 0);
      const service = body.service as Record<string, unknown>;
      service.additionalInfo = { value: JSON.stringify({ sample: true }), type: 'default' };
      this.samples.set(id, { meta, body });
      return id;
    });
  }

  investigations(filter: { region?: string; adminAccountId?: string } = {}): EmulatorInvestigation[] {
    return [...this.investigationsById.values()].filter(
      (i) => (filter.region === undefined || i.region === filter.region) && (filter.adminAccountId === undefined || i.adminAccountId === filter.adminAccountId),
    );
  }
}
