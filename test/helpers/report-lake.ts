/**
 * A small lake for report tests, written with DuckDB (dev dependency) in the layout of src/lake/types.ts:
 * findings/dt=…/*.parquet (several versions per finding id), investigations/, investigation_records/,
 * runs/dt=…/*.json, quarantine/dt=…/*.jsonl. Seeded, so every run builds the same lake.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { RunManifest } from '../../src/lake/types.js';

export interface LakeFinding {
  id: string;
  account_id: string;
  region: string;
  type: string;
  title: string;
  description: string;
  severity: number;
  created_at: number;
  updated_at: number;
  exported_at: number;
  service_archived: boolean;
  service_count: number;
  resource_resource_type: string;
  resource_id: string | null;
  service_event_first_seen: number;
  service_event_last_seen: number;
  finding_json: string | null;
}

/** Mulberry32: a tiny seeded PRNG. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const ACCOUNTS = ['111111111111', '222222222222', '333333333333', '444444444444'];
export const REGIONS = ['us-east-1', 'eu-west-1'];
export const TYPES = [
  'Recon:EC2/PortProbeUnprotectedPort',
  'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
  'CryptoCurrency:EC2/BitcoinTool.B!DNS',
  'Discovery:S3/AnomalousBehavior',
  'Policy:IAMUser/RootCredentialUsage',
  'AttackSequence:IAM/CompromisedCredentials',
];
const DAY = 86_400_000;

/**
 * `n` findings created over the 10 weeks before `end`, each with 1–3 versions (later updated_at,
 * sometimes a new severity or archived). Versions with updated_at ≥ end are included too (the
 * report must ignore them).
 */
export function seededFindings(seed: number, n: number, end: number): LakeFinding[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const out: LakeFinding[] = [];
  for (let i = 0; i < n; i++) {
    const id = `f${seed}x${i.toString(16).padStart(6, '0')}`;
    const created = end - Math.floor(r() * 70 * DAY);
    const type = pick(TYPES);
    const account = pick(ACCOUNTS);
    let severity = Math.round((1 + r() * 9) * 10) / 10;
    let updated = created;
    const versions = 1 + Math.floor(r() * 3);
    for (let v = 0; v < versions; v++) {
      if (v > 0) {
        updated += Math.floor(r() * 10 * DAY) + 1000;
        if (r() < 0.3) severity = Math.round((1 + r() * 9) * 10) / 10;
      }
      const archived = v > 0 && r() < 0.25;
      const resource = r() < 0.1 ? null : `i-${(Math.floor(r() * 40)).toString(16).padStart(8, '0')}`;
      out.push({
        id, account_id: account, region: pick(REGIONS), type,
        title: `${type.split('/')[1] ?? type} on ${resource ?? 'account'}`,
        description: `Finding ${id} version ${v}`,
        severity, created_at: created, updated_at: updated, exported_at: updated + 60_000,
        service_archived: archived, service_count: v + 1,
        resource_resource_type: resource === null ? 'AccessKey' : 'Instance', resource_id: resource,
        service_event_first_seen: created, service_event_last_seen: updated,
        finding_json: type.startsWith('AttackSequence:') ? JSON.stringify(sequenceJson(id, severity)) : null,
      });
    }
  }
  return out;
}

function sequenceJson(id: string, severity: number): unknown {
  return {
    Id: id, Severity: severity,
    Service: { Detection: { Sequence: {
      Uid: `seq-${id}`, Description: 'Credentials used from an unusual network, then data read from S3.',
      Signals: [
        { Uid: 's1', Type: 'FINDING', Name: 'UnauthorizedAccess:IAMUser/ConsoleLoginSuccess.B', Count: 3, FirstSeenAt: '2026-11-17T01:00:00Z', LastSeenAt: '2026-11-18T01:00:00Z' },
        { Uid: 's2', Type: 'CLOUD_TRAIL', Name: 'GetObject', Count: 120, FirstSeenAt: 1763427600, LastSeenAt: 1763431200 },
      ],
      SequenceIndicators: [{ Key: 'ATTACK_TECHNIQUE', Values: ['T1078 Valid Accounts', 'T1530'] }],
    } } },
  };
}

const ts = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace('Z', '');

/** Writes rows as Parquet partitioned by `dt` (the UTC date of `partitionColumn`) under `<dir>/<table>/`. */
export async function writeTable(
  conn: DuckDBConnection, dir: string, table: string, rows: ReadonlyArray<Record<string, unknown>>,
  columns: Record<string, string>, partitionColumn: string, rowGroupSize = 64,
): Promise<void> {
  if (rows.length === 0) return;
  const tmp = join(dir, `.${table}.jsonl`);
  const timeCols = Object.entries(columns).filter(([, t]) => t === 'TIMESTAMP').map(([c]) => c);
  const lines = rows.map((row) => {
    const o: Record<string, unknown> = { ...row };
    for (const c of timeCols) if (typeof o[c] === 'number') o[c] = ts(o[c] as number);
    return JSON.stringify(o);
  });
  await writeFile(tmp, `${lines.join('\n')}\n`);
  const spec = Object.entries(columns).map(([c, t]) => `'${c}': '${t}'`).join(', ');
  await conn.run(`COPY (
      SELECT *, strftime(${partitionColumn}, '%Y-%m-%d') AS dt
      FROM read_json('${tmp}', format = 'newline_delimited', columns = {${spec}})
      ORDER BY ${partitionColumn}
    ) TO '${join(dir, table)}' (FORMAT parquet, PARTITION_BY (dt), ROW_GROUP_SIZE ${rowGroupSize}, OVERWRITE_OR_IGNORE)`);
}

