import type { TableSpec } from '../../src/transform/types.js';

export const MODES = ['delegated-admin', 'assume-role'] as const;
export type Mode = (typeof MODES)[number];
export const AUTO_INVESTIGATE = ['off', 'critical', 'high'] as const;
export type AutoInvestigate = (typeof AUTO_INVESTIGATE)[number];

/** Where the task's container image comes from. */
export type ImageSource =
  /** Built from the repository's Dockerfile at deploy time (CDK asset; needs Docker where you run `cdk deploy`). */
  | { readonly kind: 'asset'; readonly directory: string }
  /** An image already pushed, e.g. `123456789012.dkr.ecr.us-east-1.amazonaws.com/guardduty-lake:0.1.0`. */
  | { readonly kind: 'ecr'; readonly repositoryName: string; readonly tag: string };

/** Everything the operator chooses; every field but `image` and `tables` has a default. */
export interface GuardDutyLakeProps {
  readonly image: ImageSource;
  /** The lake's tables (from src/transform/tables.ts): Glue tables get exactly these columns. */
  readonly tables: readonly TableSpec[];
  /** Key prefix of the lake inside the bucket. @default 'guardduty' */
  readonly lakePrefix?: string;
  /** Glue database. @default 'guardduty_lake' */
  readonly databaseName?: string;
  /** `--mode` of the export. @default 'delegated-admin' */
  readonly mode?: Mode;
  /** Role assumed in every member account with `--mode assume-role`. @default 'GuardDutyLakeReadOnly' */
  readonly memberRoleName?: string;
  /** `--external-id` for sts:AssumeRole. @default none */
  readonly externalId?: string;
  /** `--auto-investigate`; anything but 'off' adds guardduty:CreateInvestigation. @default 'off' */
  readonly autoInvestigate?: AutoInvestigate;
  /** `--regions`. @default 'all' */
  readonly regions?: string;
  /** Verified SES identity (domain or address) the report is sent from. @default none: no email, no ses permission */
  readonly sesIdentity?: string;
  /** `--email-from`, an address of `sesIdentity`. @default none */
  readonly emailFrom?: string;
  /** `--email-to`, comma list. @default none */
  readonly emailTo?: string;
  /** Where alarms are emailed (SNS email subscription). @default none: subscribe yourself */
  readonly alarmEmail?: string;
  /** Fargate CPU units. @default 1024 */
  readonly cpu?: number;
  /** Fargate memory. @default 2048 */
  readonly memoryMiB?: number;
  /** N > 1 runs N export tasks per night, each with `--shard K/N`. @default 1 */
  readonly shards?: number;
  /** EventBridge Scheduler expression of the export (UTC). @default 'cron(30 2 * * ? *)' */
  readonly exportSchedule?: string;
  /** EventBridge Scheduler expression of the weekly report (UTC). @default 'cron(0 7 ? * MON *)' */
  readonly reportSchedule?: string;
  /** EventBridge Scheduler expression of the weekly `compact` of closed partitions (UTC). @default 'cron(0 12 ? * SUN *)' */
  readonly compactSchedule?: string;
  /** Athena per-query scan limit. @default 10 GiB */
  readonly athenaBytesScannedCutoff?: number;
  /** Days before lake objects move to S3 Standard-IA. @default 30 */
  readonly infrequentAccessAfterDays?: number;
  /** Days the awslogs log group keeps lines. @default 90 */
  readonly logRetentionDays?: number;
  /** Alarm when one run's Throttles exceed this. @default 1000 */
  readonly throttleAlarmThreshold?: number;
  /** Alarm when a run takes longer than this. @default 3 hours */
  readonly maxRunSeconds?: number;
}

export type ResolvedProps = Required<Omit<GuardDutyLakeProps, 'externalId' | 'sesIdentity' | 'emailFrom' | 'emailTo' | 'alarmEmail'>>
  & Pick<GuardDutyLakeProps, 'externalId' | 'sesIdentity' | 'emailFrom' | 'emailTo' | 'alarmEmail'>;

export function resolveProps(p: GuardDutyLakeProps): ResolvedProps {
  const shards = p.shards ?? 1;
  if (!Number.isInteger(shards) || shards < 1 || shards > 100) throw new RangeError(`shards must be 1..100, got ${shards}`);
  if ((p.emailTo === undefined) !== (p.emailFrom === undefined) || (p.emailFrom !== undefined && p.sesIdentity === undefined)) {
    throw new RangeError('emailTo, emailFrom and sesIdentity go together');
  }
  return {
    ...p,
    lakePrefix: (p.lakePrefix ?? 'guardduty').replace(/^\/+|\/+$/g, ''),
    databaseName: p.databaseName ?? 'guardduty_lake',
    mode: p.mode ?? 'delegated-admin',
    memberRoleName: p.memberRoleName ?? 'GuardDutyLakeReadOnly',
    autoInvestigate: p.autoInvestigate ?? 'off',
    regions: p.regions ?? 'all',
    cpu: p.cpu ?? 1024,
    memoryMiB: p.memoryMiB ?? 2048,
    shards,
    exportSchedule: p.exportSchedule ?? 'cron(30 2 * * ? *)',
    reportSchedule: p.reportSchedule ?? 'cron(0 7 ? * MON *)',
    compactSchedule: p.compactSchedule ?? 'cron(0 12 ? * SUN *)',
    athenaBytesScannedCutoff: p.athenaBytesScannedCutoff ?? 10 * 1024 ** 3,
    infrequentAccessAfterDays: p.infrequentAccessAfterDays ?? 30,
    logRetentionDays: p.logRetentionDays ?? 90,
    throttleAlarmThreshold: p.throttleAlarmThreshold ?? 1000,
    maxRunSeconds: p.maxRunSeconds ?? 3 * 3600,
  };
}
