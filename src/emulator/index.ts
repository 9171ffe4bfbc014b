/**
 * The offline AWS: GuardDuty, Organizations, STS and SESv2 on one local HTTP endpoint, for the real
 * AWS SDK v3 clients (through AWS_ENDPOINT_URL_<SERVICE>), over a seeded deterministic Organization.
 */
import type { AddressInfo } from 'node:net';
import { isGuardDutyRegion } from '../collect/regions.js';
import { KeyStore } from './credentials.js';
import { EmulatorStartError } from './errors.js';
import { GuardDutyService } from './guardduty.js';
import { OrganizationsService } from './organizations.js';
import { createEmulatorServer } from './server.js';
import { SesV2Service } from './sesv2.js';
import { StsService } from './sts.js';
import { DEFAULT_ENABLED_REGIONS, DEFAULT_ROLE_NAME, World } from './world.js';
import type { EmulatorCounters, EmulatorFaults, EmulatorOptions, RunningEmulator, SentEmail } from './types.js';

export type * from './types.js';
export { DEFAULT_ENABLED_REGIONS, DEFAULT_ROLE_NAME, DISABLED_OPT_IN_REGION, OPT_IN_REGIONS, World } from './world.js';
export { INVESTIGATION_QUOTA } from './guardduty.js';
export { ORGANIZATIONS_DEFAULT_PAGE } from './organizations.js';
export { FINDING_KINDS, SEVERITY_BANDS, HOSTILE_TEXT } from './finding-kinds.js';
export { EmulatorStartError, ServiceError } from './errors.js';

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  checkOptions(options);
  const world = new World({
    seed: options.seed ?? 1,
    orgAccounts: options.orgAccounts ?? 6,
    findingsPerAccount: options.findingsPerAccount ?? 40,
    now: options.now ?? new Date(),
    enabledRegions: options.enabledRegions ?? [...DEFAULT_ENABLED_REGIONS],
    roleName: options.roleName ?? DEFAULT_ROLE_NAME,
    externalId: options.externalId,
  });
  const keys = new KeyStore(world.seed);
  const admin = world.credentials.administrator;
  const management = world.credentials.management;
  keys.add({ ...admin, accountId: world.adminAccountId, arn: `arn:aws:iam::${world.adminAccountId}:user/guardduty-lake`, userId: 'AIDAADMINISTRATOR' });
  keys.add({ ...management, accountId: world.managementAccountId, arn: `arn:aws:iam::${world.managementAccountId}:user/guardduty-lake`, userId: 'AIDAMANAGEMENT' });

  const counters: EmulatorCounters = { calls: 0, throttled: 0, byOperation: {} };
  const sentEmails: SentEmail[] = [];
  const faults: EmulatorFaults = {
    failAccounts: new Set(options.failAccounts ?? []),
    failRegions: new Set(options.failRegions ?? []),
    expiredKeys: new Set(),
  };
  const startedReal = Date.now();
  const server = createEmulatorServer({
    modules: [new GuardDutyService(), new OrganizationsService(), new StsService(), new SesV2Service()],
    context: { world, keys, faults, sentEmails, clock: () => world.now.getTime() + (Date.now() - startedReal) },
    counters,
    latencyMs: options.latencyMs ?? 0,
    rateLimit: options.rateLimit ?? 0,
    seed: world.seed,
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (cause) => reject(new EmulatorStartError(`the emulator cannot listen on ${host}:${options.port ?? 0}`, { cause })));
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  return {
    url,
    port,
    world,
    counters,
    sentEmails,
    faults,
    env: {
      AWS_ENDPOINT_URL_GUARDDUTY: url,
      AWS_ENDPOINT_URL_ORGANIZATIONS: url,
      AWS_ENDPOINT_URL_STS: url,
      AWS_ENDPOINT_URL_SESV2: url,
      AWS_ACCESS_KEY_ID: admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: admin.secretAccessKey,
      AWS_REGION: world.enabledRegions[0] ?? 'us-east-1',
    },
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}

/** Limits come from the finding id encoding (4 hex digits of account, 2 of region, 6 of index). */
function checkOptions(options: EmulatorOptions): void {
  const wholeIn = (name: string, value: number | undefined, min: number, max: number) => {
    if (value !== undefined && (!Number.isInteger(value) || value < min || value > max)) {
      throw new EmulatorStartError(`${name} must be a whole number from ${min} to ${max}, got ${value}`);
    }
  };
  wholeIn('orgAccounts', options.orgAccounts, 2, 0xffff);
  wholeIn('findingsPerAccount', options.findingsPerAccount, 0, 0xffffff);
  wholeIn('latencyMs', options.latencyMs, 0, 600_000);
  wholeIn('port', options.port, 0, 65_535);
  if (options.rateLimit !== undefined && !(options.rateLimit >= 0)) throw new EmulatorStartError(`rateLimit must be 0 or more, got ${options.rateLimit}`);
  const regions = options.enabledRegions;
  if (regions !== undefined) {
    const bad = regions.find((r) => !isGuardDutyRegion(r));
    if (regions.length === 0 || regions.length > 0xff || bad !== undefined) {
      throw new EmulatorStartError(`enabledRegions must list 1 to 255 GuardDuty regions${bad === undefined ? '' : `; "${bad}" is not one`}`);
    }
  }
}
