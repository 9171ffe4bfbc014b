/**
 * `guardduty-lake demo`: the whole product offline. Starts the emulator in-process, points the AWS
 * SDK at it through its own `AWS_ENDPOINT_URL_*` variables, exports the emulated Organization into a
 * local lake and renders the report for the last complete ISO week.
 */
import { resolve } from 'node:path';
import { startEmulator } from './emulator/index.js';
import { exportOrganization, LakeSink } from './collect/index.js';
import { openLake } from './lake/index.js';
import { runReportFor } from './report/index.js';
import type { CommandHandler, ExitCode } from './types.js';

/** Sets variables for the duration of `fn` and puts the previous values back. */
async function withEnv<T>(vars: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export const runDemo: CommandHandler<'demo'> = async (config, ctx) => {
  const lakeDir = resolve(config.lake);
  const emulator = await startEmulator({
    seed: config.seed, orgAccounts: config.orgAccounts, findingsPerAccount: config.findingsPerAccount,
  });
  ctx.log.info({ url: emulator.url, admin_account_id: emulator.world.adminAccountId }, 'demo: emulator started');
  try {
    return await withEnv(emulator.env, async (): Promise<ExitCode> => {
      const lake = openLake(lakeDir, {}, process.env);
      const outcome = await exportOrganization(config, {
        log: ctx.log, sink: new LakeSink(lake), progress: ctx.progress, signal: ctx.signal,
      });
      const { totals } = outcome.manifest;
      const report = await runReportFor({
        lake: lakeDir, out: config.out, top: config.top, title: config.title, templates: config.templates,
        sla: config.sla, log: ctx.log,
      });
      ctx.stdout.write([
        '',
        `Exported ${totals.findings} findings, ${totals.statistics} statistics rows and ${totals.investigations} investigations ` +
          `(${totals.gapSlices} coverage gaps, ${totals.failedSlices} failed slices, ${totals.quarantined} quarantined).`,
        `Parquet lake: ${lakeDir}  (findings/, finding_statistics/, investigations/, investigation_records/, runs/)`,
        `Report:       ${report.files.html}`,
        '',
      ].join('\n'));
      return 0;
    });
  } finally {
    await emulator.close();
  }
};
