/**
 * Regions kept as data: easy to change when AWS launches a region or ends a preview.
 */

/** Every commercial region where GuardDuty is offered (opt-in regions included). */
export const GUARDDUTY_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-1', 'us-west-2',
  'af-south-1',
  'ap-east-1', 'ap-south-1', 'ap-south-2', 'ap-southeast-1', 'ap-southeast-2', 'ap-southeast-3',
  'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
  'ca-central-1', 'ca-west-1',
  'eu-central-1', 'eu-central-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1', 'eu-south-2',
  'il-central-1', 'me-south-1', 'me-central-1', 'mx-central-1',
  'sa-east-1',
] as const;

/** Regions where GuardDuty AI investigations (preview, 2026) are available. */
export const INVESTIGATION_PREVIEW_REGIONS = [
  'us-east-1', 'us-east-2', 'us-west-2', 'ca-central-1', 'eu-central-1',
  'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'ap-northeast-1',
] as const;

export function isGuardDutyRegion(name: string): boolean {
  return (GUARDDUTY_REGIONS as readonly string[]).includes(name);
}

export function isInvestigationRegion(name: string): boolean {
  return (INVESTIGATION_PREVIEW_REGIONS as readonly string[]).includes(name);
}
