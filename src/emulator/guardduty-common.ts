/** Helpers every GuardDuty handler shares: the caller's detector and MaxResults validation. */
import { badRequest } from './errors.js';
import type { IssuedKey } from './credentials.js';
import type { EmulatorRequest, ServiceContext } from './protocol.js';
import type { EmulatorDetector } from './types.js';

/** The detector in the path, which must belong to the caller in the request's region. */
export function detectorOf(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): EmulatorDetector {
  const id = req.path.split('/')[2] ?? '';
  const detector = ctx.world.detectorById(id);
  if (!detector || detector.accountId !== caller.accountId || detector.region !== req.region) {
    throw badRequest('The request is rejected because the input detectorId is not owned by the current account.');
  }
  return detector;
}

/** Like {@link detectorOf}, and the caller must be the GuardDuty administrator. */
export function adminDetector(req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): EmulatorDetector {
  const detector = detectorOf(req, caller, ctx);
  if (detector.accountId !== ctx.world.adminAccountId) {
    throw badRequest('The request is rejected because the current account is not the GuardDuty administrator account.');
  }
  return detector;
}

/** Validates MaxResults (1..limit); BadRequestException otherwise. */
export function maxResults(raw: unknown, limit: number, fallback: number): number {
  if (raw === undefined || raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limit) {
    throw badRequest(`The request is rejected because maxResults ${String(raw)} is not between 1 and ${limit}.`);
  }
  return n;
}
