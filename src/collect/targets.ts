/**
 * The (account × region) target list and deterministic sharding: each target belongs to exactly one
 * of N shards, decided by a stable hash of "account/region", so N tasks need no coordination.
 */
import type { AccountInfo, Shard, Target } from './types.js';

/** Every (account, region) pair, ordered by account then region. */
export function buildTargets(accounts: readonly AccountInfo[], regions: readonly string[]): Target[] {
  const out: Target[] = [];
  for (const account of accounts) {
    for (const region of regions) {
      out.push({ accountId: account.id, region, ...(account.name === undefined ? {} : { accountName: account.name }) });
    }
  }
  return out;
}

/** FNV-1a, 32 bit: stable across processes, platforms and Node versions. */
export function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** The shard (0 … count−1) a target belongs to. */
export function shardOf(target: Pick<Target, 'accountId' | 'region'>, count: number): number {
  return fnv1a(`${target.accountId}/${target.region}`) % count;
}

/** The targets of shard K/N. */
export function selectShard<T extends Pick<Target, 'accountId' | 'region'>>(targets: readonly T[], shard: Shard): T[] {
  if (shard.count <= 1) return [...targets];
  return targets.filter((t) => shardOf(t, shard.count) === shard.index);
}

/** Stable key of a target, for maps and logs. */
export function targetKey(target: Pick<Target, 'accountId' | 'region'>): string {
  return `${target.accountId}/${target.region}`;
}
