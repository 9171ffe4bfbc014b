/**
 * Findings of one slice: ListFindings (updatedAt window, archived excluded unless asked, sorted by
 * updatedAt ascending) with its ids streamed into GetFindings batches of at most 50. An async
 * iterator: at most one page of ids and one batch of findings are held at a time.
 */
import {
  GetFindingsCommand,
  paginateListFindings,
  type Condition,
  type Finding,
  type FindingCriteria,
  type GuardDutyClient,
  type SortCriteria,
} from '@aws-sdk/client-guardduty';
import { translateAwsError } from './errors.js';
import { mergeBounded } from './merge.js';
import type { FindingWindow } from './types.js';

/** GuardDuty's limit on ids per GetFindings call and on ListFindings MaxResults. */
export const FINDINGS_PER_CALL = 50;

/**
 * Most account ids this tool puts in one `accountId` Equals condition. GuardDuty documents no
 * limit on the list; 50 keeps request bodies small and is what the emulator is tested with.
 * Selections of more accounts query the detector without an account condition and filter rows.
 */
export const ACCOUNTS_PER_CRITERION = 50;

export interface FindingQuery {
  readonly detectorId: string;
  readonly window: FindingWindow;
  readonly includeArchived: boolean;
  /**
   * Only findings of these accounts (an administrator detector returns every member's). At most
   * {@link ACCOUNTS_PER_CRITERION}; a longer list is filtered by the caller instead.
   */
  readonly accountIds?: readonly string[];
  /** Only findings at or above this severity. */
  readonly minSeverity?: number;
}

export const SORT_BY_UPDATED: SortCriteria = { AttributeName: 'updatedAt', OrderBy: 'ASC' };

/** The FindingCriteria of a query (updatedAt in epoch ms). */
export function findingCriteria(query: Omit<FindingQuery, 'detectorId'>): FindingCriteria {
  const criterion: Record<string, Condition> = {
    updatedAt: { GreaterThanOrEqual: query.window.fromMs, LessThanOrEqual: query.window.toMs },
  };
  if (!query.includeArchived) criterion['service.archived'] = { Equals: ['false'] };
  if (query.accountIds !== undefined) {
    if (query.accountIds.length === 0 || query.accountIds.length > ACCOUNTS_PER_CRITERION) {
      throw new RangeError(`an accountId criterion names 1 to ${ACCOUNTS_PER_CRITERION} accounts, got ${query.accountIds.length}`);
    }
    criterion.accountId = { Equals: [...query.accountIds] };
  }
  if (query.minSeverity !== undefined) criterion.severity = { GreaterThanOrEqual: query.minSeverity };
  return { Criterion: criterion };
}

/** Ids of the matching findings, one ListFindings page (≤ 50) at a time. */
export async function* findingIdPages(client: GuardDutyClient, query: FindingQuery, where: string): AsyncGenerator<string[]> {
  const pages = paginateListFindings(
    { client, pageSize: FINDINGS_PER_CALL },
    { DetectorId: query.detectorId, FindingCriteria: findingCriteria(query), SortCriteria: SORT_BY_UPDATED, MaxResults: FINDINGS_PER_CALL },
  );
  try {
    for await (const page of pages) {
      const ids = page.FindingIds ?? [];
      if (ids.length > 0) yield ids;
    }
  } catch (error) {
    throw translateAwsError(error, `guardduty:ListFindings ${where}`);
  }
}

/** Full findings for up to 50 ids. */
export async function getFindings(client: GuardDutyClient, detectorId: string, ids: readonly string[], where: string): Promise<Finding[]> {
  if (ids.length > FINDINGS_PER_CALL) throw new RangeError(`GetFindings takes at most ${FINDINGS_PER_CALL} ids, got ${ids.length}`);
  try {
    const out = await client.send(new GetFindingsCommand({ DetectorId: detectorId, FindingIds: [...ids], SortCriteria: SORT_BY_UPDATED }));
    return out.Findings ?? [];
  } catch (error) {
    throw translateAwsError(error, `guardduty:GetFindings ${where}`);
  }
}

/**
 * The findings of a query as batches (≤ 50), in updatedAt order. The next ListFindings page is
 * requested while GetFindings of the current one runs, so a long stream costs about one round trip
 * per page instead of two.
 */
export async function* findingBatches(client: GuardDutyClient, query: FindingQuery, where: string): AsyncGenerator<Finding[]> {
  const pages = findingIdPages(client, query, where);
  try {
    let next = pages.next();
    next.catch(() => undefined); // awaited below; handled here so a failure while GetFindings runs is not "unhandled"
    for (;;) {
      const page = await next;
      if (page.done === true) return;
      next = pages.next();
      next.catch(() => undefined);
      const ids = page.value;
      for (let i = 0; i < ids.length; i += FINDINGS_PER_CALL) {
        const batch = await getFindings(client, query.detectorId, ids.slice(i, i + FINDINGS_PER_CALL), where);
        if (batch.length > 0) yield batch;
      }
    }
  } finally {
    await pages.return(undefined).catch(() => undefined);
  }
}

const DAY_MS = 86_400_000;

/**
 * A window cut at UTC midnights into at most `maxPieces` runs of whole days, in order; both ends of
 * each piece inclusive, pieces disjoint and together the window.
 */
export function utcDayPieces(window: FindingWindow, maxPieces: number): FindingWindow[] {
  const days: FindingWindow[] = [];
  for (let from = window.fromMs; from <= window.toMs;) {
    const to = Math.min(window.toMs, (Math.floor(from / DAY_MS) + 1) * DAY_MS - 1);
    days.push({ fromMs: from, toMs: to });
    from = to + 1;
  }
  const perPiece = Math.ceil(days.length / Math.max(1, Math.floor(maxPieces)));
  const pieces: FindingWindow[] = [];
  for (let i = 0; i < days.length; i += perPiece) {
    pieces.push({ fromMs: (days[i] as FindingWindow).fromMs, toMs: (days[Math.min(days.length, i + perPiece) - 1] as FindingWindow).toMs });
  }
  return pieces;
}

/** Pieces per window and parallel stream: a few more than streams, so a busy piece does not idle the rest. */
const PIECES_PER_STREAM = 2;

/**
 * The findings of a query with its window cut at UTC midnights into pieces of whole days, `parallel`
 * pieces fetched at a time (each piece one ListFindings stream; at most 2 × `parallel` pieces, so
 * a sparse 90-day window costs a handful of extra calls, not 90). Findings of one day share a `dt`
 * partition and stay in one piece, in updatedAt order, so pieces can interleave without scattering a
 * partition over many objects.
 */
export function findingBatchesByDay(client: GuardDutyClient, query: FindingQuery, where: string, parallel: number): AsyncGenerator<Finding[]> {
  const days = parallel <= 1 ? [] : utcDayPieces(query.window, parallel * PIECES_PER_STREAM);
  if (days.length <= 1) return findingBatches(client, query, where);
  return mergeBounded(days.map((window) => () => findingBatches(client, { ...query, window }, where)), parallel);
}
