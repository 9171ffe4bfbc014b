import { BootstraplessSynthesizer, CfnCondition, CfnOutput, CfnParameter, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { suppress } from './nag.js';
import { guardDutyReadStatements } from './permissions.js';
import { TASK_ROLE_PREFIX } from './task.js';

export interface MemberRoleStackProps extends StackProps {
  /** @default 'GuardDutyLakeReadOnly' (the CLI's --role-name default) */
  readonly roleName?: string;
}

/**
 * The read-only role `--mode assume-role` assumes in every member account. Self-contained (no
 * assets, no bootstrap version check), so its template can be deployed with CloudFormation
 * StackSets (service-managed, auto-deployment) across the Organization.
 */
export class MemberRoleStack extends Stack {
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: MemberRoleStackProps = {}) {
    super(scope, id, { ...props, synthesizer: new BootstraplessSynthesizer() });
    const adminAccount = new CfnParameter(this, 'AdministratorAccountId', {
      type: 'String',
      allowedPattern: '^\\d{12}$',
      description: 'Account that runs guardduty-lake (its task role assumes this role).',
    });
    const externalId = new CfnParameter(this, 'ExternalId', {
      type: 'String',
      default: '',
      description: 'Optional sts:ExternalId the task passes (--external-id); empty for none.',
    });
    const hasExternalId = new CfnCondition(this, 'HasExternalId', { expression: Fn.conditionNot(Fn.conditionEquals(externalId.valueAsString, '')) });

    const principalArn = `arn:${this.partition}:iam::${adminAccount.valueAsString}:role/${TASK_ROLE_PREFIX}-*`;
    this.role = new iam.Role(this, 'ReadOnlyRole', {
      roleName: props.roleName ?? 'GuardDutyLakeReadOnly',
      description: 'guardduty-lake: read this account\'s GuardDuty findings, statistics and investigations',
      assumedBy: new iam.AccountPrincipal(adminAccount.valueAsString).withConditions({
        ArnLike: { 'aws:PrincipalArn': principalArn },
      }),
    });
    const policy = new iam.Policy(this, 'GuardDutyRead', { statements: guardDutyReadStatements(this.account) });
    policy.attachToRole(this.role);
    suppress(policy, [{
      id: 'AwsSolutions-IAM5',
      reason: 'guardduty:ListDetectors and the preview investigation reads have no resource-level permissions; the other reads cover this account\'s detector in every region.',
      appliesTo: ['Resource::*', 'Resource::arn:<AWS::Partition>:guardduty:*:<AWS::AccountId>:detector/*'],
    }]);
    // Require the external id only when one was given.
    const cfnRole = this.role.node.defaultChild as iam.CfnRole;
    cfnRole.addPropertyOverride('AssumeRolePolicyDocument.Statement.0.Condition.StringEquals', Fn.conditionIf(
      hasExternalId.logicalId, { 'sts:ExternalId': externalId.valueAsString }, Fn.ref('AWS::NoValue'),
    ));
    new CfnOutput(this, 'RoleArn', { value: this.role.roleArn });
  }
}
