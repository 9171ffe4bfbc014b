import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { propsFromContext } from '../lib/context.js';
import { resolveProps, type GuardDutyLakeProps } from '../lib/props.js';

const base: GuardDutyLakeProps = { image: { kind: 'ecr', repositoryName: 'r', tag: 't' }, tables: [] };

describe('propsFromContext', () => {
  it('reads guardduty-lake:* context, numbers as numbers, absent as undefined', () => {
    // Prepare
    const app = new App({ context: { 'guardduty-lake:mode': 'assume-role', 'guardduty-lake:shards': '4', 'guardduty-lake:cpu': 2048, 'guardduty-lake:emailTo': '' } });
    // Act
    const props = propsFromContext(app);
    // Assess
    expect(props).toMatchObject({ mode: 'assume-role', shards: 4, cpu: 2048 });
    expect(props.emailTo).toBeUndefined();
    expect(props.memoryMiB).toBeUndefined();
  });

  it.each([
    ['guardduty-lake:mode', 'root', /must be one of delegated-admin, assume-role/],
    ['guardduty-lake:autoInvestigate', 'all', /must be one of off, critical, high/],
    ['guardduty-lake:shards', 'many', /must be a number/],
  ])('rejects %s=%s', (key, value, message) => {
    expect(() => propsFromContext(new App({ context: { [key]: value } }))).toThrow(message);
  });
});

describe('resolveProps', () => {
  it('applies the documented defaults', () => {
    // Act
    const s = resolveProps(base);
    // Assess
    expect(s).toMatchObject({
      lakePrefix: 'guardduty', databaseName: 'guardduty_lake', mode: 'delegated-admin', memberRoleName: 'GuardDutyLakeReadOnly',
      autoInvestigate: 'off', regions: 'all', cpu: 1024, memoryMiB: 2048, shards: 1,
      exportSchedule: 'cron(30 2 * * ? *)', reportSchedule: 'cron(0 7 ? * MON *)', compactSchedule: 'cron(0 12 ? * SUN *)', athenaBytesScannedCutoff: 10 * 1024 ** 3,
    });
  });

  it('trims slashes from the lake prefix', () => {
    expect(resolveProps({ ...base, lakePrefix: '/lake/gd/' }).lakePrefix).toBe('lake/gd');
  });

  it.each([
    ['shards 0', { shards: 0 }, /shards must be 1..100/],
    ['email without identity', { emailTo: 'a@b.co', emailFrom: 'c@b.co' }, /go together/],
    ['recipients without sender', { emailTo: 'a@b.co', sesIdentity: 'b.co' }, /go together/],
  ] as const)('rejects %s', (_, over, message) => {
    expect(() => resolveProps({ ...base, ...over })).toThrow(message);
  });
});
