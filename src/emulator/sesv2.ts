/** SESv2 SendEmail over REST-JSON; every message is kept in `sentEmails` for tests to read. */
import { badRequest, ServiceError } from './errors.js';
import { jsonBody, jsonReply, type EmulatorRequest, type Reply, type ServiceContext, type ServiceModule } from './protocol.js';
import { Rng } from './random.js';
import type { IssuedKey } from './credentials.js';
import type { SentEmail } from './types.js';

interface SendEmailBody {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  Content?: {
    Simple?: { Subject?: { Data?: string }; Body?: { Html?: { Data?: string }; Text?: { Data?: string } } };
    Raw?: { Data?: string };
  };
}

export class SesV2Service implements ServiceModule {
  readonly signingName = 'ses';
  private sent = 0;

  operation(req: EmulatorRequest): string | undefined {
    return req.method === 'POST' && req.path === '/v2/email/outbound-emails' ? 'SendEmail' : undefined;
  }

  handle(_op: string, req: EmulatorRequest, _caller: IssuedKey, ctx: ServiceContext): Reply {
    const body = jsonBody(req) as SendEmailBody;
    const email = body.Content?.Raw ? fromRaw(body) : fromSimple(body);
    ctx.sentEmails.push(email);
    const messageId = `0100${new Rng(ctx.world.seed, 0x3e, this.sent++).hex(12)}-${new Rng(ctx.world.seed, 0x3f, this.sent).hex(8)}-000000`;
    return jsonReply(200, { MessageId: messageId }, req.requestId);
  }

  error(err: ServiceError, req: EmulatorRequest): Reply {
    return {
      status: err.status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code, 'x-amzn-requestid': req.requestId },
      body: JSON.stringify({ message: err.message }),
    };
  }
}

function recipients(body: SendEmailBody): string[] {
  const d = body.Destination ?? {};
  return [...(d.ToAddresses ?? []), ...(d.CcAddresses ?? []), ...(d.BccAddresses ?? [])];
}

function fromSimple(body: SendEmailBody): SentEmail {
  const simple = body.Content?.Simple;
  if (!simple) throw badRequest('Content must contain Simple, Raw or Template.');
  if (!body.FromEmailAddress) throw badRequest('FromEmailAddress is required.');
  const to = recipients(body);
  if (to.length === 0) throw badRequest('Destination must contain at least one address.');
  const html = simple.Body?.Html?.Data;
  const text = simple.Body?.Text?.Data;
  if (html === undefined && text === undefined) throw badRequest('Body must contain Html or Text.');
  return {
    from: body.FromEmailAddress, to, subject: simple.Subject?.Data ?? '',
    ...(html === undefined ? {} : { html }), ...(text === undefined ? {} : { text }), raw: body,
  };
}

/** Reads From/To/Subject from the MIME headers of a raw message. */
function fromRaw(body: SendEmailBody): SentEmail {
  const data = body.Content?.Raw?.Data;
  if (!data) throw badRequest('Raw.Data is required.');
  const mime = Buffer.from(data, 'base64').toString('utf8');
  const { header } = splitPart(mime);
  const to = recipients(body);
  const headerTo = header('To')?.split(',').map((s) => s.trim()).filter(Boolean) ?? [];
  const from = body.FromEmailAddress ?? header('From');
  if (!from) throw badRequest('The message has no From address.');
  if (to.length + headerTo.length === 0) throw badRequest('The message has no recipients.');
  const parts = textParts(mime);
  return {
    from, to: to.length > 0 ? to : headerTo, subject: header('Subject') ?? '',
    ...(parts.html === undefined ? {} : { html: parts.html }), ...(parts.text === undefined ? {} : { text: parts.text }), raw: body,
  };
}

/** Headers and body of one MIME entity. */
function splitPart(entity: string): { head: string; content: string; header: (name: string) => string | undefined } {
  const at = entity.search(/\r?\n\r?\n/);
  const head = at < 0 ? entity : entity.slice(0, at);
  const content = at < 0 ? '' : entity.slice(at).replace(/^\r?\n\r?\n/, '');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(unfolded)?.[1]?.trim();
  return { head, content, header };
}

/** The text/html and text/plain parts of a message (single part or multipart, base64 or not). */
function textParts(entity: string): { html?: string; text?: string } {
  const { content, header } = splitPart(entity);
  const type = (header('Content-Type') ?? 'text/plain').toLowerCase();
  const boundary = /boundary="?([^";]+)"?/i.exec(header('Content-Type') ?? '')?.[1];
  if (type.startsWith('multipart/') && boundary !== undefined) {
    const found: { html?: string; text?: string } = {};
    for (const part of content.split(`--${boundary}`).slice(1)) {
      if (part.startsWith('--')) break;
      const inner = textParts(part.replace(/^\r?\n/, ''));
      found.html ??= inner.html;
      found.text ??= inner.text;
    }
    return found;
  }
  const decoded = /base64/i.test(header('Content-Transfer-Encoding') ?? '') ? Buffer.from(content, 'base64').toString('utf8') : content.replace(/\r?\n$/, '');
  if (type.startsWith('text/html')) return { html: decoded };
  if (type.startsWith('text/plain')) return { text: decoded };
  return {};
}
