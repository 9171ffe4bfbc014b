/** Sending the report once per week through SES v2; the sent state lives in the lake (reports/<week>/sent.json). */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import type { LakeStore } from '../lake/types.js';
import { EmailError } from './errors.js';
import type { Rendered } from './render.js';

export interface SentRecord {
  readonly week: string;
  readonly sentAt: string;
  readonly messageId: string;
  readonly to: readonly string[];
  readonly subject: string;
}

export const sentKey = (week: string): string => `reports/${week}/sent.json`;

export async function readSent(store: LakeStore, week: string): Promise<SentRecord | undefined> {
  const bytes = await store.get(sentKey(week));
  if (bytes === undefined) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as SentRecord;
  } catch {
    return undefined;
  }
}

export interface SendOptions {
  readonly region: string;
  readonly from: string;
  readonly to: readonly string[];
  /** @default 8 */
  readonly maxAttempts?: number;
  readonly client?: SESv2Client;
}

/** One SendEmail with both parts. @throws EmailError */
export async function sendReport(rendered: Rendered, options: SendOptions): Promise<string> {
  const client = options.client ?? new SESv2Client({ region: options.region, retryMode: 'adaptive', maxAttempts: options.maxAttempts ?? 8 });
  try {
    const out = await client.send(new SendEmailCommand({
      FromEmailAddress: options.from,
      Destination: { ToAddresses: [...options.to] },
      Content: {
        Simple: {
          Subject: { Data: rendered.subject, Charset: 'UTF-8' },
          Body: {
            Html: { Data: rendered.html, Charset: 'UTF-8' },
            Text: { Data: rendered.text, Charset: 'UTF-8' },
          },
        },
      },
    }));
    return out.MessageId ?? '';
  } catch (e) {
    const err = e as Error;
    throw new EmailError(`SES SendEmail from ${options.from} failed: ${err.name}: ${err.message}`, { cause: e });
  } finally {
    if (options.client === undefined) client.destroy();
  }
}
