import type { CommandHandler } from '../types.js';
import { METRIC, reportBuffer } from '../metrics/index.js';
import { EmailError, LakeReadError, ReportWriteError, TemplateError } from './errors.js';
import { runReportFor } from './run.js';
import { LakeStoreError, LakeUriError } from '../lake/errors.js';
import { ConfigError } from '../errors.js';

/**
 * `guardduty-lake report`: the weekly report from the lake; exit 0 when written (and sent if asked),
 * 1 on failure, 2 (ConfigError, from main) when `--lake` is not a lake — then nothing ran and no
 * metrics record is written, as for any other bad setting.
 */
export const runReport: CommandHandler<'report'> = async (config, ctx) => {
  const startedAt = Date.now();
  let sent = false;
  let finished = false;
  let badSetting = false;
  try {
    const result = await runReportFor({
      lake: config.lake,
      week: config.week,
      end: config.end,
      out: config.out,
      top: config.top,
      title: config.title,
      templates: config.templates,
      sla: config.sla,
      email: config.emailTo === undefined || config.emailFrom === undefined ? undefined : {
        to: config.emailTo, from: config.emailFrom, region: config.homeRegion, resend: config.resend,
      },
      s3: {
        ...(config.sse !== undefined && { sse: config.sse }),
        ...(config.kmsKeyId !== undefined && { kmsKeyId: config.kmsKeyId }),
        ...(config.expectedBucketOwner !== undefined && { expectedBucketOwner: config.expectedBucketOwner }),
      },
      log: ctx.log,
      onProgress: (rows) => ctx.progress.update(`report: ${rows.toLocaleString('en-US')} finding rows read`),
    });
    ctx.stdout.write(`${result.files.html}\n`);
    sent = result.email === 'sent';
    finished = true;
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      badSetting = true;
      throw e;
    }
    if (e instanceof LakeReadError || e instanceof TemplateError || e instanceof EmailError || e instanceof ReportWriteError
      || e instanceof RangeError || e instanceof LakeStoreError || e instanceof LakeUriError) {
      ctx.log.error({ err: { name: e.name, message: e.message } }, e.message);
      return 1;
    }
    throw e;
  } finally {
    // One EMF record per run: ReportSent 1 only when SES accepted this week's email.
    if (!badSetting) {
      const metrics = reportBuffer({ sent, durationSeconds: (Date.now() - startedAt) / 1000 });
      if (!finished) metrics.put(METRIC.RunFailed, 1);
      metrics.flush(ctx.stdout);
    }
  }
};
