/**
 * EMF records of real runs, in-process through the CLI's `main`: the export against the emulator
 * (with a failing account and throttling, so every count is non-zero), then the weekly report sent
 * through the emulator's SES v2. Each run's stdout must hold exactly one valid EMF record whose
 * values equal the run's own counts.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/types.js';
import type { RunManifest } from '../../src/lake/types.js';
import { emfProblems, emfRecordsIn, type EmfRecord } from '../../src/metrics/index.js';

interface Run { code: number; stdout: string; stderr: string }

async function cli(argv: string[]): Promise<Run> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = '';
  let stderr = '';
  out.on('data', (c: Buffer) => { stdout += c.toString('utf8'); });
  err.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
  const code = await main(argv, { stdout: out, stderr: err as unknown as NodeJS.WriteStream, env: process.env });
  return { code, stdout, stderr };
}

function onlyRecord(stdout: string): EmfRecord {
  const records = emfRecordsIn(stdout);
  expect(records).toHaveLength(1);
  const [record] = records;
  if (record === undefined) throw new Error('no EMF record');
  expect(emfProblems(record)).toEqual([]);
  expect(record._aws.CloudWatchMetrics[0]?.Namespace).toBe('GuardDutyLake');
  return record;
}

describe('EMF records of real runs', () => {
  let emu: RunningEmulator;
  let dir: string;
  let saved: NodeJS.ProcessEnv;
  let failingAccount: string;

  beforeAll(async () => {
    // Prepare: an Organization with one member whose GuardDuty denies access, and a rate limit.
    emu = await startEmulator({ seed: 7, orgAccounts: 4, findingsPerAccount: 6, rateLimit: 4 });
    failingAccount = emu.world.accounts.find((a) => a.role === 'member')?.id ?? '';
    emu.faults.failAccounts.add(failingAccount);
    saved = { ...process.env };
    for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
    Object.assign(process.env, emu.env);
    dir = mkdtempSync(path.join(tmpdir(), 'gdl-emf-'));
  });

  afterAll(async () => {
    await emu.close();
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
    rmSync(dir, { recursive: true, force: true });
  });

  it('export: FindingsExported, FindingsQuarantined, SlicesFailed, Throttles, DurationSeconds, BytesWritten equal the run\'s', async () => {
    // Act
    const run = await cli(['export', '--lake', path.join(dir, 'lake'), '--mode', 'assume-role', '--regions', 'us-east-1,eu-west-1', '--lookback', '21d', '--run-id', 'emf-1', '--max-attempts', '20']);
    // Assess
    const manifest = readManifest(path.join(dir, 'lake'));
    expect(run.code).toBe(1);
    expect(manifest.totals.failedSlices).toBeGreaterThan(0);
    expect(manifest.totals.findings).toBeGreaterThan(0);
    const record = onlyRecord(run.stdout);
    expect(record).toMatchObject({
      Command: 'export',
      run_id: 'emf-1',
      FindingsExported: manifest.totals.findings,
      FindingsQuarantined: manifest.totals.quarantined,
      SlicesFailed: manifest.totals.failedSlices,
      SlicesWithGaps: manifest.totals.gapSlices,
      BytesWritten: manifest.totals.bytesWritten,
      DurationSeconds: (Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)) / 1000,
    });
    expect(record.Throttles).toBe(emu.counters.throttled);
    expect(emu.counters.throttled).toBeGreaterThan(0);
    // low-cardinality: no account id anywhere in the record
    expect(JSON.stringify(record)).not.toContain(failingAccount);
    expect(record._aws.CloudWatchMetrics[0]?.Dimensions).toEqual([['Command']]);
    // the logs never carry the credentials
    expect(run.stdout).not.toContain(emu.env.AWS_SECRET_ACCESS_KEY ?? 'unset');
  });

  it('report: ReportSent 1 when SES accepted the email, and no full address in the logs', async () => {
    // Act
    const run = await cli(['report', '--lake', path.join(dir, 'lake'), '--email-to', 'secops.team@example.com', '--email-from', 'guardduty@example.com']);
    // Assess
    expect(run.code, run.stdout.slice(-1500)).toBe(0);
    expect(emu.sentEmails).toHaveLength(1);
    const record = onlyRecord(run.stdout);
    expect(record).toMatchObject({ Command: 'report', ReportSent: 1 });
    expect(record).not.toHaveProperty('RunFailed');
    expect(run.stdout).not.toContain('secops.team@example.com');
  });

  it('report: ReportSent 0 and RunFailed 1 when the report fails (templates missing)', async () => {
    // Act
    const run = await cli(['report', '--lake', path.join(dir, 'lake'), '--templates', path.join(dir, 'no-such-templates')]);
    // Assess
    expect(run.code).toBe(1);
    expect(onlyRecord(run.stdout)).toMatchObject({ Command: 'report', ReportSent: 0, RunFailed: 1 });
  });
});

function readManifest(lake: string): RunManifest {
  const runs = path.join(lake, 'runs');
  const files = readdirSync(runs).flatMap((day) => readdirSync(path.join(runs, day)).map((f) => path.join(runs, day, f)));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(files[0] ?? '', 'utf8')) as RunManifest;
}
