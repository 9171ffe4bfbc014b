/**
 * `npm run bench:report [-- --n 1000000 --top 10 --dir /tmp/x]`: builds a lake with N findings updated in
 * one week (plus older versions of 10% of them) with DuckDB, then renders the weekly report for that
 * week in a fresh child process and prints one JSON line:
 * {"n","wall_s","cpu_s","peak_rss_mb","html_bytes","text_bytes","rows","distinct","files","lake_mb","generate_s","top"}.
 * Generation is not timed into wall_s; cpu_s and peak RSS are the report process's own (cpu_s includes
 * module loading). On a shared machine, cpu_s is the steadier figure.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    top: { type: 'string', default: '10' },
    dir: { type: 'string' },
    keep: { type: 'boolean', default: false },
    child: { type: 'string' },
  },
});

const WEEK = '2026-W47';
const WEEK_START = '2026-11-16 00:00:00';
const DAY_MS = 86_400_000;

async function generate(dir: string, n: number): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const types = [
    'Recon:EC2/PortProbeUnprotectedPort', 'UnauthorizedAccess:EC2/SSHBruteForce', 'Recon:EC2/Portscan',
    'CryptoCurrency:EC2/BitcoinTool.B!DNS', 'Trojan:EC2/DNSDataExfiltration', 'UnauthorizedAccess:IAMUser/InstanceCredentialExfiltration.OutsideAWS',
    'Discovery:S3/AnomalousBehavior', 'Policy:IAMUser/RootCredentialUsage', 'Stealth:IAMUser/CloudTrailLoggingDisabled',
    'Backdoor:EC2/C&CActivity.B', 'Impact:EC2/WinRMBruteForce', 'Execution:Runtime/NewBinaryExecuted',
    'PrivilegeEscalation:Kubernetes/PrivilegedContainer', 'Exfiltration:S3/AnomalousBehavior', 'AttackSequence:IAM/CompromisedCredentials',
  ];
  const regions = ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-1', 'ap-northeast-1', 'sa-east-1'];
  const list = (xs: string[]) => `[${xs.map((x) => `'${x}'`).join(', ')}]`;
  const select = (from: string, updated: string) => `
    SELECT 'f' || lpad(i::VARCHAR, 9, '0') AS id,
      (100000000000 + hash(i, 1) % 500)::VARCHAR AS account_id,
      list_extract(${list(regions)}, (1 + hash(i, 2) % ${regions.length})::INTEGER) AS region,
      list_extract(${list(types)}, (1 + hash(i, 3) % ${types.length})::INTEGER) AS type,
      'Finding ' || i || ' on ' || 'i-' || lpad(printf('%x', hash(i, 5) % 200000), 8, '0') AS title,
      repeat('Description of finding ' || i || '. ', 8) AS description,
      1 + (hash(i, 4) % 90) / 10.0 AS severity,
      ${updated} - to_milliseconds((hash(i, 6) % ${56 * DAY_MS})::BIGINT) AS created_at,
      ${updated} AS updated_at,
      ${updated} + INTERVAL 5 MINUTE AS exported_at,
      hash(i, 7) % 10 = 0 AS service_archived,
      (1 + hash(i, 8) % 50)::BIGINT AS service_count,
      'Instance' AS resource_resource_type,
      'i-' || lpad(printf('%x', hash(i, 5) % 200000), 8, '0') AS resource_id,
      ${updated} - INTERVAL 1 HOUR AS service_event_first_seen,
      ${updated} AS service_event_last_seen,
      '{"Id":"f' || i || '","Padding":"' || repeat(md5(i::VARCHAR), 24) || '"}' AS finding_json
    FROM ${from}`;
  const latest = `TIMESTAMP '${WEEK_START}' + to_milliseconds((hash(i, 9) % ${7 * DAY_MS - 1000})::BIGINT)`;
  const older = `TIMESTAMP '${WEEK_START}' - to_milliseconds((1 + hash(i, 10) % ${14 * DAY_MS})::BIGINT)`;
  await conn.run(`COPY (
      SELECT *, strftime(updated_at, '%Y-%m-%d') AS dt FROM (
        ${select(`range(${n}) t(i)`, latest)}
        UNION ALL
        ${select(`range(${Math.floor(n / 10)}) t(i)`, older)}
      )
    ) TO '${join(dir, 'findings')}' (FORMAT parquet, PARTITION_BY (dt), ROW_GROUP_SIZE 100000, COMPRESSION zstd)`);
  conn.closeSync();
}

function duSync(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.parquet')) { bytes += statSync(p).size; files++; }
    }
  };
  walk(dir);
  return { bytes, files };
}

async function child(dir: string, top: number): Promise<void> {
  const { runReportFor } = await import('../src/report/index.js');
  const t0 = performance.now();
  const r = await runReportFor({ lake: dir, week: WEEK, top, now: Date.parse('2026-11-23T06:00:00Z') });
  const wall = (performance.now() - t0) / 1000;
  process.stdout.write(`${JSON.stringify({
    wall_s: Math.round(wall * 100) / 100,
    cpu_s: Math.round((process.resourceUsage().userCPUTime + process.resourceUsage().systemCPUTime) / 1e4) / 100,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    html_bytes: Buffer.byteLength(r.rendered.html),
    text_bytes: Buffer.byteLength(r.rendered.text),
    rows: r.report.totals.rowsRead,
    distinct: r.report.totals.distinctFindings,
  })}\n`);
}

if (values.child !== undefined) {
  await child(values.child, Number(values.top));
} else {
  const n = Number(values.n);
  const dir = values.dir ?? (await mkdtemp(join(tmpdir(), 'gdl-bench-report-')));
  let generateS = 0;
  if (!existsSync(join(dir, 'findings'))) {
    mkdirSync(dir, { recursive: true });
    const t0 = performance.now();
    await generate(dir, n);
    generateS = (performance.now() - t0) / 1000;
  }
  const self = fileURLToPath(import.meta.url);
  const tsx = join(fileURLToPath(new URL('../node_modules/.bin/', import.meta.url)), 'tsx');
  const run = spawnSync(existsSync(tsx) ? tsx : 'npx', existsSync(tsx) ? [self, '--child', dir, '--top', String(values.top)] : ['tsx', self, '--child', dir, '--top', String(values.top)], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (run.status !== 0) {
    process.stderr.write(run.stderr);
    process.exit(1);
  }
  const measured = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as Record<string, number>;
  const lake = duSync(join(dir, 'findings'));
  process.stdout.write(`${JSON.stringify({ n, ...measured, files: lake.files, lake_mb: Math.round(lake.bytes / 2 ** 20), generate_s: Math.round(generateS * 10) / 10, top: Number(values.top) })}\n`);
  if (!values.keep && values.dir === undefined) await rm(dir, { recursive: true, force: true });
}
