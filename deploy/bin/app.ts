#!/usr/bin/env node
/**
 * `npx aws-cdk deploy --all` from deploy/: the guardduty-lake stack in the GuardDuty delegated
 * administrator account, and the member-account role template (deploy it with StackSets).
 * Settings: cdk.json context `guardduty-lake:*` (see lib/props.ts for each one and its default).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { TABLES } from '../../src/transform/tables.js';
import { AwsSolutionsChecks } from '../lib/cdk-nag.js';
import { propsFromContext } from '../lib/context.js';
import { GuardDutyLakeStack, MemberRoleStack } from '../lib/index.js';

const app = new App();
const settings = propsFromContext(app);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };

new GuardDutyLakeStack(app, 'GuardDutyLake', {
  ...settings,
  env,
  image: { kind: 'asset', directory: repoRoot },
  tables: Object.values(TABLES),
});
new MemberRoleStack(app, 'GuardDutyLakeMemberRole', { roleName: settings.memberRoleName });
// cdk-nag's AwsSolutions pack: a violation that is neither fixed nor acknowledged stops synth.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
