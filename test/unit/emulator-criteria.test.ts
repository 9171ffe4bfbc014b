/** FindingCriteria, statistics rules and the rate limiter, without HTTP. */
import { describe, expect, it } from 'vitest';
import { compileCriteria, sortMetas } from '../../src/emulator/criteria.js';
import { findingStatistics } from '../../src/emulator/statistics.js';
import { RateLimiter } from '../../src/emulator/rate-limit.js';
import { ServiceError } from '../../src/emulator/errors.js';
import type { FindingMeta } from '../../src/emulator/index.js';

const meta = (over: Partial<FindingMeta>): FindingMeta => ({
  id: 'a'.repeat(32), accountId: '111111111111', region: 'us-east-1', detectorId: 'd', type: 'Recon:EC2/PortProbeUnprotectedPort',
  severity: 5, createdAt: 1_000, updatedAt: 2_000, archived: false, count: 1, resourceType: 'Instance', resourceId: 'i-1', kind: 'ec2', ...over,
});

describe('compileCriteria', () => {
  it.each([
    ['eq on accountId', { accountId: { eq: ['111111111111'] } }, true],
    ['equals miss', { accountId: { equals: ['222222222222'] } }, false],
    ['neq', { accountId: { neq: ['111111111111'] } }, false],
    ['notEquals', { accountId: { notEquals: ['222222222222'] } }, true],
    ['gte/lt on updatedAt ms', { updatedAt: { gte: 2_000, lt: 2_001 } }, true],
    ['greaterThan on updatedAt', { updatedAt: { greaterThan: 2_000 } }, false],
    ['lessThanOrEqual on severity', { severity: { lessThanOrEqual: 5 } }, true],
    ['archived eq "false"', { 'service.archived': { eq: ['false'] } }, true],
    ['archived equals "true"', { 'service.archived': { equals: ['true'] } }, false],
    ['severity eq "5"', { severity: { eq: ['5'] } }, true],
    ['matches wildcard', { type: { matches: ['Recon:*'] } }, true],
    ['notMatches wildcard', { type: { notMatches: ['Recon:*'] } }, false],
  ])('%s', (_name, criterion, expected) => {
    // Act
    const test = compileCriteria(criterion);
    // Assess
    expect(test(meta({}))).toBe(expected);
  });

  it.each([
    ['an unknown field', { 'resource.nope': { eq: ['x'] } }],
    ['an unknown operator', { severity: { near: 5 } }],
    ['a string where a number is needed', { updatedAt: { gte: '2026' } }],
  ])('rejects %s with BadRequestException', (_name, criterion) => {
    // Act / Assess
    expect(() => compileCriteria(criterion as never)).toThrow(expect.objectContaining({ code: 'BadRequestException' }));
  });

  it('sorts by an attribute with ties broken by id', () => {
    // Prepare
    const metas = [meta({ id: 'c', severity: 2 }), meta({ id: 'a', severity: 8 }), meta({ id: 'b', severity: 2 })];
    // Act
    sortMetas(metas, { attributeName: 'severity', orderBy: 'DESC' });
    // Assess
    expect(metas.map((m) => m.id)).toEqual(['a', 'c', 'b']);
  });
});

describe('findingStatistics', () => {
  const metas = [meta({ severity: 2 }), meta({ severity: 2, id: 'b' }), meta({ severity: 8, id: 'c', accountId: '222222222222' })];

  it.each([
    ['both groupBy and findingStatisticTypes', { groupBy: 'SEVERITY', findingStatisticTypes: ['COUNT_BY_SEVERITY'] }],
    ['neither', {}],
    ['maxResults 101', { groupBy: 'ACCOUNT', maxResults: 101 }],
    ['maxResults with COUNT_BY_SEVERITY', { findingStatisticTypes: ['COUNT_BY_SEVERITY'], maxResults: 5 }],
    ['an unknown groupBy', { groupBy: 'REGION' }],
  ])('rejects %s', (_name, req) => {
    // Act / Assess
    expect(() => findingStatistics(metas, req)).toThrow(ServiceError);
  });

  it('groups by account, largest first, and honours maxResults', () => {
    // Act
    const out = findingStatistics(metas, { groupBy: 'ACCOUNT', maxResults: 1 });
    // Assess
    expect(out).toEqual({ groupedByAccount: [{ accountId: '111111111111', totalFindings: 2, lastGeneratedAt: 2 }] });
  });

  it('counts by severity for COUNT_BY_SEVERITY', () => {
    // Act / Assess
    expect(findingStatistics(metas, { findingStatisticTypes: ['COUNT_BY_SEVERITY'] })).toEqual({ countBySeverity: { 2: 2, 8: 1 } });
  });
});

describe('RateLimiter', () => {
  it('lets a burst of `rate` through, throttles the next, refills over time', () => {
    // Prepare
    let now = 0;
    const limiter = new RateLimiter(2, () => now);
    // Act
    const burst = [limiter.take('k'), limiter.take('k'), limiter.take('k')];
    const other = limiter.take('other');
    now = 500;
    const afterHalfSecond = limiter.take('k');
    // Assess
    expect(burst).toEqual([true, true, false]);
    expect(other).toBe(true);
    expect(afterHalfSecond).toBe(true);
  });

  it('never throttles when the rate is 0', () => {
    // Prepare
    const limiter = new RateLimiter(0, () => 0);
    // Act / Assess
    expect(Array.from({ length: 100 }, () => limiter.take('k')).every(Boolean)).toBe(true);
  });
});
