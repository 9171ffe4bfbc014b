/** CreateInvestigation's quota over days, driven through the handler with an emulated clock. */
import { describe, expect, it } from 'vitest';
import { InvestigationApi, INVESTIGATION_QUOTA } from '../../src/emulator/guardduty-investigations.js';
import { KeyStore } from '../../src/emulator/credentials.js';
import { DEFAULT_ENABLED_REGIONS, DEFAULT_ROLE_NAME, World } from '../../src/emulator/index.js';
import type { EmulatorRequest, ServiceContext } from '../../src/emulator/protocol.js';

const DAY_MS = 86_400_000;

describe('CreateInvestigation quota', () => {
  it('allows 10 per rolling day and 100 in total per administrator', () => {
    // Prepare
    const world = new World({ seed: 1, orgAccounts: 4, findingsPerAccount: 2, now: new Date('2026-11-01T00:00:00Z'), enabledRegions: [...DEFAULT_ENABLED_REGIONS], roleName: DEFAULT_ROLE_NAME, externalId: undefined });
    let now = world.now.getTime();
    const ctx: ServiceContext = { world, keys: new KeyStore(1), faults: { failAccounts: new Set(), failRegions: new Set(), expiredKeys: new Set() }, sentEmails: [], clock: () => now };
    const detector = world.detectorFor(world.adminAccountId, 'us-east-1');
    const caller = { accessKeyId: 'AKIA', secretAccessKey: 's', accountId: world.adminAccountId, arn: 'arn:aws:iam::x:user/u', userId: 'u' };
    const api = new InvestigationApi();
    let n = 0;
    const create = (): string => {
      const req: EmulatorRequest = {
        method: 'POST', path: `/detector/${detector?.detectorId}/investigation`, query: new URLSearchParams(), headers: {},
        body: Buffer.from(JSON.stringify({ triggerPrompt: 'p', clientToken: `t-${n++}` })), region: 'us-east-1', service: 'guardduty', accessKeyId: 'AKIA', requestId: 'r',
      };
      try {
        return String(api.createInvestigation(req, caller, ctx).status);
      } catch (error) {
        return (error as { code?: string }).code ?? 'error';
      }
    };
    // Act
    const perDay: string[][] = [];
    for (let day = 0; day < 11; day++) {
      perDay.push(Array.from({ length: INVESTIGATION_QUOTA.perDay + 1 }, create));
      now += DAY_MS;
    }
    // Assess
    for (const day of perDay.slice(0, 10)) expect(day).toEqual([...Array(10).fill('202'), 'BadRequestException']);
    expect(perDay[10]?.every((r) => r === 'BadRequestException')).toBe(true);
  });
});
