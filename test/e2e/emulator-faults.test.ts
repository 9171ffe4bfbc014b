/**
 * The knobs through the real SDK: the rate limit answers 429 ThrottlingException that the SDK's
 * adaptive retry absorbs (counted), failing accounts/regions, expired credentials, latency.
 */
import { describe, expect, it } from 'vitest';
import { GetFindingsStatisticsCommand, GuardDutyClient, ListDetectorsCommand, ListFindingsCommand } from '@aws-sdk/client-guardduty';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulator } from '../../src/emulator/index.js';
import { withEmulator } from '../helpers/emulator.js';

describe('rate limit', () => {
  const emu = withEmulator({ seed: 5, findingsPerAccount: 5, rateLimit: 5 });

  it('answers 429 ThrottlingException above the limit, and the SDK retries until it passes', async () => {
    // Prepare
    const gd = new GuardDutyClient({ region: 'us-east-1', retryMode: 'adaptive', maxAttempts: 20 });
    const before = emu().counters.throttled;
    // Act
    const results = await Promise.all(Array.from({ length: 10 }, () => gd.send(new ListDetectorsCommand({}))));
    // Assess
    expect(results.every((r) => r.DetectorIds?.length === 1)).toBe(true);
    expect(emu().counters.throttled).toBeGreaterThan(before);
    expect(emu().counters.byOperation['guardduty:ListDetectors']).toBe(10 + emu().counters.throttled - before);
  });

  it('surfaces ThrottlingException with status 429 when retries are off', async () => {
    // Prepare
    const gd = new GuardDutyClient({ region: 'eu-west-1', maxAttempts: 1 });
    // Act
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => gd.send(new ListDetectorsCommand({})).then(() => 'ok', (e: unknown) => e)));
    // Assess
    const failure = outcomes.find((o) => o !== 'ok');
    expect(failure).toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 429 } });
  });

  it('keeps separate buckets per region', async () => {
    // Prepare
    const regions = ['us-west-1', 'sa-east-1'];
    // Act
    const outcomes = await Promise.all(regions.map((region) => new GuardDutyClient({ region, maxAttempts: 1 }).send(new ListDetectorsCommand({})).then(() => 'ok', (e: unknown) => e)));
    // Assess
    expect(outcomes).toEqual(['ok', 'ok']);
  });
});

