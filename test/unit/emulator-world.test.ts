/** The seeded world without HTTP: determinism, shape of the Organization, spread of the findings. */
import { describe, expect, it } from 'vitest';
import { World, startEmulator, EmulatorStartError, DEFAULT_ENABLED_REGIONS, DEFAULT_ROLE_NAME, FINDING_KINDS, HOSTILE_TEXT, SEVERITY_BANDS } from '../../src/emulator/index.js';
import { GUARDDUTY_REGIONS } from '../../src/collect/regions.js';
import type { FindingMeta } from '../../src/emulator/index.js';

const NOW = new Date('2026-11-20T00:00:00Z');
const makeWorld = (seed: number, extra: Partial<ConstructorParameters<typeof World>[0]> = {}) => new World({
  seed, orgAccounts: 8, findingsPerAccount: 20, now: NOW, enabledRegions: [...DEFAULT_ENABLED_REGIONS], roleName: DEFAULT_ROLE_NAME, externalId: undefined, ...extra,
});
const allMetas = (w: World): FindingMeta[] => w.findingIds({ includeArchived: true }).map((id) => w.findingMeta(id)).filter((m): m is FindingMeta => m !== undefined);

describe('seeded world', () => {
  it('is identical for the same seed and different for another', () => {
    // Prepare
    const a = makeWorld(9);
    const b = makeWorld(9);
    const c = makeWorld(10);
    const id = a.findingIds()[17] ?? '';
    // Act
    const same = JSON.stringify([a.accounts, a.ous, a.detectors, a.findingWire(id), a.investigations()]);
    const again = JSON.stringify([b.accounts, b.ous, b.detectors, b.findingWire(id), b.investigations()]);
    // Assess
    expect(again).toBe(same);
    expect(c.accounts.map((x) => x.id)).not.toEqual(a.accounts.map((x) => x.id));
  });

  it('has a management account, a delegated administrator, SUSPENDED members and a nested OU', () => {
    // Act
    const w = makeWorld(1);
    // Assess
    expect(w.accounts.filter((a) => a.role === 'management').map((a) => a.id)).toEqual([w.managementAccountId]);
    expect(w.accounts.filter((a) => a.role === 'administrator').map((a) => a.id)).toEqual([w.adminAccountId]);
    expect(w.accounts.some((a) => a.status === 'SUSPENDED')).toBe(true);
    expect(w.accounts.every((a) => /^[1-9]\d{11}$/.test(a.id))).toBe(true);
    const ouIds = new Set(w.ous.map((o) => o.id));
    expect(w.ous.some((o) => ouIds.has(o.parentId))).toBe(true);
    expect(new Set(w.accounts.map((a) => a.id)).size).toBe(w.accounts.length);
  });

  it('enables investigation-preview and other regions, leaves one opt-in region disabled, suspends one detector', () => {
    // Act
    const w = makeWorld(1);
    // Assess
    expect(w.enabledRegions.every((r) => (GUARDDUTY_REGIONS as readonly string[]).includes(r))).toBe(true);
    expect(w.enabledRegions).toEqual(expect.arrayContaining(['us-east-1', 'us-west-1']));
    expect(w.enabledRegions).not.toContain(w.disabledOptInRegion);
    expect(w.detectors.filter((d) => d.status === 'DISABLED')).toHaveLength(1);
    const suspended = w.accounts.filter((a) => a.status === 'SUSPENDED');
    expect(w.detectors.some((d) => suspended.some((a) => a.id === d.accountId))).toBe(false);
  });

  it('spreads findings over 8 weeks with every kind, severity band, archived and updated ones', () => {
    // Prepare
    const w = makeWorld(2);
    // Act
    const metas = allMetas(w);
    // Assess
    expect(metas.length).toBe(w.detectors.length * 20);
    expect(new Set(metas.map((m) => m.kind))).toEqual(new Set(FINDING_KINDS.map((k) => k.name)));
    for (const [lo, hi] of Object.values(SEVERITY_BANDS)) expect(metas.some((m) => m.severity >= lo && m.severity <= hi)).toBe(true);
    expect(metas.some((m) => m.archived)).toBe(true);
    expect(metas.some((m) => m.updatedAt > m.createdAt && m.count > 1)).toBe(true);
    const eightWeeksAgo = NOW.getTime() - 56 * 86_400_000;
    expect(metas.every((m) => m.createdAt >= eightWeeksAgo && m.updatedAt <= NOW.getTime() && m.createdAt <= m.updatedAt)).toBe(true);
  });

  it('builds bodies that agree with their metadata: ISO top-level times, epoch-second numbers nested', () => {
    // Prepare
    const w = makeWorld(3);
    const meta = allMetas(w).find((m) => m.kind === 'attack-sequence');
    // Act
    const body = w.findingWire(meta?.id ?? '') as Record<string, any>;
    // Assess
    expect(body).toMatchObject({ id: meta?.id, type: meta?.type, severity: meta?.severity, accountId: meta?.accountId, region: meta?.region });
    expect(body.updatedAt).toBe(new Date(meta?.updatedAt ?? 0).toISOString());
    expect(body.service.archived).toBe(meta?.archived);
    const signal = body.service.detection.sequence.signals[0];
    expect(typeof signal.createdAt).toBe('number');
    expect(signal.createdAt).toBeLessThan(NOW.getTime() / 1000 + 1);
    expect(signal.createdAt).toBeGreaterThan(NOW.getTime() / 1000 - 60 * 86_400);
  });

  it('puts attacker-controlled text into some titles, descriptions and tags', () => {
    // Prepare
    const w = makeWorld(6);
    // Act
    const bodies = w.findingIds({ includeArchived: true }).map((id) => JSON.stringify(w.findingWire(id)));
    const titles = w.findingIds({ includeArchived: true }).map((id) => String(w.findingWire(id)?.title));
    // Assess
    expect(bodies.some((b) => b.includes('<script>'))).toBe(true);
    expect(titles.some((t) => HOSTILE_TEXT.some((h) => t.includes(h)))).toBe(true);
    expect(titles.filter((t) => HOSTILE_TEXT.some((h) => t.includes(h))).length).toBeLessThan(titles.length / 5);
  });

  it('answers undefined for ids it did not issue', () => {
    // Prepare
    const w = makeWorld(4);
    const id = w.findingIds()[0] ?? '';
    const tampered = `${id.slice(0, 19)}${id[19] === '0' ? '1' : '0'}${id.slice(20)}`;
    // Act / Assess
    expect(w.findingMeta(tampered)).toBeUndefined();
    expect(w.findingWire('not-an-id')).toBeUndefined();
  });

  it('builds any finding of a 200 accounts × 17 regions × 60 world on demand', () => {
    // Prepare
    const regions = GUARDDUTY_REGIONS.filter((r) => r !== 'af-south-1').slice(0, 17);
    const w = makeWorld(5, { orgAccounts: 200, findingsPerAccount: 60, enabledRegions: regions });
    // Act
    const last = w.detectors.at(-1);
    const ids = w.findingIds({ accountIds: [last?.accountId ?? ''], regions: [last?.region ?? ''], includeArchived: true });
    const body = w.findingWire(ids.at(-1) ?? '');
    // Assess
    expect(w.detectors.length).toBeGreaterThan(150 * 17);
    expect(ids).toHaveLength(60);
    expect(body?.accountId).toBe(last?.accountId);
  });
});

describe('startEmulator options', () => {
  it.each([
    ['orgAccounts 1', { orgAccounts: 1 }],
    ['findingsPerAccount 2^24', { findingsPerAccount: 0x1000000 }],
    ['an unknown region', { enabledRegions: ['nowhere-1'] }],
    ['no region', { enabledRegions: [] }],
  ])('refuses %s', async (_name, options) => {
    // Act / Assess
    await expect(startEmulator(options)).rejects.toBeInstanceOf(EmulatorStartError);
  });

  it('picks another disabled opt-in region when the default one is enabled', () => {
    // Act
    const w = makeWorld(1, { enabledRegions: ['us-east-1', 'af-south-1'] });
    // Assess
    expect(w.disabledOptInRegion).not.toBe('af-south-1');
    expect(w.enabledRegions).not.toContain(w.disabledOptInRegion);
  });
});
