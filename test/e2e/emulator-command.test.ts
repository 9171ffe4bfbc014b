/** `guardduty-lake emulator` through the CLI: one JSON line with url and env, serves until aborted, exit 0. */
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { GuardDutyClient, ListDetectorsCommand } from '@aws-sdk/client-guardduty';
import { main } from '../../src/cli.js';

describe('emulator command', () => {
  it('logs the url and env, serves the SDK, and stops with exit 0 when aborted', async () => {
    // Prepare
    const stdout = new PassThrough();
    const lines: string[] = [];
    stdout.on('data', (chunk: Buffer) => lines.push(...chunk.toString('utf8').split('\n').filter(Boolean)));
    const controller = new AbortController();
    // Act
    const exit = main(['emulator', '--port', '0', '--seed', '4', '--org-accounts', '4', '--findings-per-account', '3'], { stdout, signal: controller.signal, env: {} });
    while (lines.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    const first = JSON.parse(lines[0] ?? '{}') as { url?: string; env?: Record<string, string>; accounts?: number };
    const env = first.env ?? {};
    const gd = new GuardDutyClient({
      region: 'us-east-1', endpoint: env.AWS_ENDPOINT_URL_GUARDDUTY,
      credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID ?? '', secretAccessKey: env.AWS_SECRET_ACCESS_KEY ?? '' },
    });
    const detectors = await gd.send(new ListDetectorsCommand({}));
    controller.abort();
    // Assess
    expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(first.accounts).toBe(4);
    expect(Object.keys(env)).toEqual(expect.arrayContaining(['AWS_ENDPOINT_URL_GUARDDUTY', 'AWS_ENDPOINT_URL_ORGANIZATIONS', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_SESV2']));
    expect(detectors.DetectorIds).toHaveLength(1);
    expect(await exit).toBe(0);
  });
});
