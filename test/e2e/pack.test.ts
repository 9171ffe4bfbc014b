/**
 * Mirrors the Docker image without a Docker engine: `npm pack` the project (the build stage),
 * install the tarball with production dependencies only into an empty directory (the runtime
 * stage's `npm ci --omit=dev`), and run the CLI from there (the ENTRYPOINT).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

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
    // Prepare: pack (runs `prepare` = the TypeScript build), then install with --omit=dev.
    work = mkdtempSync(path.join(tmpdir(), 'gdl-pack-'));
    const packed = await exec('npm', ['pack', '--pack-destination', work, '--json', '--silent'], repoRoot);
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
});
