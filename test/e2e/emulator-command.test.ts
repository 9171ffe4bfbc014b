/**
 * `guardduty-lake emulator` through the CLI: one JSON line with url and env (no secret key), serves
 * the SDK signing with any secret, stops with exit 0 when aborted.
 */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { main } from '../../src/cli.js';
import { startEmulator } from '../../src/emulator/index.js';

describe('emulator command', () => {
  it('logs the url and env without the secret key, serves the SDK with any secret, and stops with exit 0 when aborted', async () => {
    // Prepare: the secret key the same seed gives, to prove it never reaches stdout
    const twin = await startEmulator({ seed: 4, orgAccounts: 4, findingsPerAccount: 3, port: 0 });
    const realSecret = twin.env.AWS_SECRET_ACCESS_KEY ?? '';
    await twin.close();
    const stdout = new PassThrough();
    const lines: string[] = [];
    stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const controller = new AbortController();
    // Act
    const exit = main(['emulator', '--port', '0', '--seed', '4', '--org-accounts', '4', '--findings-per-account', '3'], { stdout, signal: controller.signal, env: {} });
    while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const first = JSON.parse(lines[0] ?? '{}') as { url?: string; env?: Record<string, string>; accounts?: number; msg?: string };
    const env = first.env ?? {};
    const gd = new GuardDutyClient({
      region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL_GUARDDUTY,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: 'any-non-empty-string' },
    });
    const detectors = await gd.send(new ListDetectorsCommand({}));
    controller.abort();
    const code = await exit;
    // Assess
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.accounts).toBe(4);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['AWS_ENDPOINT_URL_GUARDDUTY', 'AWS_ENDPOINT_URL_ORGANIZATIONS', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SESV2', 'AWS_ACCESS_KEY_ID']));
    expect(env).not.toHaveProperty('AWS_SECRET_ACCESS_KEY');
    expect(first.msg).toContain('any non-empty string');
    expect(realSecret).toHaveLength(40);
    expect(lines.join('\n')).not.toContain(realSecret);
    expect(detectors.DetectorIds).toHaveLength(1);
    expect(code).toBe(0);
  });
});
