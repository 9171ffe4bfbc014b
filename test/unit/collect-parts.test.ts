import { describe, expect, it } from 'vitest';
import { memoizeCredentials, roleSessionName } from '../../src/collect/credentials.js';
import { CandidateBox, InvestigationQuota, clientTokenFor, investigatedFinding, investigationPrompt } from '../../src/collect/auto-investigate.js';
import { ACCOUNTS_PER_CRITERION, findingCriteria } from '../../src/collect/findings.js';
import { groupByWindow, type SlicePlan } from '../../src/collect/slice.js';
import { memberCoverage } from '../../src/collect/detectors.js';
import { AccessDeniedError, CollectError, RegionDisabledError, ThrottledError, translateAwsError } from '../../src/collect/errors.js';
import { needsFetch } from '../../src/collect/investigations.js';
import { ClientFactory, SDK_LOGGER } from '../../src/collect/clients.js';
import { RequestGate } from '../../src/collect/limits.js';

describe('memoizeCredentials', () => {
  it('reuses credentials until shortly before expiry, then refreshes', async () => {
    // Prepare
    let clock = 0;
    let issued = 0;
    const provider = memoizeCredentials(async () => {
      issued += 1;
      return { accessKeyId: `k${issued}`, secretAccessKey: 's', expiration: new Date(clock + 3_600_000) };
    }, { now: () => clock, refreshBeforeMs: 300_000 });
    // Act
    const first = await provider();
    const concurrent = await Promise.all([provider(), provider()]);
    clock = 3_600_000 - 300_001;
    const beforeWindow = await provider();
    clock = 3_600_000 - 299_999;
    const refreshed = await provider();
    // Assess
    expect(first.accessKeyId).toBe('k1');
    expect(concurrent.map((c) => c.accessKeyId)).toEqual(['k1', 'k1']);
    expect(beforeWindow.accessKeyId).toBe('k1');
    expect(refreshed.accessKeyId).toBe('k2');
    expect(issued).toBe(2);
  });

  it('does not cache a failure', async () => {
    // Prepare
    let attempts = 0;
    const provider = memoizeCredentials(async () => {
      attempts += 1;
      if (attempts === 1) throw new Error('sts down');
      return { accessKeyId: 'ok', secretAccessKey: 's' };
    });
    // Act / Assess
    await expect(provider()).rejects.toThrow('sts down');
    await expect(provider()).resolves.toMatchObject({ accessKeyId: 'ok' });
  });

  it('builds a role session name STS accepts', () => {
    expect(roleSessionName('2026-11-22T04:00:00Z/abc'.repeat(4))).toMatch(/^guardduty-lake-[\w+=,.@-]{1,49}$/);
  });
});

describe('auto-investigate quota', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  const existing = (n: number, accountId: string, day: string) =>
    Array.from({ length: n }, (_, i) => ({ InvestigationId: `i-${accountId}-${day}-${i}`, AccountId: accountId, FindingId: `f-${accountId}-${day}-${i}`, StartTime: new Date(`${day}T01:00:00Z`) }));

  it('allows 10 per 24 hours, counting the existing ones started in the last day', () => {
    // Prepare
    const quota = new InvestigationQuota([...existing(7, 'a', '2026-11-22'), ...existing(9, 'a', '2026-11-20')], now);
    // Act
    const granted = Array.from({ length: 5 }, (_, i) => quota.take(`new-${i}`));
    // Assess
    expect(granted).toEqual([true, true, true, false, false]);
    expect(quota.has('f-a-2026-11-20-0')).toBe(true);
    expect(quota.has('new-0')).toBe(true);
  });

  it('never goes past 100 in total', () => {
    // Prepare
    const quota = new InvestigationQuota(existing(98, 'x', '2026-10-01'), now);
    // Act
    const granted = ['a', 'b', 'c', 'd'].map((f) => quota.take(f));
    // Assess
    expect(granted).toEqual([true, true, false, false]);
    quota.release('a');
    expect(quota.has('a')).toBe(false);
    expect(quota.take('c')).toBe(true);
  });

  it('recognises the finding of an earlier investigation from the prompt it was started with', () => {
    // Prepare
    const prompt = investigationPrompt({ findingId: 'abc123', accountId: '123456789012', region: 'us-east-1', detectorId: 'd', severity: 8 });
    // Act
    const quota = new InvestigationQuota([{ InvestigationId: 'i-1', TriggerPrompt: prompt, FindingId: '' }], now);
    // Assess
    expect(investigatedFinding({ TriggerPrompt: prompt })).toBe('abc123');
    expect(quota.has('abc123')).toBe(true);
    expect(quota.known.has('i-1')).toBe(true);
  });

  it('derives the same ClientToken from the same finding id', () => {
    expect(clientTokenFor('abc')).toBe(clientTokenFor('abc'));
    expect(clientTokenFor('abc')).not.toBe(clientTokenFor('abd'));
    expect(clientTokenFor('x'.repeat(500)).length).toBeLessThanOrEqual(64);
  });

  it('names the finding and the account in the prompt', () => {
    const prompt = investigationPrompt({ findingId: 'f1', accountId: '123456789012', region: 'us-east-1', detectorId: 'd', severity: 9.5, type: 'Backdoor:EC2/C&CActivity.B' });
    expect(prompt).toContain('f1');
    expect(prompt).toContain('123456789012');
  });

  it('keeps only the most severe candidates per account', () => {
    // Prepare
    const box = new CandidateBox(2);
    // Act
    for (const [id, sev] of [['f1', 7.1], ['f2', 9.9], ['f3', 8.0], ['f4', 7.5]] as const) {
      box.offer({ findingId: id, accountId: 'a', region: 'us-east-1', detectorId: 'd', severity: sev });
    }
    // Assess
    expect(box.all().map((c) => c.findingId)).toEqual(['f2', 'f3']);
  });
});

