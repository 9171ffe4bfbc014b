/** Public shapes of the offline AWS: options, the running server, and the seeded world tests read. */

/** How to start the emulator. Every field is optional. */
export interface EmulatorOptions {
  /** Seed of all generated data; same seed → same bytes. @default 1 */
  seed?: number;
  /** Accounts in the Organization, management and delegated administrator included (min 2). @default 6 */
  orgAccounts?: number;
  /** Findings per active account per enabled region. @default 40 */
  findingsPerAccount?: number;
  /** The emulated "now"; findings spread over the 8 weeks before it. @default new Date() */
  now?: Date;
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  /** Delay added to every request, in milliseconds. @default 0 */
  latencyMs?: number;
  /** Requests per second per (account, region, operation); above it HTTP 429 ThrottlingException. 0 = off. @default 0 */
  rateLimit?: number;
  /**
   * Accounts whose GuardDuty calls answer 403 AccessDeniedException: calls made with the account's
   * own (assumed-role) keys, and ListFindings/GetFindingsStatistics whose accountId criterion names it
   * with eq/equals. Unfiltered administrator calls are not affected. @default []
   */
  failAccounts?: string[];
  /** Regions whose GuardDuty calls answer 500 InternalServerErrorException. @default [] */
  failRegions?: string[];
  /** Regions with detectors. @default DEFAULT_ENABLED_REGIONS (two investigation-preview regions, two others) */
  enabledRegions?: string[];
  /** Role name STS AssumeRole accepts in member accounts. @default 'GuardDutyLakeReadOnly' */
  roleName?: string;
  /** When set, AssumeRole requires this ExternalId. @default undefined */
  externalId?: string;
}

export const ACCOUNT_ROLES = { management: 'management', administrator: 'administrator', member: 'member' } as const;
export type AccountRole = (typeof ACCOUNT_ROLES)[keyof typeof ACCOUNT_ROLES];

export interface EmulatorAccount {
  id: string;
  name: string;
  email: string;
  /** Organizations status. */
  status: 'ACTIVE' | 'SUSPENDED';
  role: AccountRole;
  /** Parent OU (or root) id. */
  parentId: string;
  joinedAt: Date;
}

export interface EmulatorOu {
  id: string;
  name: string;
  /** Root id or another OU id. */
  parentId: string;
  arn: string;
}

export interface EmulatorDetector {
  detectorId: string;
  accountId: string;
  region: string;
  /** GetDetector status; one detector of the world is DISABLED (suspended). */
  status: 'ENABLED' | 'DISABLED';
  createdAt: Date;
}

/** What ListFindings filters and sorts on, known without building the finding body. */
export interface FindingMeta {
  id: string;
  accountId: string;
  region: string;
  detectorId: string;
  type: string;
  severity: number;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  count: number;
  resourceType: string;
  resourceId: string;
  /** Which family of resource the body describes (ec2, iam, s3, eks, ecs, rds, lambda, ebs-malware, runtime, attack-sequence, sample). */
  kind: string;
}

export interface FindingQuery {
  accountIds?: string[];
  regions?: string[];
  /** Inclusive lower bound on updatedAt. */
  updatedFrom?: Date;
  /** Inclusive upper bound on updatedAt. */
  updatedTo?: Date;
  /** @default false */
  includeArchived?: boolean;
}

export interface EmulatorInvestigation {
  investigationId: string;
  /** Administrator account that owns it. */
  adminAccountId: string;
  region: string;
  detectorId: string;
  status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  investigationType: 'ACCOUNT' | 'FINDING' | 'ORGANIZATION';
  /** Target account of the investigation. */
  accountId: string;
  findingId?: string;
  riskLevel: 'Info' | 'Low' | 'Medium' | 'High' | 'Critical';
  confidence: 'Unknown' | 'Low' | 'Medium' | 'High';
  title: string;
  triggerPrompt: string;
  startTime: number;
  endTime?: number;
  clientToken?: string;
}

export interface AccessKeyPair {
  accessKeyId: string;
  secretAccessKey: string;
}

/** The seeded Organization, readable by tests. */
export interface EmulatorWorld {
  seed: number;
  now: Date;
  organizationId: string;
  rootId: string;
  managementAccountId: string;
  /** Delegated GuardDuty administrator (the base keys in `env` belong to it). */
  adminAccountId: string;
  accounts: EmulatorAccount[];
  ous: EmulatorOu[];
  enabledRegions: string[];
  /** An opt-in region that is not enabled: every GuardDuty call there answers 403 UnrecognizedClientException. */
  disabledOptInRegion: string;
  detectors: EmulatorDetector[];
  roleName: string;
  externalId: string | undefined;
  credentials: { administrator: AccessKeyPair; management: AccessKeyPair };
  detectorFor(accountId: string, region: string): EmulatorDetector | undefined;
  /** Ids of generated and sample findings matching `query`, sorted by id. */
  findingIds(query?: FindingQuery): string[];
  findingMeta(id: string): FindingMeta | undefined;
  /** The finding as GuardDuty sends it on the wire (camelCase). */
  findingWire(id: string): Record<string, unknown> | undefined;
  investigations(filter?: { region?: string; adminAccountId?: string }): EmulatorInvestigation[];
}

export interface SentEmail {
  from: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  /** The request body as received (Raw data still base64). */
  raw: unknown;
}

export interface EmulatorCounters {
  calls: number;
  throttled: number;
  /** `<service>:<Operation>` → calls (throttled ones included). */
  byOperation: Record<string, number>;
}

export interface EmulatorFaults {
  failAccounts: Set<string>;
  failRegions: Set<string>;
  /** Access key ids that answer ExpiredTokenException. */
  expiredKeys: Set<string>;
}

export interface RunningEmulator {
  url: string;
  port: number;
  close(): Promise<void>;
  /** AWS_ENDPOINT_URL_{GUARDDUTY,ORGANIZATIONS,STS,SESV2}, AWS_ACCESS_KEY_ID/SECRET (delegated admin), AWS_REGION. */
  env: Record<string, string>;
  world: EmulatorWorld;
  counters: EmulatorCounters;
  sentEmails: SentEmail[];
  faults: EmulatorFaults;
}
