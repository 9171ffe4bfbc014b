/**
 * Configuration: flags, then `GDL_<FLAG>` environment variables, then defaults; validated once
 * with zod. Any problem becomes a {@link ConfigError} naming the setting (exit 2).
 */
import { z } from 'zod';
import { ConfigError } from './errors.js';
import { envName, optionsFor, type CommandName } from './options.js';
import { GUARDDUTY_REGIONS, isGuardDutyRegion } from './collect/regions.js';

export type RawOptions = Record<string, string | boolean | undefined>;

const ACCOUNT_ID = /^\d{12}$/;
const OU_ID = /^(ou-[0-9a-z]{4,32}-[0-9a-z]{8,32}|r-[0-9a-z]{4,32})$/;
const DAY_MS = 86_400_000;

/** Parses `90d`, `36h`, `15m`, `30s` into milliseconds; undefined when it is not a duration. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*(d|h|m|s)$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { d: DAY_MS, h: 3_600_000, m: 60_000, s: 1_000 }[m[2] as 'd' | 'h' | 'm' | 's'];
  return Number(m[1]) * unit;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

const duration = (max?: number) =>
  z.string().transform((s, ctx) => {
    const ms = parseDuration(s);
    if (ms === undefined || ms <= 0) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a duration; use e.g. 7d, 36h, 15m` });
      return z.NEVER;
    }
    if (max !== undefined && ms > max) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is longer than ${max / DAY_MS}d` });
      return z.NEVER;
    }
    return ms;
  });

const intIn = (min: number, max: number) =>
  z.string().transform((s, ctx) => {
    const n = Number(s);
    if (!/^\d+$/.test(s.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not a whole number from ${min} to ${max}` });
      return z.NEVER;
    }
    return n;
  });

const accountList = z.string().transform((s, ctx) => {
  const ids = list(s);
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined) {
    ctx.addIssue({ code: 'custom', message: `"${bad}" is not a 12-digit account id` });
    return z.NEVER;
  }
  return ids;
});

const lakeUri = z.string().min(1, 'is required: s3://bucket/prefix or a local directory').refine(
  (s) => !s.startsWith('s3://') || /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(s),
  'must be s3://bucket[/prefix] with a valid bucket name, or a local directory',
);

const logLevel = z.enum(['debug', 'info', 'warn', 'error']);

const sse = z.enum(['AES256', 'aws:kms']).optional();
const s3Write = {
  sse,
  kmsKeyId: z.string().optional(),
  expectedBucketOwner: z.string().regex(ACCOUNT_ID, 'must be a 12-digit account id').optional(),
};

const collectShape = {
  accounts: z.string().transform((s, ctx): 'org' | string[] => {
    if (s.trim() === 'org') return 'org';
    const ids = list(s);
    const bad = ids.find((id) => !ACCOUNT_ID.test(id));
    if (ids.length === 0 || bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad ?? s}" is neither "org" nor a 12-digit account id` });
      return z.NEVER;
    }
    return ids;
  }),
  ous: z.string().transform((s, ctx) => {
    const ids = list(s);
    const bad = ids.find((id) => !OU_ID.test(id));
    if (bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad}" is not an OU id (ou-xxxx-xxxxxxxx) or root id (r-xxxx)` });
      return z.NEVER;
    }
    return ids;
  }).optional(),
  excludeAccounts: accountList.optional(),
  mode: z.enum(['delegated-admin', 'assume-role']),
  roleName: z.string().regex(/^[\w+=,.@-]{1,64}$/, 'must be an IAM role name'),
  externalId: z.string().min(2).max(1224).optional(),
  regions: z.string().transform((s, ctx): string[] => {
    if (s.trim() === 'all') return [...GUARDDUTY_REGIONS];
    const names = list(s);
    const bad = names.find((r) => !isGuardDutyRegion(r));
    if (names.length === 0 || bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad ?? s}" is not a GuardDuty region; use "all" or names like us-east-1,eu-west-1` });
      return z.NEVER;
    }
    return [...new Set(names)];
  }),
  homeRegion: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be a region name like us-east-1'),
  lookbackMs: duration(90 * DAY_MS),
  overlapMs: duration(DAY_MS),
  includeArchived: z.boolean(),
  statisticsWindowMs: duration(90 * DAY_MS),
  autoInvestigate: z.enum(['off', 'critical', 'high']),
  concurrency: intIn(1, 512),
  targetConcurrency: intIn(1, 64),
  maxAttempts: intIn(1, 20),
  shard: z.string().transform((s, ctx) => {
    const m = /^(\d+)\/(\d+)$/.exec(s.trim());
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || count < 1 || index >= count) {
      ctx.addIssue({ code: 'custom', message: `"${s}" is not K/N with 0 <= K < N` });
      return z.NEVER;
    }
    return { index, count };
  }),
};

const reportShape = {
  week: z.string().regex(/^\d{4}-W(0[1-9]|[1-4]\d|5[0-3])$/, 'must be an ISO week like 2026-W47').optional(),
  end: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').optional(),
  out: z.string().optional(),
  emailTo: z.string().transform((s, ctx) => {
    const xs = list(s);
    const bad = xs.find((x) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(x));
    if (xs.length === 0 || bad !== undefined) {
      ctx.addIssue({ code: 'custom', message: `"${bad ?? s}" is not an email address` });
      return z.NEVER;
    }
    return xs;
  }).optional(),
  emailFrom: z.string().regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'must be an email address').optional(),
  top: intIn(1, 100),
  title: z.string().min(1).max(200),
  templates: z.string().optional(),
  sla: z.string().transform((s, ctx) => {
    const out: Record<'critical' | 'high' | 'medium' | 'low', number | undefined> = {
      critical: 1, high: 7, medium: 30, low: undefined,
    };
    for (const part of list(s)) {
      const m = /^(critical|high|medium|low)=(\d+)$/.exec(part.toLowerCase());
      if (!m) {
        ctx.addIssue({ code: 'custom', message: `"${part}" is not severity=days (critical|high|medium|low)` });
        return z.NEVER;
      }
      out[m[1] as keyof typeof out] = Number(m[2]);
    }
    return out;
  }),
  resend: z.boolean(),
};

const emulatorShape = {
  seed: intIn(0, 2 ** 31),
  orgAccounts: intIn(1, 5000),
  findingsPerAccount: intIn(0, 100_000),
};

const common = { logLevel };

export const schemas = {
  export: z.object({ ...common, lake: lakeUri, runId: z.string().regex(/^[\w.-]{1,64}$/).optional(), ...collectShape, ...s3Write }),
  report: z.object({ ...common, lake: lakeUri, homeRegion: collectShape.homeRegion, ...reportShape, ...s3Write }),
  import: z.object({ ...common, lake: lakeUri, runId: z.string().regex(/^[\w.-]{1,64}$/).optional(), ...s3Write }),
  compact: z.object({
    ...common,
    lake: lakeUri,
    before: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a calendar date').optional(),
    dryRun: z.boolean(),
    ...s3Write,
  }),
  ddl: z.object({
    ...common,
    lake: lakeUri,
    database: z.string().regex(/^[a-z_][a-z0-9_]{0,254}$/, 'must be lowercase letters, digits and _'),
    format: z.enum(['sql', 'cloudformation']),
  }),
  emulator: z.object({
    ...common,
    ...emulatorShape,
    port: intIn(0, 65535),
    latencyMs: intIn(0, 60_000),
    rateLimit: intIn(0, 1_000_000),
    failAccounts: accountList.optional(),
    failRegions: z.string().transform(list).optional(),
  }),
  demo: z.object({
    ...common,
    ...emulatorShape,
    lake: lakeUri,
    runId: z.string().regex(/^[\w.-]{1,64}$/).optional(),
    ...collectShape,
    out: z.string().optional(),
    top: reportShape.top,
    title: reportShape.title,
    templates: reportShape.templates,
    sla: reportShape.sla,
  }),
} as const;

export type ExportConfig = z.output<typeof schemas.export>;
export type ReportConfig = z.output<typeof schemas.report>;
export type ImportConfig = z.output<typeof schemas.import>;
export type CompactConfig = z.output<typeof schemas.compact>;
export type DdlConfig = z.output<typeof schemas.ddl>;
export type EmulatorConfig = z.output<typeof schemas.emulator>;
export type DemoConfig = z.output<typeof schemas.demo>;
export interface ConfigByCommand {
  export: ExportConfig;
  report: ReportConfig;
  import: ImportConfig;
  compact: CompactConfig;
  ddl: DdlConfig;
  emulator: EmulatorConfig;
  demo: DemoConfig;
}

/** Defaults applied before validation (strings, as if typed on the command line). */
function defaults(command: CommandName, env: NodeJS.ProcessEnv): Record<string, string | boolean> {
  const base: Record<string, string | boolean> = {
    'log-level': 'info', accounts: 'org', mode: 'delegated-admin', 'role-name': 'GuardDutyLakeReadOnly',
    regions: 'all', 'home-region': env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    lookback: '7d', overlap: '15m', 'include-archived': false, 'statistics-window': '7d',
    'auto-investigate': 'off', concurrency: '16', 'target-concurrency': '4', 'max-attempts': '8',
    shard: batchShard(env) ?? '0/1',
    top: '10', title: 'GuardDuty weekly report', sla: 'critical=1,high=7,medium=30', resend: false, 'dry-run': false,
    database: 'guardduty_lake', format: 'sql',
    port: '4599', seed: '1', 'org-accounts': '6', 'findings-per-account': '40', 'latency-ms': '0', 'rate-limit': '0',
  };
  if (command === 'demo') {
    base.lake = './demo-lake';
    base.lookback = '63d'; // the report's 8-week trend needs eight weeks of history
  }
  return base;
}

