import { describe, expect, it } from 'vitest';
import {
  compactInstant, dtOfKey, importObjectKey, importQuarantineKey, manifestKey, partOfKey, reportKey,
  sliceObjectKey, sliceQuarantineKey, utcDate, watermarkKey,
} from '../../src/lake/keys.js';
import { LakeKeyError } from '../../src/lake/errors.js';

const slice = { accountId: '111122223333', region: 'eu-west-1', windowStart: '2026-11-14T00:00:00Z', windowEnd: '2026-11-21T03:04:05.678Z' };

describe('lake keys', () => {
  it('are deterministic for (table, dt, account, region, window, part)', () => {
    // Act
    const a = sliceObjectKey('findings', '2026-11-20', slice, 3);
    const b = sliceObjectKey('findings', '2026-11-20', { ...slice }, 3);
    // Assess
    expect(a).toBe(b);
    expect(a).toBe('findings/dt=2026-11-20/111122223333_eu-west-1_20261114T000000000Z_20261121T030405678Z_p0003.parquet');
    expect(dtOfKey(a)).toBe('2026-11-20');
    expect(partOfKey(a)).toBe(3);
  });

  it.each([
    ['another window end', { ...slice, windowEnd: '2026-11-22T00:00:00Z' }],
    ['another region', { ...slice, region: 'us-east-1' }],
    ['another account', { ...slice, accountId: '444455556666' }],
  ])('differ for %s', (_what, other) => {
    expect(sliceObjectKey('findings', '2026-11-20', other)).not.toBe(sliceObjectKey('findings', '2026-11-20', slice));
  });

  it.each([
    ['watermark', () => watermarkKey('111122223333', 'us-east-1'), '_state/watermarks/111122223333/us-east-1.json'],
    ['manifest', () => manifestKey('run-1', '2026-11-22T23:59:59.999Z'), 'runs/dt=2026-11-22/run-1.json'],
    ['report', () => reportKey('2026-W47', 'report.html'), 'reports/2026-W47/report.html'],
    ['import object', () => importObjectKey('findings', '2024-01-02', 'abcdef0123456789'), 'findings/dt=2024-01-02/import_abcdef0123456789_p0000.parquet'],
    ['import quarantine', () => importQuarantineKey('2026-11-22', 'abcdef0123456789'), 'quarantine/dt=2026-11-22/import_abcdef0123456789.jsonl'],
    ['slice quarantine', () => sliceQuarantineKey('2026-11-22', slice), 'quarantine/dt=2026-11-22/111122223333_eu-west-1_20261114T000000000Z_20261121T030405678Z.jsonl'],
  ])('%s key', (_what, make, expected) => {
    expect(make()).toBe(expected);
  });

  it.each([
    () => watermarkKey('1111', 'us-east-1'),
    () => watermarkKey('111122223333', '../x'),
    () => sliceObjectKey('findings', '2026-1-1', slice),
    () => manifestKey('a/b', '2026-01-01T00:00:00Z'),
    () => reportKey('2026-47', 'x.html'),
    () => reportKey('2026-W47', '../x'),
    () => utcDate('not a date'),
    () => sliceObjectKey('findings', '2026-01-01', slice, 10_000),
  ])('rejects bad parts (%#)', (make) => {
    expect(make).toThrow(LakeKeyError);
  });

  it('uses the UTC date for dt and a colon-free stamp', () => {
    expect(utcDate(new Date('2026-11-21T23:30:00-02:00'))).toBe('2026-11-22');
    expect(compactInstant('2026-11-21T23:30:00.5Z')).toBe('20261121T233000500Z');
  });
});
