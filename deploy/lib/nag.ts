import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export interface Suppression {
  readonly id: string;
  /** Why the rule does not apply here (cdk-nag wants a real sentence). */
  readonly reason: string;
  /** Limit the acknowledgment to these findings of the rule (e.g. `Resource::*`). */
  readonly appliesTo?: readonly string[];
}

/**
 * Every cdk-nag acknowledgment in this app goes through here, so each carries a reason.
 * cdk-nag 3 acknowledges one finding at a time: `AwsSolutions-IAM5[Resource::*]`.
 */
export function suppress(construct: IConstruct, suppressions: readonly Suppression[]): void {
  for (const s of suppressions) {
    const ids = s.appliesTo === undefined ? [s.id] : s.appliesTo.map((finding) => `${s.id}[${finding}]`);
    for (const id of ids) Validations.of(construct).acknowledge({ id, reason: s.reason });
  }
}