export const FINDING_COLUMNS: Record<string, string> = {
  id: 'VARCHAR', account_id: 'VARCHAR', region: 'VARCHAR', type: 'VARCHAR', title: 'VARCHAR', description: 'VARCHAR',
  severity: 'DOUBLE', created_at: 'TIMESTAMP', updated_at: 'TIMESTAMP', exported_at: 'TIMESTAMP',
  service_archived: 'BOOLEAN', service_count: 'BIGINT', resource_resource_type: 'VARCHAR', resource_id: 'VARCHAR',
  service_event_first_seen: 'TIMESTAMP', service_event_last_seen: 'TIMESTAMP', finding_json: 'VARCHAR',
};

export interface LakeExtras {
  manifests?: RunManifest[];
  quarantine?: Array<{ dt: string; lines: string[] }>;
  investigations?: Array<Record<string, unknown>>;
  records?: Array<Record<string, unknown>>;
}

export async function openDuck(): Promise<DuckDBConnection> {
  const db = await DuckDBInstance.create(':memory:');
  return db.connect();
}

/** Builds the whole lake in `dir`. */
export async function writeReportLake(dir: string, findings: readonly LakeFinding[], extras: LakeExtras = {}, rowGroupSize = 64): Promise<void> {
  await mkdir(dir, { recursive: true });
  const conn = await openDuck();
  try {
    await writeTable(conn, dir, 'findings', findings as unknown as Array<Record<string, unknown>>, FINDING_COLUMNS, 'updated_at', rowGroupSize);
    await writeTable(conn, dir, 'investigations', extras.investigations ?? [], {
      investigation_id: 'VARCHAR', account_id: 'VARCHAR', region: 'VARCHAR', status: 'VARCHAR', risk_level: 'VARCHAR',
      confidence: 'VARCHAR', title: 'VARCHAR', summary: 'VARCHAR', finding_type: 'VARCHAR',
      mitre_techniques: 'STRUCT(phase VARCHAR, tactic_uid VARCHAR, tactic_name VARCHAR, technique_uid VARCHAR, technique_name VARCHAR)[]',
      start_time: 'TIMESTAMP', captured_at: 'TIMESTAMP', investigation_json: 'VARCHAR',
    }, 'captured_at');
    await writeTable(conn, dir, 'investigation_records', extras.records ?? [], {
      investigation_id: 'VARCHAR', record_id: 'VARCHAR', type: 'VARCHAR', title: 'VARCHAR', narrative: 'VARCHAR',
      created_at: 'TIMESTAMP', supporting_data_json: 'VARCHAR', captured_at: 'TIMESTAMP',
    }, 'captured_at');
  } finally {
    conn.closeSync();
  }
  for (const m of extras.manifests ?? []) {
    const d = join(dir, 'runs', `dt=${m.startedAt.slice(0, 10)}`);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, `${m.runId}.json`), JSON.stringify(m));
  }
  for (const q of extras.quarantine ?? []) {
    const d = join(dir, 'quarantine', `dt=${q.dt}`);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, `q-${q.lines.length}.jsonl`), `${q.lines.join('\n')}\n`);
  }
}

/** A run manifest with one slice per account × region; `overrides` changes chosen slices. */
export function manifest(runId: string, startedAt: string, overrides: Record<string, Partial<RunManifest['slices'][number]>> = {}): RunManifest {
  const slices = ACCOUNTS.flatMap((accountId) => REGIONS.map((region) => ({
    accountId, region, status: 'ok' as const, findings: 10, quarantined: 0, statistics: 0, investigations: 0, durationMs: 5,
    ...overrides[`${accountId}/${region}`],
  })));
  const failed = slices.filter((s) => s.status === 'failed').length;
  return {
    runId, command: 'export', startedAt, finishedAt: new Date(Date.parse(startedAt) + 60_000).toISOString(),
    shard: { index: 0, count: 1 }, mode: 'delegated-admin',
    accounts: ACCOUNTS.map((id, i) => ({ id, name: ['Production', 'Staging', 'Security tooling', 'Sandbox'][i]!, status: 'ACTIVE' })),
    slices,
    totals: { findings: 80, quarantined: 0, statistics: 0, investigations: 0, investigationRecords: 0, investigationsCreated: 0, failedSlices: failed, gapSlices: slices.filter((s) => s.status !== 'ok').length, bytesWritten: 0 },
  };
}
