/** Access keys the emulator knows: the base keys of the world and the ones its STS AssumeRole issued. */
import { Rng } from './random.js';
import type { AccessKeyPair } from './types.js';

export interface IssuedKey extends AccessKeyPair {
  accountId: string;
  /** ARN of the principal (GetCallerIdentity). */
  arn: string;
  userId: string;
  sessionToken?: string;
  /** Epoch ms after which the key answers ExpiredTokenException. */
  expiresAt?: number;
}

export class KeyStore {
  private readonly keys = new Map<string, IssuedKey>();
  private issued = 0;
  constructor(private readonly seed: number) {}

  add(key: IssuedKey): void {
    this.keys.set(key.accessKeyId, key);
  }

  get(accessKeyId: string): IssuedKey | undefined {
    return this.keys.get(accessKeyId);
  }

  /** Temporary credentials for `accountId` (deterministic sequence per seed). */
  issue(accountId: string, roleName: string, sessionName: string, expiresAt: number): IssuedKey {
    const rng = new Rng(this.seed, 0x57, this.issued++);
    const roleId = `AROA${rng.chars(17)}`;
    const key: IssuedKey = {
      accessKeyId: `ASIA${rng.chars(16)}`,
      secretAccessKey: rng.chars(40, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+'),
      sessionToken: `IQoJb3JpZ2luX2VjE${rng.chars(120, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789')}`,
      accountId,
      arn: `arn:aws:sts::${accountId}:assumed-role/${roleName}/${sessionName}`,
      userId: `${roleId}:${sessionName}`,
      expiresAt,
    };
    this.add(key);
    return key;
  }
}
