/**
 * Mirrors the Docker image without a Docker engine: build and `npm pack` the project (the build stage),
 * install the tarball with production dependencies only into an empty directory (the runtime
 * stage's `npm ci --omit=dev`), and run the CLI from there (the ENTRYPOINT).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunManifest } from '../../src/lake/types.js';
import { emfProblems, emfRecordsIn } from '../../src/metrics/index.js';

const run = promisify(execFile);
const repoRoot = path.resolve(import.meta.dirname, '../..');

interface Result { code: number; stdout: string; stderr: string }

async function exec(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  try {
    const { stdout, stderr } = await run(cmd, args, { cwd, env, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('packed install (what the runtime image holds)', () => {
  let work: string;
  let app: string;
  let cli: string;

  beforeAll(async () => {
    // Prepare: build (unless `npm ci`'s prepare already built dist/ from the current sources), pack,
    // then install the tarball with --omit=dev.
    if (!distIsFresh()) {
      const built = await exec('npm', ['run', 'build', '--silent'], repoRoot);
      expect(built.code, built.stdout + built.stderr).toBe(0);
    }
    work = mkdtempSync(path.join(tmpdir(), 'gdl-pack-'));
    const packed = await exec('npm', ['pack', '--ignore-scripts', '--pack-destination', work, '--json', '--silent'], repoRoot);
    expect(packed.code, packed.stderr).toBe(0);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>;
    app = path.join(work, 'app');
    rmSync(app, { recursive: true, force: true });
    await exec('mkdir', ['-p', app], work);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'image-probe', private: true }));
    const installed = await exec('npm', [
      'install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error',
      path.join(work, info?.filename ?? 'missing.tgz'),
    ], app);
    expect(installed.code, installed.stderr).toBe(0);
    cli = path.join(app, 'node_modules', 'guardduty-lake', 'dist', 'cli.js');
  }, 120_000);

  afterAll(() => {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  });

  it('holds no dev dependency and no sources or tests', () => {
    // Assess
    const modules = readdirSync(path.join(app, 'node_modules'));
    for (const dev of ['vitest', 'typescript', 'tsx', 's3rver', 'aws-cdk-lib', 'cdk-nag', 'dockerfilelint']) expect(modules).not.toContain(dev);
    expect(existsSync(path.join(app, 'node_modules', '@duckdb'))).toBe(false);
    const pkg = readdirSync(path.join(app, 'node_modules', 'guardduty-lake'));
    expect(pkg).toContain('dist');
    expect(pkg).not.toContain('src');
    expect(pkg).not.toContain('test');
    expect(pkg).not.toContain('deploy');
  });

  it('runs `guardduty-lake --help` through the installed bin', async () => {
    // Act
    const r = await exec(path.join(app, 'node_modules', '.bin', 'guardduty-lake'), ['--help'], app);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Usage: guardduty-lake <command>');
    for (const c of ['export', 'report', 'import', 'ddl', 'emulator', 'demo']) expect(r.stdout).toContain(`  ${c} `);
  });

  it.each([['export'], ['report'], ['ddl'], ['emulator']])('loads `%s --help` (the image ENTRYPOINT: node dist/cli.js)', async (command) => {
    // Act
    const r = await exec('node', [cli, command, '--help'], app);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Usage: guardduty-lake ${command}`);
  });

  it('exits 2 naming the setting on bad configuration', async () => {
    // Act
    const r = await exec('node', [cli, 'export', '--lake', '/tmp/x', '--regions', 'mars-1'], app);
    // Assess
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--regions');
  });

  it('encodes Parquet (parquet-wasm\'s bundled .wasm) and the DDL with only production dependencies installed', async () => {
    // Prepare
    const probe = [
      "const { encodeParquet } = await import('guardduty-lake/dist/transform/parquet.js');",
      "const { TABLES } = await import('guardduty-lake/dist/transform/tables.js');",
      "const { athenaDdl } = await import('guardduty-lake/dist/lake/ddl.js');",
      "const row = { source_account_id: '111122223333', region: 'us-east-1', detector_id: 'd1', group_by: 'SEVERITY', group_key: '8', count: 3n, captured_at: new Date(), run_id: 'r1', severity: 8 };",
      "const bytes = await encodeParquet(TABLES.finding_statistics, [row]);",
      "const ddl = athenaDdl({ database: 'guardduty_lake', lake: 's3://my-lake/guardduty', tables: Object.values(TABLES) });",
      "console.log(JSON.stringify({ magic: Buffer.from(bytes.slice(0, 4)).toString(), ddl: String(ddl).slice(0, 400) }));",
    ].join('\n');
    writeFileSync(path.join(app, 'probe.mjs'), probe);
    // Act
    const r = await exec('node', ['probe.mjs'], app);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { magic: string; ddl: string };
    expect(out.magic).toBe('PAR1');
    expect(out.ddl).toContain('CREATE EXTERNAL TABLE');
  });

  it('prints the Athena DDL through the installed CLI', async () => {
    // Act
    const r = await exec('node', [cli, 'ddl', '--lake', 's3://my-lake/guardduty'], app);
    // Assess
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/CREATE EXTERNAL TABLE IF NOT EXISTS `guardduty_lake`\.`findings`/);
    expect(r.stdout).toContain("'projection.enabled' = 'true'");
  });

  it('exports from the packaged emulator into a lake and emits one valid EMF record with the run\'s counts', async () => {
    // Prepare: the packaged emulator, as a separate process, like a real endpoint.
    const emulator = await serveEmulator(cli, app);
    const lake = path.join(work, 'lake');
    try {
      // Act
      const r = await exec('node', [cli, 'export', '--lake', lake, '--regions', 'us-east-1,eu-west-1', '--lookback', '14d'], app, {
        PATH: process.env.PATH, HOME: process.env.HOME, ...emulator.env,
      });
      // Assess: a complete run, its manifest, and the EMF record equal to the manifest's totals.
      expect(r.code, r.stdout.slice(-2000) + r.stderr).toBe(0);
      const manifest = readManifest(lake);
      expect(manifest.totals.findings).toBeGreaterThan(0);
      const records = emfRecordsIn(r.stdout);
      expect(records).toHaveLength(1);
      const [record] = records;
      expect(emfProblems(record)).toEqual([]);
      expect(record?._aws.CloudWatchMetrics[0]?.Metrics.map((m) => m.Name)).toEqual(expect.arrayContaining([
        'FindingsExported', 'FindingsQuarantined', 'SlicesFailed', 'Throttles', 'DurationSeconds', 'BytesWritten',
      ]));
      expect(record).toMatchObject({
        Command: 'export',
        run_id: manifest.runId,
        FindingsExported: manifest.totals.findings,
        FindingsQuarantined: manifest.totals.quarantined,
        SlicesFailed: manifest.totals.failedSlices,
        BytesWritten: manifest.totals.bytesWritten,
        DurationSeconds: (Date.parse(manifest.finishedAt) - Date.parse(manifest.startedAt)) / 1000,
      });
      // every other stdout line is a JSON log line, and none carries the secret key
      const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
      for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(r.stdout).not.toContain(PROBE_SECRET);
    } finally {
      emulator.child.kill('SIGTERM');
    }
  });
});

/** dist/cli.js is newer than every file under src/ (the build writes every output file). */
function distIsFresh(): boolean {
  const cli = path.join(repoRoot, 'dist', 'cli.js');
  if (!existsSync(cli)) return false;
  const built = statSync(cli).mtimeMs;
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true }).reduce((max, e) => {
    const p = path.join(dir, e.name);
    return Math.max(max, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);
  return newest(path.join(repoRoot, 'src')) < built;
}

interface ServedEmulator { child: ChildProcess; env: Record<string, string> }

const PROBE_SECRET = 'pack-test-any-secret-7f3a';

/** Starts `guardduty-lake emulator --port 0`, reads the SDK environment from its first log line, adds a made-up secret. */
async function serveEmulator(cli: string, cwd: string): Promise<ServedEmulator> {
  const child = spawn('node', [cli, 'emulator', '--port', '0', '--org-accounts', '3', '--findings-per-account', '5'], { cwd, stdio: ['ignore', 'pipe', 'inherit'] });
  const env = await new Promise<Record<string, string>>((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`emulator exited ${String(code)}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const line = buffered.split('\n').find((l) => l.includes('"env"'));
      // The log line holds no secret key; the emulator does not check signatures, so any secret works.
      if (line !== undefined) resolve({ ...(JSON.parse(line) as { env: Record<string, string> }).env, AWS_SECRET_ACCESS_KEY: PROBE_SECRET });
    });
  });
  return { child, env };
}

function readManifest(lake: string): RunManifest {
  const runs = path.join(lake, 'runs');
  const [day] = readdirSync(runs);
  const dir = path.join(runs, day ?? '');
  const [file] = readdirSync(dir);
  return JSON.parse(readFileSync(path.join(dir, file ?? ''), 'utf8')) as RunManifest;
}
