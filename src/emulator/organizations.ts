/** AWS Organizations over JSON 1.1 (X-Amz-Target AWSOrganizationsV20161128.<Operation>), small pages. */
import { ServiceError } from './errors.js';
import { decodeToken, jsonBody, jsonReply, page, type EmulatorRequest, type Reply, type ServiceContext, type ServiceModule } from './protocol.js';
import type { IssuedKey } from './credentials.js';
import type { World } from './world.js';
import type { EmulatorAccount } from './types.js';

const TARGET = 'AWSOrganizationsV20161128.';
const OPERATIONS = ['DescribeOrganization', 'ListAccounts', 'ListRoots', 'ListOrganizationalUnitsForParent', 'ListAccountsForParent'] as const;
/** Page size when the caller sends no MaxResults: small, so callers must paginate. */
export const ORGANIZATIONS_DEFAULT_PAGE = 3;
const CONTENT_TYPE = 'application/x-amz-json-1.1';

const invalidInput = (message: string) => new ServiceError(400, 'InvalidInputException', message);

export class OrganizationsService implements ServiceModule {
  readonly signingName = 'organizations';

  operation(req: EmulatorRequest): string | undefined {
    const target = String(req.headers['x-amz-target'] ?? '');
    const op = target.startsWith(TARGET) ? target.slice(TARGET.length) : '';
    return (OPERATIONS as readonly string[]).includes(op) ? op : undefined;
  }

  admit(_op: string, _req: EmulatorRequest, caller: IssuedKey, ctx: ServiceContext): void {
    const { world } = ctx;
    if (caller.accountId !== world.managementAccountId && caller.accountId !== world.adminAccountId) {
      throw new ServiceError(400, 'AccessDeniedException', "You don't have permissions to access this resource.");
    }
  }

  handle(op: string, req: EmulatorRequest, _caller: IssuedKey, ctx: ServiceContext): Reply {
    const { world } = ctx;
    const body = jsonBody(req);
    const reply = (data: unknown) => jsonReply(200, data, req.requestId, CONTENT_TYPE);
    if (op === 'DescribeOrganization') {
      const mgmt = world.account(world.managementAccountId);
      return reply({
        Organization: {
          Id: world.organizationId,
          Arn: `arn:aws:organizations::${world.managementAccountId}:organization/${world.organizationId}`,
          FeatureSet: 'ALL',
          MasterAccountArn: `arn:aws:organizations::${world.managementAccountId}:account/${world.organizationId}/${world.managementAccountId}`,
          MasterAccountId: world.managementAccountId,
          MasterAccountEmail: mgmt?.email ?? '',
          AvailablePolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
        },
      });
    }
    const size = pageSize(body.MaxResults);
    const paged = <T>(key: string, items: T[], scope: string) => {
      const p = page(items, decodeToken(body.NextToken, scope, invalidInput), size, scope);
      return reply({ [key]: p.items, ...(p.nextToken ? { NextToken: p.nextToken } : {}) });
    };
    if (op === 'ListAccounts') return paged('Accounts', world.accounts.map((a) => accountWire(world, a)), 'accounts');
    if (op === 'ListRoots') {
      return paged('Roots', [{
        Id: world.rootId, Arn: `arn:aws:organizations::${world.managementAccountId}:root/${world.organizationId}/${world.rootId}`, Name: 'Root',
        PolicyTypes: [{ Type: 'SERVICE_CONTROL_POLICY', Status: 'ENABLED' }],
      }], 'roots');
    }
    const parentId = typeof body.ParentId === 'string' ? body.ParentId : '';
    if (parentId !== world.rootId && !world.ous.some((o) => o.id === parentId)) {
      throw new ServiceError(400, 'ParentNotFoundException', `We can't find a root or OU with the ParentId ${parentId}.`);
    }
    if (op === 'ListOrganizationalUnitsForParent') {
      return paged('OrganizationalUnits', world.ous.filter((o) => o.parentId === parentId).map((o) => ({
        Id: o.id, Arn: o.arn, Name: o.name, Path: `${pathTo(world, o.id)}`,
      })), `ous/${parentId}`);
    }
    return paged('Accounts', world.accounts.filter((a) => a.parentId === parentId).map((a) => accountWire(world, a)), `accounts/${parentId}`);
  }

  error(err: ServiceError, req: EmulatorRequest): Reply {
    return {
      status: err.status,
      headers: { 'content-type': CONTENT_TYPE, 'x-amzn-requestid': req.requestId },
      body: JSON.stringify({ __type: err.code, Message: err.message }),
    };
  }
}

function pageSize(raw: unknown): number {
  if (raw === undefined || raw === null) return ORGANIZATIONS_DEFAULT_PAGE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 20) throw invalidInput('You provided a value that does not match the required pattern: MaxResults must be 1 to 20.');
  return n;
}

/** `o-…/r-…/ou-…/…/` down to `id`. */
function pathTo(world: World, id: string): string {
  const chain: string[] = [];
  let cur: string | undefined = id;
  while (cur !== undefined && cur !== world.rootId) {
    chain.unshift(cur);
    const parentId: string | undefined = world.ous.find((o) => o.id === cur)?.parentId;
    cur = parentId;
  }
  return `${world.organizationId}/${world.rootId}/${chain.map((c) => `${c}/`).join('')}`;
}

function accountWire(world: World, a: EmulatorAccount): Record<string, unknown> {
  return {
    Id: a.id,
    Arn: `arn:aws:organizations::${world.managementAccountId}:account/${world.organizationId}/${a.id}`,
    Email: a.email,
    Name: a.name,
    Status: a.status,
    State: a.status,
    Paths: [`${pathTo(world, a.parentId)}${a.id}/`],
    JoinedMethod: a.role === 'management' ? 'CREATED' : 'INVITED',
    JoinedTimestamp: a.joinedAt.getTime() / 1000,
  };
}
