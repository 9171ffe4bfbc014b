/**
 * SDK clients: one GuardDuty client per (calling account, region), sharing one keep-alive agent;
 * adaptive retry with the configured attempts. No endpoint code: the SDK reads
 * AWS_ENDPOINT_URL_<SERVICE> itself.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { GuardDutyClient } from '@aws-sdk/client-guardduty';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentityProvider, Logger } from '@aws-sdk/types';
import type { RequestGate } from './limits.js';

export interface ClientFactoryOptions {
  /** SDK attempts per request (adaptive retry). */
  readonly maxAttempts: number;
  /** Region of Organizations and STS calls. */
  readonly homeRegion: string;
  readonly gate: RequestGate;
  /** Credentials of a calling account; undefined = the SDK's default chain (base credentials). */
  readonly credentialsFor?: (accountId: string) => AwsCredentialIdentityProvider | undefined;
  /** Sockets per host. @default concurrency-friendly 256 */
  readonly maxSockets?: number;
}

/**
 * The SDK's logger. Its logger middleware runs `logger?.info?.({ input: filter(input), output:
 * filter(output) })` after every call, and the default no-op logger has an `info`, so each response
 * was walked a second time to redact it for a log line nobody writes: 13.5 % of the exporter's CPU in
 * `bench:collect` (a profile of 71,538 findings). Without `info` the arguments are never built; the
 * other levels stay no-ops so any direct call is harmless.
 */
export const SDK_LOGGER = { trace() {}, debug() {}, warn() {}, error() {} } as unknown as Logger;

/** Label of the base credentials' account when its id is not known. */
export const BASE_ACCOUNT = 'base';

export class ClientFactory {
  private readonly guardDutyClients = new Map<string, GuardDutyClient>();
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(private readonly options: ClientFactoryOptions) {
    const maxSockets = options.maxSockets ?? 256;
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets });
  }

  private common(region: string) {
    return {
      region,
      maxAttempts: this.options.maxAttempts,
      retryMode: 'adaptive' as const,
      logger: SDK_LOGGER,
      requestHandler: { httpAgent: this.httpAgent, httpsAgent: this.httpsAgent },
    };
  }

  /** The GuardDuty client for calls made as `callerAccountId` in `region` (cached). */
  guardDuty(callerAccountId: string, region: string): GuardDutyClient {
    const key = `${callerAccountId}/${region}`;
    let client = this.guardDutyClients.get(key);
    if (client === undefined) {
      const credentials = this.options.credentialsFor?.(callerAccountId);
      client = new GuardDutyClient({ ...this.common(region), ...(credentials === undefined ? {} : { credentials }) });
      this.options.gate.install(client, key);
      this.guardDutyClients.set(key, client);
    }
    return client;
  }

  organizations(): OrganizationsClient {
    const client = new OrganizationsClient(this.common(this.options.homeRegion));
    this.options.gate.install(client, `${BASE_ACCOUNT}/${this.options.homeRegion}`);
    return client;
  }

  sts(): STSClient {
    const client = new STSClient(this.common(this.options.homeRegion));
    this.options.gate.install(client, `${BASE_ACCOUNT}/${this.options.homeRegion}`);
    return client;
  }

  destroy(): void {
    for (const client of this.guardDutyClients.values()) client.destroy();
    this.guardDutyClients.clear();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
