/**
 * Opt-in `--auto-investigate critical|high`: start a GuardDuty AI investigation for new findings at
 * or above the severity, within the preview quota (10 per account per UTC day, 100 in total),
 * idempotently (the ClientToken is derived from the finding id), administrator only.
 */
import { createHash } from 'node:crypto';
import { CreateInvestigationCommand, type GuardDutyClient, type InvestigationSummary } from '@aws-sdk/client-guardduty';
import { translateAwsError } from './errors.js';

export const AUTO_INVESTIGATE_FLOOR = { critical: 9.0, high: 7.0 } as const;
export type AutoInvestigateLevel = keyof typeof AUTO_INVESTIGATE_FLOOR;

/** Preview quota of CreateInvestigation. */
export const INVESTIGATION_QUOTA = { perAccountPerDay: 10, total: 100 } as const;

/** A finding that may get an investigation. */
export interface InvestigationCandidate {
  readonly findingId: string;
  readonly accountId: string;
  readonly region: string;
  readonly detectorId: string;
  readonly severity: number;
  readonly type?: string;
  readonly title?: string;
}

/** The same finding always gets the same token, so a rerun does not start a second investigation. */
export function clientTokenFor(findingId: string): string {
  return `gdl-${createHash('sha256').update(findingId).digest('hex').slice(0, 60)}`;
}

/** The prompt names the finding and the account (finding text is data, quoted, not instructions). */
export function investigationPrompt(c: InvestigationCandidate): string {
  const what = [c.type, c.title].filter((x) => x !== undefined && x !== '').join(' — ');
  return `Investigate GuardDuty finding ${c.findingId} in account ${c.accountId} (${c.region}), severity ${c.severity}`
    + (what === '' ? '.' : `: "${what.slice(0, 300)}".`);
}

const dayOf = (d: Date): string => d.toISOString().slice(0, 10);

/** Counts what is already used of the quota and hands out what is left. */
export class InvestigationQuota {
  private total: number;
  private readonly today = new Map<string, number>();
  private readonly investigatedFindings = new Set<string>();

  constructor(existing: readonly InvestigationSummary[], now: Date, private readonly limits = INVESTIGATION_QUOTA) {
    this.total = existing.length;
    const day = dayOf(now);
    for (const s of existing) {
      if (s.FindingId !== undefined) this.investigatedFindings.add(s.FindingId);
      if (s.AccountId !== undefined && s.StartTime !== undefined && dayOf(s.StartTime) === day) {
        this.today.set(s.AccountId, (this.today.get(s.AccountId) ?? 0) + 1);
      }
    }
  }

  /** True when the finding already has an investigation. */
  has(findingId: string): boolean {
    return this.investigatedFindings.has(findingId);
  }

  /** Takes one unit for the account; false when its daily or the total quota is used up. */
  take(accountId: string, findingId: string): boolean {
    const used = this.today.get(accountId) ?? 0;
    if (this.total >= this.limits.total || used >= this.limits.perAccountPerDay) return false;
    this.total += 1;
    this.today.set(accountId, used + 1);
    this.investigatedFindings.add(findingId);
    return true;
  }

  /** Gives back a unit taken for a call that failed. */
  release(accountId: string, findingId: string): void {
    this.total -= 1;
    this.today.set(accountId, Math.max(0, (this.today.get(accountId) ?? 1) - 1));
    this.investigatedFindings.delete(findingId);
  }
}

/** Keeps at most `perAccount` candidates per account, most severe first (memory stays bounded). */
export class CandidateBox {
  private readonly byAccount = new Map<string, InvestigationCandidate[]>();
  constructor(private readonly perAccount: number = INVESTIGATION_QUOTA.perAccountPerDay) {}

  offer(c: InvestigationCandidate): void {
    const list = this.byAccount.get(c.accountId) ?? [];
    list.push(c);
    list.sort((a, b) => b.severity - a.severity || a.findingId.localeCompare(b.findingId));
    if (list.length > this.perAccount) list.length = this.perAccount;
    this.byAccount.set(c.accountId, list);
  }

  /** All kept candidates, most severe first, ties by finding id. */
  all(): InvestigationCandidate[] {
    return [...this.byAccount.values()].flat()
      .sort((a, b) => b.severity - a.severity || a.findingId.localeCompare(b.findingId));
  }
}

/** CreateInvestigation with the finding's ClientToken; returns the investigation id. */
export async function createInvestigation(client: GuardDutyClient, c: InvestigationCandidate): Promise<string> {
  try {
    const out = await client.send(new CreateInvestigationCommand({
      DetectorId: c.detectorId,
      TriggerPrompt: investigationPrompt(c),
      ClientToken: clientTokenFor(c.findingId),
    }));
    return out.InvestigationId ?? '';
  } catch (error) {
    throw translateAwsError(error, `guardduty:CreateInvestigation ${c.accountId}/${c.region} ${c.findingId}`);
  }
}
