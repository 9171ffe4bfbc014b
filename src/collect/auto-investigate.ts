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

/** The prompt names the finding and the account (finding text is quoted as data). */
export function investigationPrompt(c: InvestigationCandidate): string {
  const what = [c.type, c.title].filter((x) => x !== undefined && x !== '').join(' — ');
  return `Investigate GuardDuty finding ${c.findingId} in account ${c.accountId} (${c.region}), severity ${c.severity}`
    + (what === '' ? '.' : `: "${what.slice(0, 300)}".`);
}

/**
 * Preview quota of CreateInvestigation, per calling (administrator) account: 10 in any 24 hours
 * (counted rolling, which also keeps within a calendar day), 100 in total.
 */
export const INVESTIGATION_QUOTA = { perAccountPerDay: 10, total: 100 } as const;

const DAY_MS = 86_400_000;
const PROMPT_FINDING = /^Investigate GuardDuty finding (\S+) in account/;

/** The finding an investigation was started for: its scope's finding id, or the one our prompt names. */
export function investigatedFinding(s: InvestigationSummary): string | undefined {
  if (s.FindingId !== undefined && s.FindingId !== '') return s.FindingId;
  return PROMPT_FINDING.exec(s.TriggerPrompt ?? '')?.[1];
}

/** Counts what the administrator already used of the quota and hands out what is left. */
export class InvestigationQuota {
  private total: number;
  private lastDay: number;
  private readonly investigatedFindings = new Set<string>();
  /** Investigation ids that existed before this run. */
  readonly known = new Set<string>();

  constructor(existing: readonly InvestigationSummary[], now: Date, private readonly limits = INVESTIGATION_QUOTA) {
    this.total = existing.length;
    this.lastDay = existing.filter((s) => s.StartTime !== undefined && now.getTime() - s.StartTime.getTime() < DAY_MS).length;
    for (const s of existing) {
      const finding = investigatedFinding(s);
      if (finding !== undefined) this.investigatedFindings.add(finding);
      if (s.InvestigationId !== undefined) this.known.add(s.InvestigationId);
    }
  }

  /** True when the finding already has an investigation. */
  has(findingId: string): boolean {
    return this.investigatedFindings.has(findingId);
  }

  /** Takes one unit; false when the daily or the total quota is used up. */
  take(findingId: string): boolean {
    if (this.total >= this.limits.total || this.lastDay >= this.limits.perAccountPerDay) return false;
    this.total += 1;
    this.lastDay += 1;
    this.investigatedFindings.add(findingId);
    return true;
  }

  /** Gives back a unit taken for a call that failed or that returned an existing investigation. */
  release(findingId: string, keepFinding = false): void {
    this.total -= 1;
    this.lastDay -= 1;
    if (!keepFinding) this.investigatedFindings.delete(findingId);
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
