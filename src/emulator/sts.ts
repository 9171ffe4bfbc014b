/** STS over the query protocol (form-encoded request, XML response): AssumeRole and GetCallerIdentity. */
import { ServiceError } from './errors.js';
import type { EmulatorRequest, Reply, ServiceContext, ServiceModule } from './protocol.js';
import type { IssuedKey } from './credentials.js';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const OPERATIONS = ['AssumeRole', 'GetCallerIdentity'] as const;
/** Our error codes → the names STS uses for the same conditions. */
const STS_CODES: Record<string, string> = {
  UnrecognizedClientException: 'InvalidClientTokenId',
  ExpiredTokenException: 'ExpiredToken',
  ThrottlingException: 'Throttling',
  AccessDeniedException: 'AccessDenied',
};

const xmlEscape = (s: string): string => s.replace(/[<>&'"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c] ?? c);
const validation = (message: string) => new ServiceError(400, 'ValidationError', message);
const denied = (message: string) => new ServiceError(403, 'AccessDenied', message);

export class StsService implements ServiceModule {
  readonly signingName = 'sts';

  private form(req: EmulatorRequest): URLSearchParams {
    return new URLSearchParams(req.body.length > 0 ? req.body.toString('utf8') : req.query.toString());
  }

  operation(req: EmulatorRequest): string | undefined {
    const action = this.form(req).get('Action') ?? '';
    return (OPERATIONS as readonly string[]).includes(action) ? action : undefined;
  }

  handle(op: string, req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): Reply {
    if (op === 'GetCallerIdentity') {
      return this.xml(op, req, `<Arn>${xmlEscape(caller.arn)}</Arn><UserId>${xmlEscape(caller.userId)}</UserId><Account>${caller.accountId}</Account>`);
    }
    const form = this.form(req);
    const roleArn = form.get('RoleArn') ?? '';
    const sessionName = form.get('RoleSessionName') ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) throw validation('1 validation error detected: Value at \'roleSessionName\' failed to satisfy constraint');
    const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/.exec(roleArn);
    if (!m) throw validation(`${roleArn} is invalid`);
    const duration = Number(form.get('DurationSeconds') ?? 3600);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43_200) {
      throw validation('1 validation error detected: Value at \'durationSeconds\' failed to satisfy constraint: Member must have value between 900 and 43200');
    }
    const [, accountId = '', roleName = ''] = m;
    const account = ctx.world.account(accountId);
    const refuse = () => denied(`User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    if (!account || account.status !== 'ACTIVE' || roleName !== ctx.world.roleName) throw refuse();
    if (ctx.world.externalId !== undefined && form.get('ExternalId') !== ctx.world.externalId) throw refuse();
    const expiresAt = Math.floor(Date.now() / 1000 + duration) * 1000;
    const key = ctx.keys.issue(accountId, roleName, sessionName, expiresAt);
    return this.xml(op, req, [
      '<Credentials>',
      `<AccessKeyId>${key.accessKeyId}</AccessKeyId>`,
      `<SecretAccessKey>${xmlEscape(key.secretAccessKey)}</SecretAccessKey>`,
      `<SessionToken>${key.sessionToken ?? ''}</SessionToken>`,
      `<Expiration>${new Date(expiresAt).toISOString()}</Expiration>`,
      '</Credentials>',
      `<AssumedRoleUser><AssumedRoleId>${xmlEscape(key.userId)}</AssumedRoleId><Arn>${xmlEscape(key.arn)}</Arn></AssumedRoleUser>`,
      '<PackedPolicySize>0</PackedPolicySize>',
    ].join(''));
  }

  private xml(op: string, req: EmulatorRequest, result: string): Reply {
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
      body: `<${op}Response xmlns="${NS}"><${op}Result>${result}</${op}Result><ResponseMetadata><RequestId>${req.requestId}</RequestId></ResponseMetadata></${op}Response>`,
    };
  }

  error(err: ServiceError, req: EmulatorRequest): Reply {
    const code = STS_CODES[err.code] ?? err.code;
    const type = err.status >= 500 ? 'Receiver' : 'Sender';
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': req.requestId },
      body: `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xmlEscape(err.message)}</Message></Error><RequestId>${req.requestId}</RequestId></ErrorResponse>`,
    };
  }
}
