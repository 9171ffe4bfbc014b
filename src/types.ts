import type { Logger } from 'pino';
import type { Progress } from './log.js';
import type { ConfigByCommand } from './config.js';
import type { CommandName } from './options.js';

/** 0 = full success, 1 = finished with coverage gaps / quarantined records, or failed; 2 = bad config or usage. */
export type ExitCode = 0 | 1 | 2;

export interface CommandContext {
  log: Logger;
  progress: Progress;
  /** Arguments that are not flags (the paths of `import`). */
  positionals: string[];
  env: NodeJS.ProcessEnv;
  /** Where command output that is not a log line goes (`ddl` prints its SQL here). */
  stdout: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly. */
  signal: AbortSignal;
}

export type CommandHandler<C extends CommandName> = (
  config: ConfigByCommand[C],
  ctx: CommandContext,
) => Promise<ExitCode>;
