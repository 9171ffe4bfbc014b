/**
 * Accounts to export: every ACTIVE account of the Organization (optionally only under some OUs,
 * recursively), or an explicit list; minus excluded ones.
 */
import {
  paginateListAccounts,
  paginateListAccountsForParent,
  paginateListOrganizationalUnitsForParent,
  type Account,
  type OrganizationsClient,
} from '@aws-sdk/client-organizations';
import { OrganizationsError, translateAwsError } from './errors.js';
import type { AccountInfo, AccountSelection } from './types.js';

export interface AccountList {
  /** Accounts whose findings are exported, in a stable order (by id). */
  readonly active: AccountInfo[];
  /** Accounts seen but not exported (SUSPENDED, PENDING_CLOSURE, excluded), for the manifest. */
  readonly skipped: AccountInfo[];
}

/**
 * MaxResults of the Organizations list calls: the most they allow. Without it the service may
 * return a few items per page (the emulator returns 3, as Organizations is allowed to): 67 round
 * trips instead of 10 for 200 accounts.
 */
export const ORGANIZATIONS_PAGE_SIZE = 20;

/** Organizations' account state; `State` replaces the deprecated `Status`. */
function stateOf(account: Account): string | undefined {
  return account.State ?? account.Status;
}

function toInfo(account: Account): AccountInfo | undefined {
  if (account.Id === undefined) return undefined;
  const status = stateOf(account);
  return {
    id: account.Id,
    ...(account.Name === undefined ? {} : { name: account.Name }),
    ...(status === undefined ? {} : { status }),
  };
}

/** Every account of the Organization. */
export async function listOrganizationAccounts(client: OrganizationsClient): Promise<AccountInfo[]> {
  const out: AccountInfo[] = [];
  try {
    for await (const page of paginateListAccounts({ client, pageSize: ORGANIZATIONS_PAGE_SIZE }, {})) {
      for (const account of page.Accounts ?? []) {
        const info = toInfo(account);
        if (info) out.push(info);
      }
    }
  } catch (error) {
    throw asOrganizationsError(error, 'organizations:ListAccounts');
  }
  return out;
}

/** Every account under the given OUs or roots, recursively (each account once). */
export async function listAccountsUnder(client: OrganizationsClient, parents: readonly string[]): Promise<AccountInfo[]> {
  const found = new Map<string, AccountInfo>();
  const queue = [...parents];
  const seenParents = new Set<string>();
  while (queue.length > 0) {
    const parent = queue.shift() as string;
    if (seenParents.has(parent)) continue;
    seenParents.add(parent);
    try {
      for await (const page of paginateListAccountsForParent({ client, pageSize: ORGANIZATIONS_PAGE_SIZE }, { ParentId: parent })) {
        for (const account of page.Accounts ?? []) {
          const info = toInfo(account);
          if (info) found.set(info.id, info);
        }
      }
      for await (const page of paginateListOrganizationalUnitsForParent({ client, pageSize: ORGANIZATIONS_PAGE_SIZE }, { ParentId: parent })) {
        for (const ou of page.OrganizationalUnits ?? []) if (ou.Id !== undefined) queue.push(ou.Id);
      }
    } catch (error) {
      throw asOrganizationsError(error, `organizations:ListAccountsForParent ${parent}`);
    }
  }
  return [...found.values()];
}

function asOrganizationsError(error: unknown, what: string): OrganizationsError {
  const translated = translateAwsError(error, what);
  const message = translated instanceof Error ? translated.message : String(translated);
  return new OrganizationsError(message, { cause: error });
}

/**
 * Resolves the selection into the accounts to export. An explicit list is taken as given (no
 * Organizations call) unless `ous` narrows it; with `org`, only ACTIVE accounts are exported.
 */
export async function resolveAccounts(client: OrganizationsClient, selection: AccountSelection): Promise<AccountList> {
  const excluded = new Set(selection.excludeAccounts ?? []);
  const underOus = selection.ous !== undefined && selection.ous.length > 0
    ? await listAccountsUnder(client, selection.ous)
    : undefined;
  let candidates: AccountInfo[];
  if (selection.accounts === 'org') {
    candidates = underOus ?? (await listOrganizationAccounts(client));
  } else {
    const known = new Map((underOus ?? []).map((a) => [a.id, a]));
    const explicit = [...new Set(selection.accounts)];
    candidates = underOus === undefined
      ? explicit.map((id) => ({ id }))
      : explicit.flatMap((id) => { const a = known.get(id); return a ? [a] : []; });
  }
  const active: AccountInfo[] = [];
  const skipped: AccountInfo[] = [];
  for (const account of candidates) {
    const isActive = account.status === undefined || account.status === 'ACTIVE';
    if (isActive && !excluded.has(account.id)) active.push(account);
    else skipped.push(account);
  }
  const byId = (a: AccountInfo, b: AccountInfo): number => a.id.localeCompare(b.id);
  return { active: active.sort(byId), skipped: skipped.sort(byId) };
}
