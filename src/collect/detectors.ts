/**
 * Detectors: ListDetectors + GetDetector in one (account, region). No detector, a SUSPENDED
 * detector (status DISABLED) or a region that is not enabled is a coverage gap with its reason.
 */
import {
  GetDetectorCommand,
  paginateListDetectors,
  paginateListMembers,
  type GuardDutyClient,
} from '@aws-sdk/client-guardduty';
import { AccessDeniedError, RegionDisabledError, awsCall, translateAwsError } from './errors.js';
import type { DetectorResolution } from './types.js';

/** Finds the detector of the calling account in the client's region. */
export async function resolveDetector(client: GuardDutyClient, ownerAccountId: string, where: string): Promise<DetectorResolution> {
  try {
    let detectorId: string | undefined;
    await awsCall(`guardduty:ListDetectors ${where}`, async () => {
      for await (const page of paginateListDetectors({ client }, {})) {
        detectorId ??= page.DetectorIds?.[0];
        if (detectorId !== undefined) break;
      }
    });
    if (detectorId === undefined) return { status: 'no-detector', reason: `no GuardDuty detector in ${where}` };
    const id = detectorId;
    const detector = await awsCall(`guardduty:GetDetector ${where}`, () => client.send(new GetDetectorCommand({ DetectorId: id })));
    if (detector.Status !== 'ENABLED') {
      return { status: 'detector-suspended', detectorId: id, reason: `detector ${id} in ${where} is ${detector.Status ?? 'in an unknown state'} (suspended)` };
    }
    return { status: 'ok', detectorId: id, ownerAccountId };
  } catch (error) {
    return gapOf(error);
  }
}

/** The coverage gap an error stands for. */
export function gapOf(error: unknown): Exclude<DetectorResolution, { status: 'ok' }> {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof RegionDisabledError) return { status: 'region-disabled', reason: message };
  if (error instanceof AccessDeniedError) return { status: 'access-denied', reason: message };
  return { status: 'failed', reason: message };
}

/** Relationship status of each member account of an administrator detector (`Enabled`, `Disabled`, …). */
export async function listMemberStatus(client: GuardDutyClient, detectorId: string, where: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  try {
    for await (const page of paginateListMembers({ client, pageSize: 50 }, { DetectorId: detectorId, OnlyAssociated: 'false', MaxResults: 50 })) {
      for (const m of page.Members ?? []) if (m.AccountId !== undefined) out.set(m.AccountId, m.RelationshipStatus ?? 'Unknown');
    }
  } catch (error) {
    throw translateAwsError(error, `guardduty:ListMembers ${where}`);
  }
  return out;
}

/**
 * Coverage of one member account under the administrator: findings are exported only for the
 * administrator itself and members whose relationship is Enabled.
 */
export function memberCoverage(
  accountId: string,
  admin: { accountId: string | undefined; detectorId: string; region: string },
  members: ReadonlyMap<string, string>,
): DetectorResolution {
  if (accountId === admin.accountId) return { status: 'ok', detectorId: admin.detectorId, ownerAccountId: accountId };
  const relationship = members.get(accountId);
  if (relationship?.toLowerCase() === 'enabled') {
    return { status: 'ok', detectorId: admin.detectorId, ownerAccountId: admin.accountId ?? 'administrator' };
  }
  const where = `${accountId}/${admin.region}`;
  if (relationship === undefined) return { status: 'no-detector', reason: `${where} is not a GuardDuty member of the administrator` };
  const r = relationship.toLowerCase();
  if (r === 'regiondisabled') return { status: 'region-disabled', reason: `${where}: member relationship ${relationship}` };
  if (r === 'disabled' || r === 'accountsuspended') return { status: 'detector-suspended', reason: `${where}: member relationship ${relationship}` };
  return { status: 'no-detector', reason: `${where}: member relationship ${relationship} (not monitored)` };
}
