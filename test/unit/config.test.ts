import { describe, expect, it } from 'vitest';
import { loadConfig, parseDuration } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { main } from '../../src/cli.js';
import { Writable } from 'node:stream';

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _enc, cb) { w.text += String(chunk); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

describe('loadConfig', () => {
  it('applies defaults for export', () => {
    // Act
    const c = loadConfig('export', { lake: '/tmp/lake' }, {});
    // Assess
    expect(c.accounts).toBe('org');
    expect(c.mode).toBe('delegated-admin');
    expect(c.regions.length).toBeGreaterThan(15);
    expect(c.lookbackMs).toBe(7 * 86_400_000);
    expect(c.overlapMs).toBe(15 * 60_000);
    expect(c.shard).toEqual({ index: 0, count: 1 });
  });

  it('reads GDL_ environment variables when a flag is absent, flags win', () => {
    const env = { GDL_REGIONS: 'eu-west-1,us-east-1', GDL_INCLUDE_ARCHIVED: 'true', GDL_MODE: 'assume-role' };
    const c = loadConfig('export', { lake: 's3://my-bucket/lake', mode: 'delegated-admin' }, env);
    expect(c.regions).toEqual(['eu-west-1', 'us-east-1']);
    expect(c.includeArchived).toBe(true);
    expect(c.mode).toBe('delegated-admin');
  });

  it('takes the shard from AWS Batch array variables', () => {
    const c = loadConfig('export', { lake: 'x' }, { AWS_BATCH_JOB_ARRAY_INDEX: '2', AWS_BATCH_JOB_ARRAY_SIZE: '4' });
    expect(c.shard).toEqual({ index: 2, count: 4 });
  });

  it.each([
    ['regions', { regions: 'nowhere-1' }, /--regions .*"nowhere-1" is not a GuardDuty region/],
    ['lookback', { lookback: '91d' }, /--lookback .*longer than 90d/],
    ['lookback', { lookback: 'soon' }, /--lookback .*not a duration/],
    ['accounts', { accounts: '123' }, /--accounts .*"123"/],
    ['mode', { mode: 'root' }, /--mode .*delegated-admin, assume-role/],
    ['shard', { shard: '3/3' }, /--shard .*K\/N/],
    ['concurrency', { concurrency: '0' }, /--concurrency .*from 1 to 512/],
    ['lake', { lake: 's3://A_B' }, /--lake/],
    ['kms-key-id', { sse: 'aws:kms' }, /--kms-key-id .*required/],
    ['ous', { ous: 'ou-bad' }, /--ous .*not an OU id/],
  ])('rejects a bad --%s with one line naming it', (setting, flags, message) => {
    // Act
    const act = () => loadConfig('export', { lake: '/tmp/l', ...flags }, {});
    // Assess
    expect(act).toThrow(ConfigError);
    expect(act).toThrow(message);
    try { act(); } catch (e) {
      expect((e as ConfigError).setting).toBe(setting);
      expect((e as Error).message).not.toContain('\n');
    }
  });

  it.each([['7d', 604_800_000], ['36h', 129_600_000], ['15m', 900_000], ['30s', 30_000], ['7', undefined], ['d', undefined]])(
    'parseDuration(%s) = %s', (text, ms) => expect(parseDuration(text)).toBe(ms),
  );
});

describe('cli', () => {
  it('exits 2 with one line naming the setting for an invalid region', async () => {
    // Prepare
    const out = sink(); const err = sink();
    // Act
    const code = await main(['export', '--lake', '/tmp/x', '--regions', 'nowhere-1'], { env: {}, stdout: out, stderr: err as never });
    // Assess
    expect(code).toBe(2);
    expect(err.text.trim().split('\n')).toHaveLength(1);
    expect(err.text).toMatch(/--regions/);
  });

  it.each(['export', 'report', 'import', 'ddl', 'emulator', 'demo'])('prints --help for %s', async (command) => {
    const out = sink();
    const code = await main([command, '--help'], { env: {}, stdout: out, stderr: sink() as never });
    expect(code).toBe(0);
    expect(out.text).toContain(`guardduty-lake ${command}`);
    expect(out.text).toContain('GDL_LOG_LEVEL');
  });

  it('exits 2 on an unknown flag and an unknown command', async () => {
    const err = sink();
    expect(await main(['export', '--nope'], { env: {}, stdout: sink(), stderr: err as never })).toBe(2);
    expect(await main(['explode'], { env: {}, stdout: sink(), stderr: err as never })).toBe(2);
    expect(err.text).toMatch(/nope/);
  });
});
