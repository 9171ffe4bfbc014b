/**
 * Credentials per account. delegated-admin mode uses the base credentials (the SDK's default chain);
 * assume-role mode assumes `<role-name>` in each account through `fromTemporaryCredentials`, one
 * provider per account shared by all its regions, cached and refreshed before expiry.
 */
import { fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { translateAwsError } from './errors.js';

export interface AssumeRoleSettings {
  /** Role name in every account. @default 'GuardDutyLakeReadOnly' */
  readonly roleName: string;
  readonly externalId?: string;
  /** Region of the STS endpoint. */
  readonly homeRegion: string;
  readonly maxAttempts: number;
  /** Part of the role session name, so CloudTrail shows which run it was. */
  readonly runId: string;
  /** Session length asked of STS, seconds. @default 3600 */
  readonly durationSeconds?: number;
}

/** Refresh this long before the credentials expire. */
export const REFRESH_BEFORE_MS = 5 * 60_000;

/**
 * Caches what `provider` returns until `refreshBeforeMs` before its expiration; concurrent callers
 * share one request; a failed request is not cached.
 */
export function memoizeCredentials(
  provider: AwsCredentialIdentityProvider,
  options: { refreshBeforeMs?: number; now?: () => number } = {},
): AwsCredentialIdentityProvider {
  const refreshBeforeMs = options.refreshBeforeMs ?? REFRESH_BEFORE_MS;
  const now = options.now ?? Date.now;
  let cached: Promise<AwsCredentialIdentity> | undefined;
  let expiresAt = Number.POSITIVE_INFINITY;
  return async () => {
    if (cached !== undefined && now() < expiresAt - refreshBeforeMs) return cached;
    const pending = provider().then(
      (creds) => {
        expiresAt = creds.expiration?.getTime() ?? Number.POSITIVE_INFINITY;
        return creds;
      },
      (error: unknown) => {
        if (cached === pending) cached = undefined;
        throw error;
      },
    );
    cached = pending;
    expiresAt = Number.POSITIVE_INFINITY;
    return pending;
  };
}

/** `guardduty-lake-<run id>`, within STS's 64-character limit and character set. */
export function roleSessionName(runId: string): string {
  return `guardduty-lake-${runId}`.replace(/[^\w+=,.@-]/g, '-').slice(0, 64);
}

export function roleArn(accountId: string, roleName: string): string {
  return `arn:aws:iam::${accountId}:role/${roleName}`;
}

/** One memoized assume-role provider per account. */
export class AssumeRoleCredentials {
  private readonly providers = new Map<string, AwsCredentialIdentityProvider>();
  constructor(private readonly settings: AssumeRoleSettings) {}

  forAccount(accountId: string): AwsCredentialIdentityProvider {
    let provider = this.providers.get(accountId);
    if (provider === undefined) {
      const { roleName, externalId, homeRegion, maxAttempts, runId, durationSeconds } = this.settings;
      const arn = roleArn(accountId, roleName);
      const assume = fromTemporaryCredentials({
        params: {
          RoleArn: arn,
          RoleSessionName: roleSessionName(runId),
          DurationSeconds: durationSeconds ?? 3600,
          ...(externalId === undefined ? {} : { ExternalId: externalId }),
        },
        clientConfig: { region: homeRegion, maxAttempts, retryMode: 'adaptive' },
      });
      provider = memoizeCredentials(async () => {
        try {
          return await assume();
        } catch (error) {
          throw translateAwsError(error, `sts:AssumeRole ${arn}`);
        }
      });
      this.providers.set(accountId, provider);
    }
    return provider;
  }
}
