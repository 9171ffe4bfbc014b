/** `guardduty-lake emulator`: serves the offline AWS until the process is told to stop. */
import { startEmulator } from './index.js';
import type { CommandHandler } from '../types.js';

/**
 * The emulator finds the caller from the access key id in the SigV4 credential scope and never
 * checks the signature, so any non-empty secret works. The log line therefore carries the endpoints,
 * the access key id and the region, never the secret (house rule: no credentials in logs).
 */
export const runEmulator: CommandHandler<'emulator'> = async (config, ctx) => {
  const emulator = await startEmulator({
    seed: config.seed,
    orgAccounts: config.orgAccounts,
    findingsPerAccount: config.findingsPerAccount,
    port: config.port,
    latencyMs: config.latencyMs,
    rateLimit: config.rateLimit,
    failAccounts: config.failAccounts ?? [],
    failRegions: config.failRegions ?? [],
  });
  const { world } = emulator;
  const { AWS_SECRET_ACCESS_KEY: _secret, ...env } = emulator.env;
  ctx.log.info({
    url: emulator.url,
    env,
    management_account_id: world.managementAccountId,
    admin_account_id: world.adminAccountId,
    accounts: world.accounts.length,
    enabled_regions: world.enabledRegions,
    findings: world.findingIds({ includeArchived: true }).length,
  }, 'emulator listening; point the AWS SDK at it with env plus AWS_SECRET_ACCESS_KEY set to any non-empty string (signatures are not checked)');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  ctx.log.info({ calls: emulator.counters.calls, throttled: emulator.counters.throttled }, 'emulator stopped');
  return 0;
};