describe('fault injection', () => {
  const emu = withEmulator({ seed: 6, findingsPerAccount: 5, failRegions: ['eu-west-1'], latencyMs: 20 });

  it('answers 500 InternalServerErrorException in a failing region only', async () => {
    // Act
    const failing = await new GuardDutyClient({ region: 'eu-west-1', maxAttempts: 1 }).send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    const healthy = await new GuardDutyClient({ region: 'us-east-1', maxAttempts: 1 }).send(new ListDetectorsCommand({}));
    // Assess
    expect(failing).toMatchObject({ name: 'InternalServerErrorException', $metadata: { httpStatusCode: 500 } });
    expect(healthy.DetectorIds).toHaveLength(1);
  });

  it('answers AccessDeniedException for a failing account, as caller or as the accountId criterion', async () => {
    // Prepare
    const { world, faults } = emu();
    const member = world.accounts.find((a) => a.role === 'member' && a.status === 'ACTIVE');
    const memberId = member?.id ?? '';
    faults.failAccounts.add(memberId);
    const sts = new STSClient({ region: 'us-east-1' });
    const c = (await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${memberId}:role/${world.roleName}`, RoleSessionName: 'fault' }))).Credentials;
    const asMember = new GuardDutyClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: c?.AccessKeyId ?? '', secretAccessKey: c?.SecretAccessKey ?? '', sessionToken: c?.SessionToken ?? '' } });
    const admin = new GuardDutyClient({ region: 'us-east-1', maxAttempts: 1 });
    const detectorId = (await admin.send(new ListDetectorsCommand({}))).DetectorIds?.[0];
    // Act
    const asCaller = await asMember.send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    const byCriterion = await admin.send(new ListFindingsCommand({ DetectorId: detectorId, FindingCriteria: { Criterion: { accountId: { Equals: [memberId] } } } })).catch((e: unknown) => e);
    const others = await admin.send(new GetFindingsStatisticsCommand({ DetectorId: detectorId, GroupBy: 'ACCOUNT', FindingCriteria: { Criterion: { accountId: { Equals: [world.adminAccountId] } } } }));
    faults.failAccounts.delete(memberId);
    const recovered = await asMember.send(new ListDetectorsCommand({}));
    // Assess
    expect(asCaller).toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 403 } });
    expect(byCriterion).toMatchObject({ name: 'AccessDeniedException' });
    expect(others.FindingStatistics?.GroupedByAccount?.[0]?.AccountId).toBe(world.adminAccountId);
    expect(recovered.DetectorIds).toHaveLength(1);
  });

  it('answers ExpiredTokenException for an expired key', async () => {
    // Prepare
    const { faults, env } = emu();
    faults.expiredKeys.add(env.AWS_ACCESS_KEY_ID ?? '');
    // Act
    const failure = await new GuardDutyClient({ region: 'us-east-1', maxAttempts: 1 }).send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    faults.expiredKeys.clear();
    // Assess
    expect(failure).toMatchObject({ name: 'ExpiredTokenException', $metadata: { httpStatusCode: 403 } });
  });

  it('answers an unknown access key with UnrecognizedClientException', async () => {
    // Act
    const failure = await new GuardDutyClient({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'AKIANOTISSUEDBYUS00', secretAccessKey: 'x' } })
      .send(new ListDetectorsCommand({})).catch((e: unknown) => e);
    // Assess
    expect(failure).toMatchObject({ name: 'UnrecognizedClientException' });
  });

  it('adds the configured latency to each request', async () => {
    // Prepare
    const gd = new GuardDutyClient({ region: 'us-east-1' });
    await gd.send(new ListDetectorsCommand({}));
    // Act
    const t0 = performance.now();
    await gd.send(new ListDetectorsCommand({}));
    const elapsed = performance.now() - t0;
    // Assess
    expect(elapsed).toBeGreaterThanOrEqual(19);
  });
});

describe('determinism', () => {
  it('the same seed gives byte-identical responses; another seed does not', async () => {
    // Prepare
    const now = new Date('2026-11-20T00:00:00Z');
    const a = await startEmulator({ seed: 42, now, findingsPerAccount: 8 });
    const b = await startEmulator({ seed: 42, now, findingsPerAccount: 8 });
    const c = await startEmulator({ seed: 43, now, findingsPerAccount: 8 });
    try {
      // Act
      const fetchAll = async (emu: typeof a) => {
        const creds = { accessKeyId: emu.env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: emu.env.AWS_SECRET_ACCESS_KEY ?? '' };
        const gd = new GuardDutyClient({ region: 'us-east-1', endpoint: emu.url, credentials: creds });
        const detectorId = (await gd.send(new ListDetectorsCommand({}))).DetectorIds?.[0] ?? '';
        const ids = (await gd.send(new ListFindingsCommand({ DetectorId: detectorId, MaxResults: 50 }))).FindingIds ?? [];
        const response = await fetch(`${emu.url}/detector/${detectorId}/findings/get`, {
          method: 'POST',
          headers: { authorization: `AWS4-HMAC-SHA256 Credential=${creds.accessKeyId}/20261120/us-east-1/guardduty/aws4_request, SignedHeaders=host, Signature=0`, 'content-type': 'application/json' },
          body: JSON.stringify({ findingIds: ids.slice(0, 10) }),
        });
        return response.text();
      };
      const [ta, tb, tc] = await Promise.all([fetchAll(a), fetchAll(b), fetchAll(c)]);
      // Assess
      expect(ta.length).toBeGreaterThan(1000);
      expect(tb).toBe(ta);
      expect(tc).not.toBe(ta);
    } finally {
      await Promise.all([a.close(), b.close(), c.close()]);
    }
  });
});
