import type { CommandHandler } from '../types.js';
import { runBuffer } from '../metrics/index.js';
import { ConfigError } from '../errors.js';
import { openLake, s3WriteOptions } from './open.js';
import { importFiles } from './import.js';
import { newRunId } from './run-id.js';
import { ImportSourceError } from './errors.js';

/**
 * `guardduty-lake import --lake … PATH…`: exit 0 when every record became a row, 1 when anything
 * was quarantined or a file failed (the last log line says which), 2 for missing/unsupported paths.
 */
export const runImport: CommandHandler<'import'> = async (config, ctx) => {
  if (ctx.positionals.length === 0) throw new ConfigError('path', 'import needs at least one PATH (a .json, .jsonl, .jsonl.gz file or a directory)');
  const runId = config.runId ?? newRunId('import');
  // The CLI's logger already carries a run id given on the command line.
  const log = config.runId === undefined ? ctx.log.child({ run_id: runId }) : ctx.log;
  const store = openLake(config.lake, s3WriteOptions(config), ctx.env);
  let done = 0;
  let findings = 0;
  let result;
  try {
    result = await importFiles({
      store, paths: ctx.positionals, runId, signal: ctx.signal,
      onSource: (s) => {
        done++;
        findings += s.findings;
        const line = { file: s.path, hash: s.hash, status: s.status, records: s.records, findings: s.findings, quarantined: s.quarantined, objects: s.objects.length };
        if (s.status === 'failed') log.error({ ...line, error: s.error }, `import of ${s.path} failed: ${s.error ?? ''}`);
        else if (s.status === 'duplicate') log.info({ ...line, duplicate_of: s.duplicateOf }, `skipped ${s.path}: same bytes as ${s.duplicateOf ?? ''}`);
        else log.debug(line, `imported ${s.path}`);
        ctx.progress.update(`import: ${done} files, ${findings} findings`);
      },
    });
  } catch (error) {
    if (error instanceof ImportSourceError) throw new ConfigError('path', `import: ${error.message}`, { cause: error });
    throw error;
  }
  const { manifest, quarantineKeys } = result;
  const details = manifest.import;
  if (result.ignored.length > 0) log.warn({ ignored: result.ignored.slice(0, 20), count: result.ignored.length }, `ignored ${result.ignored.length} files that are not .json/.jsonl/.jsonl.gz`);
  const failed = details?.failedFiles ?? 0;
  const quarantined = manifest.totals.quarantined;
  const code = quarantined > 0 || failed > 0 || result.aborted ? 1 : 0;
  ctx.progress.done(`import: ${done} files, ${manifest.totals.findings} findings, ${quarantined} quarantined`);
  const summary = {
    files: details?.files, failed_files: failed, duplicate_files: details?.duplicateFiles, records: details?.records,
    findings: manifest.totals.findings, quarantined, empty_envelopes: details?.emptyEnvelopes, statistics_responses: details?.statisticsResponses,
    bytes_written: manifest.totals.bytesWritten, manifest: store.locate(result.manifestKey), quarantine: quarantineKeys.map((k) => store.locate(k)), exit_code: code,
  };
  const why = [
    quarantined > 0 ? `${quarantined} records quarantined (${quarantineKeys.map((k) => store.locate(k)).join(', ')})` : '',
    failed > 0 ? `${failed} files failed` : '',
    result.aborted ? 'stopped by a signal before the end' : '',
  ].filter((s) => s !== '').join('; ');
  const msg = `import finished: ${manifest.totals.findings} findings from ${details?.files ?? 0} files${why === '' ? '' : `; ${why}`}; exit ${code}`;
  // The run's EMF record (CloudWatch metrics), before the summary so that stays the last log line.
  runBuffer(manifest).flush(ctx.stdout);
  if (code === 0) log.info(summary, msg);
  else log.warn(summary, msg);
  return code;
};
