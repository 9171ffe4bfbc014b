/** `guardduty-lake emulator`: serves the offline AWS until the process is told to stop. */
import { startEmulator } from './index.js';
import type { CommandHandler } from '../types.js';

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
  ctx.log.info({
    url: emulator.url,
    env: emulator.env,
    management_account_id: world.managementAccountId,
    admin_account_id: world.adminAccountId,
    accounts: world.accounts.length,
    enabled_regions: world.enabledRegions,
    findings: world.findingIds({ includeArchived: true }).length,
  }, 'emulator listening; set env to point the AWS SDK at it');
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  ctx.log.info({ calls: emulator.counters.calls, throttled: emulator.counters.throttled }, 'emulator stopped');
  return 0;
};
