/**
 * Logging: JSON lines on stdout (CloudWatch Logs parses them), one object per event, with
 * run_id/account/region as fields. A short human progress line goes to stderr only on a TTY.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export interface LoggerOptions {
  /** @default 'info' */
  level?: 'debug' | 'info' | 'warn' | 'error';
  /** Added to every line. */
  runId?: string;
  /** Where the JSON lines go. @default process.stdout (file descriptor 1, synchronous) */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = options.runId === undefined ? {} : { run_id: options.runId };
  return pino(
    {
      level: options.level ?? 'info',
      base,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['*.SecretAccessKey', '*.SessionToken', '*.secretAccessKey', '*.sessionToken', 'credentials'], censor: '[redacted]' },
    },
    options.destination ?? pino.destination({ fd: 1, sync: true }),
  );
}

/** A progress line rewritten in place on stderr; silent when stderr is not a terminal. */
export class Progress {
  private last = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  /** Rewrites the line at most ten times a second. */
  update(text: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.stream.write(`\r\x1b[2K${text}`);
  }

  done(text: string): void {
    if (this.enabled) this.stream.write(`\r\x1b[2K${text}\n`);
  }
}
