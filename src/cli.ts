#!/usr/bin/env node
/**
 * The one entry point. Owns argument parsing, configuration errors and exit codes:
 * 0 ok, 1 partial coverage / quarantined records / failed run, 2 bad configuration or usage.
 */
import { parseArgs } from 'node:util';
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { COMMANDS, envName, optionsFor, type CommandName } from './options.js';
import { loadConfig, type RawOptions } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger, Progress } from './log.js';
import type { CommandContext, CommandHandler, ExitCode } from './types.js';

const SUMMARY: Record<CommandName, string> = {
  export: 'Export findings, statistics and investigations of every account and region into the lake.',
  report: 'Render the weekly HTML report from the lake, and email it.',
  import: 'Import GuardDuty JSON / JSONL(.gz) files or native S3-export folders into the lake.',
  compact: 'Rewrite the small Parquet objects of closed dt partitions into one object each.',
  ddl: 'Print the Athena DDL (tables with partition projection, findings_latest view).',
  emulator: 'Serve the offline GuardDuty / Organizations / STS / SESv2 emulator.',
  demo: 'Start the emulator in-process, export into ./demo-lake and render the report.',
};

const HANDLERS: { [C in CommandName]: () => Promise<CommandHandler<C>> } = {
  export: async () => (await import('./collect/command.js')).runExport,
  report: async () => (await import('./report/command.js')).runReport,
  import: async () => (await import('./lake/import-command.js')).runImport,
  compact: async () => (await import('./lake/compact-command.js')).runCompact,
  ddl: async () => (await import('./lake/ddl-command.js')).runDdl,
  emulator: async () => (await import('./emulator/command.js')).runEmulator,
  demo: async () => (await import('./demo.js')).runDemo,
};

export function usage(command?: CommandName): string {
  if (command === undefined) {
    const width = Math.max(...COMMANDS.map((c) => c.length));
    return [
      'Usage: guardduty-lake <command> [options]',
      '',
      'Commands:',
      ...COMMANDS.map((c) => `  ${c.padEnd(width)}  ${SUMMARY[c]}`),
      '',
      'Run `guardduty-lake <command> --help` for its options. Every option also reads GDL_<OPTION>.',
      'Exit codes: 0 ok, 1 partial coverage / quarantined records / failed, 2 bad configuration.',
    ].join('\n');
  }
  const lines = optionsFor(command).map((o) => {
    const flag = o.type === 'boolean' ? `--${o.name}` : `--${o.name} <value>`;
    const dflt = o.default === undefined ? '' : ` (default: ${o.default})`;
    return `  ${flag}\n      ${o.description}${dflt}  [env ${envName(o.name)}]`;
  });
  const positional = command === 'import' ? ' <path>...' : '';
  return [`Usage: guardduty-lake ${command} [options]${positional}`, '', SUMMARY[command], '', 'Options:', ...lines, '  --help'].join('\n');
}

export interface MainIo {
  env?: NodeJS.ProcessEnv;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WriteStream;
  signal?: AbortSignal;
}

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function main(argv: string[], io: MainIo = {}): Promise<ExitCode> {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const env = io.env ?? process.env;
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    stdout.write(`${usage()}\n`);
    return first === undefined ? 2 : 0;
  }
  if (!(COMMANDS as readonly string[]).includes(first)) {
    stderr.write(`guardduty-lake: unknown command "${first}"; expected one of ${COMMANDS.join(', ')}\n`);
    return 2;
  }
  const command = first as CommandName;
  let flags: RawOptions;
  let positionals: string[];
  try {
    const parsed = parseArgs({
      args: rest,
      options: {
        help: { type: 'boolean', short: 'h' },
        ...Object.fromEntries(optionsFor(command).map((o) => [o.name, { type: o.type }])),
      },
      allowPositionals: command === 'import',
      strict: true,
    });
    if (parsed.values.help === true) {
      stdout.write(`${usage(command)}\n`);
      return 0;
    }
    flags = parsed.values as RawOptions;
    positionals = parsed.positionals;
  } catch (error) {
    stderr.write(`guardduty-lake ${command}: ${oneLine(error)}; see --help\n`);
    return 2;
  }
  try {
    const config = loadConfig(command, flags, env);
    const handler = await HANDLERS[command]();
    const runId = 'runId' in config ? config.runId : undefined;
    const log = createLogger({ level: config.logLevel, runId, destination: io.stdout });
    const ctx: CommandContext = {
      log, progress: new Progress(stderr), positionals, env, stdout, signal: io.signal ?? new AbortController().signal,
    };
    return await (handler as CommandHandler<typeof command>)(config as never, ctx);
  } catch (error) {
    if (error instanceof ConfigError) {
      stderr.write(`guardduty-lake ${command}: ${error.message}\n`);
      return 2;
    }
    const log = createLogger({ destination: io.stdout });
    log.error({ err: error }, `${command} failed: ${oneLine(error)}`);
    return 1;
  }
}

function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}

function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const controller = new AbortController();
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => controller.abort());
  // `guardduty-lake ddl | head`: the reader went away; that is not an error of ours.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  main(process.argv.slice(2), { signal: controller.signal }).then(
    (code) => { process.exitCode = code; },
    (error: unknown) => { process.stderr.write(`${String(error)}\n`); process.exitCode = 1; },
  );
}
