import { describe, expect, it } from 'vitest';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { buildTargets, fnv1a, selectShard, shardOf, targetKey } from '../../src/collect/targets.js';
import { resolveAccounts } from '../../src/collect/accounts.js';
import type { AccountInfo } from '../../src/collect/types.js';

const accounts = (n: number): AccountInfo[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(100000000000 + i * 7919), name: `acct-${i}` }));

describe('targets', () => {
  it('builds every (account, region) pair with the account name', () => {
    // Prepare
    const accts = accounts(3);
    // Act
    const targets = buildTargets(accts, ['us-east-1', 'eu-west-1']);
    // Assess
    expect(targets).toHaveLength(6);
    expect(new Set(targets.map(targetKey)).size).toBe(6);
    expect(targets[0]).toEqual({ accountId: accts[0]?.id, accountName: 'acct-0', region: 'us-east-1' });
  });

  it.each([2, 3, 7, 16])('splits into %i shards whose union is the whole set, without overlap', (count) => {
    // Prepare
    const targets = buildTargets(accounts(40), ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-1', 'sa-east-1']);
    // Act
    const shards = Array.from({ length: count }, (_, index) => selectShard(targets, { index, count }));
    // Assess
    const seen = shards.flat().map(targetKey);
    expect(seen).toHaveLength(targets.length);
    expect(new Set(seen)).toEqual(new Set(targets.map(targetKey)));
    for (const shard of shards) expect(shard.length).toBeGreaterThan(0);
  });

  it('assigns shards by a stable hash, independent of list order', () => {
    // Prepare
    const t = { accountId: '111122223333', region: 'eu-west-1' };
    // Act / Assess
    expect(fnv1a('')).toBe(0x811c9dc5);
    expect(fnv1a('a')).toBe(0xe40c292c); // FNV-1a 32-bit reference value
    expect(shardOf(t, 5)).toBe(fnv1a('111122223333/eu-west-1') % 5);
    const forward = selectShard([t, { accountId: '444455556666', region: 'eu-west-1' }], { index: shardOf(t, 3), count: 3 });
    expect(forward.map(targetKey)).toContain('111122223333/eu-west-1');
  });
});

/** A plain-object Organizations client answering the paginated list calls from a tiny tree. */
function fakeOrganizations() {
  const tree: Record<string, { accounts: Array<{ Id: string; Name: string; State: string }>; ous: string[] }> = {
    'r-root': { accounts: [{ Id: '111111111111', Name: 'mgmt', State: 'ACTIVE' }], ous: ['ou-aaaa-11111111'] },
    'ou-aaaa-11111111': { accounts: [{ Id: '222222222222', Name: 'prod', State: 'ACTIVE' }, { Id: '333333333333', Name: 'old', State: 'SUSPENDED' }], ous: ['ou-aaaa-22222222'] },
    'ou-aaaa-22222222': { accounts: [{ Id: '444444444444', Name: 'nested', State: 'ACTIVE' }], ous: [] },
  };
  const all = Object.values(tree).flatMap((n) => n.accounts);
  const calls: string[] = [];
  // A real client (the SDK's paginators check the class) whose transport is replaced by the tree.
  const client = new OrganizationsClient({ region: 'us-east-1' });
  Object.assign(client, {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        const name = command.constructor.name;
        calls.push(name);
        const parent = String(command.input.ParentId ?? '');
        if (name === 'ListAccountsCommand') {
          const start = command.input.NextToken === undefined ? 0 : Number(command.input.NextToken);
          const page = all.slice(start, start + 2);
          return { Accounts: page, NextToken: start + 2 < all.length ? String(start + 2) : undefined };
        }
        if (name === 'ListAccountsForParentCommand') return { Accounts: tree[parent]?.accounts ?? [] };
        if (name === 'ListOrganizationalUnitsForParentCommand') return { OrganizationalUnits: (tree[parent]?.ous ?? []).map((Id) => ({ Id })) };
        throw new Error(`unexpected ${name}`);
      },
  });
  return { calls, client };
}

describe('accounts', () => {
  it('lists ACTIVE accounts of the organization across pages, names kept, suspended skipped', async () => {
    // Prepare
    const { client, calls } = fakeOrganizations();
    // Act
    const list = await resolveAccounts(client, { accounts: 'org' });
    // Assess
    expect(list.active.map((a) => `${a.id}:${a.name}`)).toEqual(['111111111111:mgmt', '222222222222:prod', '444444444444:nested']);
    expect(list.skipped.map((a) => `${a.id}:${a.status}`)).toEqual(['333333333333:SUSPENDED']);
    expect(calls.filter((c) => c === 'ListAccountsCommand')).toHaveLength(2);
  });

  it('filters by OU recursively and applies --exclude-accounts', async () => {
    // Prepare
    const { client } = fakeOrganizations();
    // Act
    const list = await resolveAccounts(client, { accounts: 'org', ous: ['ou-aaaa-11111111'], excludeAccounts: ['222222222222'] });
    // Assess
    expect(list.active.map((a) => a.id)).toEqual(['444444444444']);
    expect(list.skipped.map((a) => a.id).sort()).toEqual(['222222222222', '333333333333']);
  });

  it('takes an explicit list without calling Organizations', async () => {
    // Prepare
    const { client, calls } = fakeOrganizations();
    // Act
    const list = await resolveAccounts(client, { accounts: ['999999999999', '888888888888', '999999999999'] });
    // Assess
    expect(list.active.map((a) => a.id)).toEqual(['888888888888', '999999999999']);
    expect(calls).toEqual([]);
  });
});
