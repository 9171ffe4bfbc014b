/**
 * The whole report for one week, callable in-process (the demo uses it): build from the lake,
 * render, write report.html / report.txt / queries.sql, and email once.
 */
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { Logger } from 'pino';
import type { LakeStore } from '../lake/types.js';
import { buildWeeklyReport } from './build.js';
import { readSent, sendReport, sentKey, type SentRecord } from './email.js';
import { ReportWriteError } from './errors.js';
import { assertReportLake, openReportLake, type OpenLakeOptions } from './lake.js';
import { queriesFile } from './queries.js';
import { renderWeeklyReport, type Rendered } from './render.js';
import type { Sla, WeeklyReport } from './types.js';
import { resolveWeek } from './week.js';

export interface ReportRunOptions {
  /** The lake URI (s3://bucket/prefix or a directory). */
  readonly lake: string;
  /** ISO week `2026-W47`; else the week containing `end`; else the last complete week. */
  readonly week?: string | undefined;
  /** A date `YYYY-MM-DD`: the report is for the ISO week containing it (when `week` is not given). */
  readonly end?: string | undefined;
  /** Where report.html, report.txt, queries.sql go. @default '<lake>/reports/<week>/' */
  readonly out?: string | undefined;
  /** @default 10 */
  readonly top?: number;
  /** @default 'GuardDuty weekly report' */
  readonly title?: string;
  /** A directory whose templates override the bundled ones by file name. */
  readonly templates?: string | undefined;
  /** Days to fix a finding, per severity. @default critical 1, high 7, medium 30, low none */
  readonly sla?: Sla;
  readonly email?: {
    to: readonly string[];
    from: string;
    /** SES region (the home region). */
    region: string;
    /** Send again even if reports/<week>/sent.json exists. @default false */
    resend?: boolean;
    /** @default 8 */
    maxAttempts?: number;
    /** A ready SES v2 client (tests, demo); otherwise one is made for `region`. */
    client?: SESv2Client;
  } | undefined;
  /** Generation time (the header, the default week, the cut-off for run manifests). @default Date.now() */
  readonly now?: number;
  /** Progress and outcome log lines. */
  readonly log?: Logger;
  /** S3 write options (server-side encryption, expected bucket owner) for the lake and --out. */
  readonly s3?: OpenLakeOptions;
  /**
   * An already open lake (tests, demo); otherwise `lake` is opened and must be a lake (an existing
   * directory, or a location with run manifests or findings), else a ConfigError naming `--lake`.
   */
  readonly store?: LakeStore;
  /** Called as finding rows are read (the count so far). */
  readonly onProgress?: (rowsRead: number) => void;
}

export interface ReportRunResult {
  readonly report: WeeklyReport;
  readonly rendered: Rendered;
  /** Where each file was written (paths or URLs from `locate`). */
  readonly files: { html: string; text: string; sql: string };
  readonly email: 'sent' | 'already-sent' | 'not-requested';
  readonly sent?: SentRecord;
}

export async function runReportFor(options: ReportRunOptions): Promise<ReportRunResult> {
  const started = Date.now();
  const now = options.now ?? Date.now();
  const store = options.store ?? openReportLake(options.lake, options.s3);
  if (options.store === undefined) await assertReportLake(store, options.lake);
  const week = resolveWeek({ week: options.week, end: options.end, now });
  const report = await buildWeeklyReport(store, {
    week, now,
    ...(options.top !== undefined && { top: options.top }),
    ...(options.title !== undefined && { title: options.title }),
    ...(options.sla !== undefined && { sla: options.sla }),
    ...(options.onProgress !== undefined && { onProgress: options.onProgress }),
  });
  const rendered = await renderWeeklyReport(report, options.templates);

  const target = options.out === undefined ? store : openReportLake(options.out, options.s3);
  const prefix = options.out === undefined ? `reports/${week.label}/` : '';
  const keys = { html: `${prefix}report.html`, text: `${prefix}report.txt`, sql: `${prefix}queries.sql` };
  try {
    await target.put(keys.html, rendered.html, { contentType: 'text/html; charset=utf-8' });
    await target.put(keys.text, rendered.text, { contentType: 'text/plain; charset=utf-8' });
    await target.put(keys.sql, queriesFile(report), { contentType: 'application/sql; charset=utf-8' });
  } catch (e) {
    throw new ReportWriteError(`writing the report to ${target.uri} failed: ${(e as Error).message}`, { cause: e });
  }
  const files = { html: target.locate(keys.html), text: target.locate(keys.text), sql: target.locate(keys.sql) };
  options.log?.info({ week: week.label, html: files.html, html_bytes: Buffer.byteLength(rendered.html), findings: report.totals.distinctFindings, rows_read: report.totals.rowsRead, duration_ms: Date.now() - started }, 'report written');

  let email: ReportRunResult['email'] = 'not-requested';
  let sent: SentRecord | undefined;
  if (options.email !== undefined) {
    const previous = await readSent(store, week.label);
    if (previous !== undefined && options.email.resend !== true) {
      email = 'already-sent';
      sent = previous;
      options.log?.info({ week: week.label, sent_at: previous.sentAt, message_id: previous.messageId }, 'report already sent for this week; use --resend to send again');
    } else {
      const messageId = await sendReport(rendered, {
        region: options.email.region, from: options.email.from, to: options.email.to,
        ...(options.email.maxAttempts !== undefined && { maxAttempts: options.email.maxAttempts }),
        ...(options.email.client !== undefined && { client: options.email.client }),
      });
      sent = { week: week.label, sentAt: new Date().toISOString(), messageId, to: options.email.to, subject: rendered.subject };
      try {
        await store.put(sentKey(week.label), JSON.stringify(sent, null, 2), { contentType: 'application/json' });
      } catch (e) {
        throw new ReportWriteError(`the report was sent (message ${messageId}) but recording it in ${sentKey(week.label)} failed`, { cause: e });
      }
      email = 'sent';
      options.log?.info({ week: week.label, message_id: messageId, to: options.email.to.length, subject: rendered.subject }, 'report emailed');
    }
  }
  return { report, rendered, files, email, ...(sent !== undefined && { sent }) };
}