/** AWS Batch array jobs set these; they stand for `--shard K/N`. */
function batchShard(env: NodeJS.ProcessEnv): string | undefined {
  const index = env.AWS_BATCH_JOB_ARRAY_INDEX;
  const size = env.AWS_BATCH_JOB_ARRAY_SIZE;
  return index !== undefined && size !== undefined ? `${index}/${size}` : undefined;
}

const camel = (flag: string): string => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
/** Config keys whose flag name differs from the camelCased key. */
const KEY_OF_FLAG: Record<string, string> = {
  lookback: 'lookbackMs', overlap: 'overlapMs', 'statistics-window': 'statisticsWindowMs',
};

/**
 * Merges flags (highest), `GDL_*` environment variables and defaults, and validates them.
 * @throws ConfigError naming the first setting at fault.
 */
export function loadConfig<C extends CommandName>(
  command: C,
  flags: RawOptions,
  env: NodeJS.ProcessEnv = process.env,
): ConfigByCommand[C] {
  const merged: Record<string, unknown> = {};
  const dflt = defaults(command, env);
  for (const opt of optionsFor(command)) {
    let value: string | boolean | undefined = flags[opt.name];
    if (value === undefined) {
      const fromEnv = env[envName(opt.name)];
      if (fromEnv !== undefined && fromEnv !== '') {
        value = opt.type === 'boolean' ? parseBool(opt.name, fromEnv) : fromEnv;
      }
    }
    value ??= dflt[opt.name];
    if (value !== undefined) merged[KEY_OF_FLAG[opt.name] ?? camel(opt.name)] = value;
  }
  const schema = schemas[command] as unknown as z.ZodType<ConfigByCommand[C]>;
  const result = schema.safeParse(merged);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = String(issue?.path[0] ?? 'config');
    const flag = Object.entries(KEY_OF_FLAG).find(([, k]) => k === key)?.[0]
      ?? key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const shown = merged[key] === undefined ? '' : ` ${JSON.stringify(merged[key])}`;
    const msg = issue?.code === 'invalid_value' && 'values' in issue
      ? `must be one of ${(issue.values as unknown[]).join(', ')}`
      : issue?.message ?? 'is invalid';
    throw new ConfigError(flag, `invalid --${flag} (${envName(flag)})${shown}: ${msg}`);
  }
  crossChecks(command, result.data as Record<string, unknown>);
  return result.data;
}

function parseBool(name: string, text: string): boolean {
  if (/^(1|true|yes)$/i.test(text)) return true;
  if (/^(0|false|no)$/i.test(text)) return false;
  throw new ConfigError(name, `invalid ${envName(name)} "${text}": must be true or false`);
}

function crossChecks(command: CommandName, c: Record<string, unknown>): void {
  if (c.sse === 'aws:kms' && c.kmsKeyId === undefined) {
    throw new ConfigError('kms-key-id', 'invalid --kms-key-id (GDL_KMS_KEY_ID): required with --sse aws:kms');
  }
  if (c.kmsKeyId !== undefined && c.sse !== 'aws:kms') {
    throw new ConfigError('sse', 'invalid --sse (GDL_SSE): --kms-key-id needs --sse aws:kms');
  }
  if (command === 'report' && c.emailTo !== undefined && c.emailFrom === undefined) {
    throw new ConfigError('email-from', 'invalid --email-from (GDL_EMAIL_FROM): required with --email-to');
  }
  if (command === 'report' && c.week !== undefined && c.end !== undefined) {
    throw new ConfigError('week', 'invalid --week (GDL_WEEK): give --week or --end, not both');
  }
}