describe('findingCriteria', () => {
  it.each([
    [{ includeArchived: false }, { 'service.archived': { Equals: ['false'] } }],
    [{ includeArchived: true }, {}],
    [{ includeArchived: false, accountIds: ['123456789012'] }, { 'service.archived': { Equals: ['false'] }, accountId: { Equals: ['123456789012'] } }],
    [{ includeArchived: true, accountIds: ['123456789012', '210987654321'] }, { accountId: { Equals: ['123456789012', '210987654321'] } }],
  ])('%j', (options, extra) => {
    const criteria = findingCriteria({ window: { fromMs: 1000, toMs: 2000 }, ...options });
    expect(criteria.Criterion).toEqual({ updatedAt: { GreaterThanOrEqual: 1000, LessThanOrEqual: 2000 }, ...extra });
  });
});

it.each([0, ACCOUNTS_PER_CRITERION + 1])('findingCriteria refuses an account list of %i ids', (n) => {
  // Prepare
  const accountIds = Array.from({ length: n }, (_, i) => String(100000000000 + i));
  // Act / Assess
  expect(() => findingCriteria({ window: { fromMs: 0, toMs: 1 }, includeArchived: false, accountIds })).toThrow(RangeError);
});

describe('memberCoverage', () => {
  const admin = { accountId: '999999999999', detectorId: 'det', region: 'eu-west-1' };
  const members = new Map([['111111111111', 'Enabled'], ['222222222222', 'Disabled'], ['333333333333', 'RegionDisabled'], ['444444444444', 'Invited']]);
  it.each([
    ['999999999999', 'ok'],
    ['111111111111', 'ok'],
    ['222222222222', 'detector-suspended'],
    ['333333333333', 'region-disabled'],
    ['444444444444', 'no-detector'],
    ['555555555555', 'no-detector'],
  ])('%s → %s', (account, status) => {
    expect(memberCoverage(account, admin, members).status).toBe(status);
  });
});

describe('translateAwsError', () => {
  const aws = (name: string, status: number) => Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });
  it.each([
    ['AccessDeniedException', 403, AccessDeniedError],
    ['AccessDenied', 403, AccessDeniedError],
    ['UnrecognizedClientException', 403, RegionDisabledError],
    ['ThrottlingException', 429, ThrottledError],
    ['InternalServerErrorException', 500, CollectError],
  ])('%s → its class, naming the call', (name, status, cls) => {
    const translated = translateAwsError(aws(name, status), 'guardduty:ListFindings 1/us-east-1');
    expect(translated).toBeInstanceOf(cls);
    expect((translated as Error).message).toContain('guardduty:ListFindings 1/us-east-1');
    expect((translated as CollectError).awsCode).toBe(name);
  });
  it('passes other errors through', () => {
    const e = new TypeError('bug');
    expect(translateAwsError(e, 'x')).toBe(e);
  });
});

describe('needsFetch', () => {
  it.each([
    [{ InvestigationId: 'a', Status: 'COMPLETED' as const }, ['a'], false],
    [{ InvestigationId: 'a', Status: 'RUNNING' as const }, ['a'], true],
    [{ InvestigationId: 'b', Status: 'COMPLETED' as const }, ['a'], true],
  ])('%j known %j → %s', (summary, known, expected) => {
    expect(needsFetch(summary, new Set(known))).toBe(expected);
  });
});

describe('groupByWindow', () => {
  const plan = (accountId: string, start: string, end = '2026-11-22T00:00:00.000Z'): SlicePlan => ({ accountId, window: { start, end }, resumed: false });
  it.each([
    ['all members share the window: one group', [plan('1', 'a'), plan('2', 'a'), plan('3', 'a')], [['1', '2', '3']]],
    ['a new member (lookback window) forms its own group', [plan('1', 'a'), plan('2', 'b'), plan('3', 'a')], [['1', '3'], ['2']]],
    ['same start, different end (a resumed window): two groups', [plan('1', 'a'), plan('2', 'a', '2026-11-21T00:00:00.000Z')], [['1'], ['2']]],
    ['no members: no groups', [], []],
  ])('%s', (_name, plans, expected) => {
    // Act
    const groups = groupByWindow(plans);
    // Assess
    expect(groups.map((g) => g.map((p) => p.accountId))).toEqual(expected);
  });
});

describe('SDK clients', () => {
  it('carry a logger without `info`, so the SDK never builds redacted copies of responses for it', () => {
    // Prepare
    const factory = new ClientFactory({ maxAttempts: 3, homeRegion: 'us-east-1', gate: new RequestGate({ concurrency: 1, scopeConcurrency: 1 }) });
    // Act
    const loggers = [factory.guardDuty('111122223333', 'eu-west-1').config.logger, factory.organizations().config.logger, factory.sts().config.logger];
    factory.destroy();
    // Assess
    for (const logger of loggers) {
      expect(logger).toBe(SDK_LOGGER);
      expect('info' in logger).toBe(false);
    }
  });
});
