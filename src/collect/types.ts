/** Types of the collect stage. */

/** An account of the Organization (or of an explicit list). */
export interface AccountInfo {
  readonly id: string;
  /** Kept for the report; absent for explicit account lists. */
  readonly name?: string;
  /** Organizations state (ACTIVE, SUSPENDED, …); absent for explicit lists. */
  readonly status?: string;
}

/** One (account, region) slice: the unit of watermarks, coverage and sharding. */
export interface Target {
  readonly accountId: string;
  readonly accountName?: string;
  readonly region: string;
}

/** Which accounts to export, as given on the command line. */
export interface AccountSelection {
  /** `org` = every ACTIVE account of the Organization; otherwise an explicit list. */
  readonly accounts: 'org' | readonly string[];
  /** Only accounts under these OUs or roots (recursive). */
  readonly ous?: readonly string[];
  readonly excludeAccounts?: readonly string[];
}

/** Shard K of N. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** Where a slice's findings come from once its detector is known. */
export type DetectorResolution =
  | { readonly status: 'ok'; readonly detectorId: string; /** Account that owns the detector. */ readonly ownerAccountId: string }
  | { readonly status: 'no-detector' | 'detector-suspended' | 'region-disabled' | 'access-denied' | 'failed'; readonly reason: string; readonly detectorId?: string };

/** Time window of one ListFindings query, epoch ms, both ends inclusive. */
export interface FindingWindow {
  readonly fromMs: number;
  readonly toMs: number;
}
