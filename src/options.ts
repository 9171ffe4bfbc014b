/**
 * The declarative list of every command-line option. It drives argument parsing, `--help`,
 * the `GDL_<FLAG>` environment fallback and the README's configuration table.
 * Validation (types, ranges, allowed values) lives in `config.ts`.
 */

export const COMMANDS = ['export', 'report', 'import', 'compact', 'ddl', 'emulator', 'demo'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface OptionSpec {
  /** Flag name without the leading dashes, kebab-case. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  /** Commands that accept this option. */
  readonly commands: readonly CommandName[];
  /** Shown in `--help` and the README; the default is the one `config.ts` applies. */
  readonly description: string;
  readonly default?: string;
}

const EXPORT_LIKE: readonly CommandName[] = ['export', 'demo'];
const LAKE_USERS: readonly CommandName[] = ['export', 'report', 'import', 'compact', 'ddl', 'demo'];
const S3_WRITERS: readonly CommandName[] = ['export', 'report', 'import', 'compact'];

export const OPTIONS: readonly OptionSpec[] = [
  { name: 'lake', type: 'string', commands: LAKE_USERS, description: 'Where the lake lives: s3://bucket/prefix or a local directory.', default: './demo-lake (demo only)' },
  { name: 'log-level', type: 'string', commands: COMMANDS, description: 'debug | info | warn | error.', default: 'info' },
  { name: 'run-id', type: 'string', commands: ['export', 'import', 'demo'], description: 'Identifier of this run (manifests, run_id column).', default: 'generated (UTC time + random)' },

  { name: 'accounts', type: 'string', commands: EXPORT_LIKE, description: '"org" (every ACTIVE account of the Organization) or a comma list of 12-digit account ids.', default: 'org' },
  { name: 'ous', type: 'string', commands: EXPORT_LIKE, description: 'Only accounts under these OUs (comma list of ou-… or r-… ids, recursive).' },
  { name: 'exclude-accounts', type: 'string', commands: EXPORT_LIKE, description: 'Comma list of 12-digit account ids to skip.' },
  { name: 'mode', type: 'string', commands: EXPORT_LIKE, description: 'delegated-admin (the administrator detector returns members\' findings) | assume-role (a role in every account).', default: 'delegated-admin' },
  { name: 'role-name', type: 'string', commands: EXPORT_LIKE, description: 'Role assumed in each account with --mode assume-role.', default: 'GuardDutyLakeReadOnly' },
  { name: 'external-id', type: 'string', commands: EXPORT_LIKE, description: 'External id passed to sts:AssumeRole.' },
  { name: 'regions', type: 'string', commands: EXPORT_LIKE, description: '"all" (every region GuardDuty exists in) or a comma list of region names.', default: 'all' },
  { name: 'home-region', type: 'string', commands: ['export', 'report', 'demo'], description: 'Region for Organizations, STS and SES calls.', default: 'AWS_REGION, else us-east-1' },
  { name: 'lookback', type: 'string', commands: EXPORT_LIKE, description: 'First-run window (e.g. 7d, 36h); at most 90d, GuardDuty\'s retention.', default: '7d (demo: 63d)' },
  { name: 'overlap', type: 'string', commands: EXPORT_LIKE, description: 'Re-read this much before the watermark so late updates are not missed.', default: '15m' },
  { name: 'include-archived', type: 'boolean', commands: EXPORT_LIKE, description: 'Also export archived findings.', default: 'false' },
  { name: 'statistics-window', type: 'string', commands: EXPORT_LIKE, description: 'Window of the GetFindingsStatistics snapshot.', default: '7d' },
  { name: 'auto-investigate', type: 'string', commands: EXPORT_LIKE, description: 'off | critical | high: start a GuardDuty AI investigation for new findings at or above this severity (preview regions, administrator only).', default: 'off' },
  { name: 'concurrency', type: 'string', commands: EXPORT_LIKE, description: 'Requests in flight across the whole run.', default: '16' },
  { name: 'target-concurrency', type: 'string', commands: EXPORT_LIKE, description: 'Requests in flight per (account, region).', default: '4' },
  { name: 'max-attempts', type: 'string', commands: EXPORT_LIKE, description: 'SDK adaptive-retry attempts per request.', default: '8' },
  { name: 'shard', type: 'string', commands: EXPORT_LIKE, description: 'K/N: export only this shard: of the regions in delegated-admin mode, of the (account, region) targets in assume-role mode; also AWS_BATCH_JOB_ARRAY_INDEX/SIZE.', default: '0/1' },

  { name: 'sse', type: 'string', commands: S3_WRITERS, description: 'Server-side encryption for S3 objects: AES256 | aws:kms.' },
  { name: 'kms-key-id', type: 'string', commands: S3_WRITERS, description: 'KMS key for --sse aws:kms.' },
  { name: 'expected-bucket-owner', type: 'string', commands: S3_WRITERS, description: 'Account id the lake bucket must belong to.' },

  { name: 'week', type: 'string', commands: ['report'], description: 'ISO week to report, e.g. 2026-W47.', default: 'the last complete ISO week (UTC)' },
  { name: 'end', type: 'string', commands: ['report'], description: 'Report the ISO week containing this date (YYYY-MM-DD) instead of --week.' },
  { name: 'out', type: 'string', commands: ['report', 'demo'], description: 'Where to write report.html, report.txt and queries.sql.', default: '<lake>/reports/<week>/' },
  { name: 'email-to', type: 'string', commands: ['report'], description: 'Comma list of recipients; sends through SES v2.' },
  { name: 'email-from', type: 'string', commands: ['report'], description: 'Verified SES sender identity.' },
  { name: 'top', type: 'string', commands: ['report', 'demo'], description: 'Rows in each top-N table.', default: '10' },
  { name: 'title', type: 'string', commands: ['report', 'demo'], description: 'Report title.', default: 'GuardDuty weekly report' },
  { name: 'templates', type: 'string', commands: ['report', 'demo'], description: 'Directory with your own weekly-report.hbs / .txt.hbs / partials.', default: 'the bundled templates/' },
  { name: 'sla', type: 'string', commands: ['report', 'demo'], description: 'Days a finding may stay open, e.g. critical=1,high=7,medium=30.', default: 'critical=1,high=7,medium=30' },
  { name: 'resend', type: 'boolean', commands: ['report'], description: 'Send the email again for a week already sent.', default: 'false' },

  { name: 'before', type: 'string', commands: ['compact'], description: 'Compact only dt partitions before this date (YYYY-MM-DD); never one an unfinished export window covers.', default: 'yesterday (UTC)' },
  { name: 'dry-run', type: 'boolean', commands: ['compact'], description: 'List the partitions that would be compacted; change nothing.', default: 'false' },
  { name: 'database', type: 'string', commands: ['ddl'], description: 'Glue/Athena database name.', default: 'guardduty_lake' },
  { name: 'format', type: 'string', commands: ['ddl'], description: 'sql (Athena DDL) | cloudformation (Glue tables snippet).', default: 'sql' },

  { name: 'port', type: 'string', commands: ['emulator'], description: 'Port to listen on (0 = any free port).', default: '4599' },
  { name: 'seed', type: 'string', commands: ['emulator', 'demo'], description: 'Seed of the emulated Organization\'s deterministic data.', default: '1' },
  { name: 'org-accounts', type: 'string', commands: ['emulator', 'demo'], description: 'Accounts in the emulated Organization.', default: '6' },
  { name: 'findings-per-account', type: 'string', commands: ['emulator', 'demo'], description: 'Emulated findings per account and enabled region.', default: '40' },
  { name: 'latency-ms', type: 'string', commands: ['emulator'], description: 'Added latency per emulated request.', default: '0' },
  { name: 'rate-limit', type: 'string', commands: ['emulator'], description: 'Requests per second per (account, region, operation) before HTTP 429 ThrottlingException; 0 = unlimited.', default: '0' },
  { name: 'fail-accounts', type: 'string', commands: ['emulator'], description: 'Comma list of account ids whose GuardDuty calls answer AccessDeniedException.' },
  { name: 'fail-regions', type: 'string', commands: ['emulator'], description: 'Comma list of regions whose GuardDuty calls answer HTTP 500.' },
] as const;

/** `--include-archived` reads `GDL_INCLUDE_ARCHIVED` when not given on the command line. */
export function envName(option: string): string {
  return `GDL_${option.replace(/-/g, '_').toUpperCase()}`;
}

export function optionsFor(command: CommandName): readonly OptionSpec[] {
  return OPTIONS.filter((o) => o.commands.includes(command));
}
