import type { App } from 'aws-cdk-lib';
import { AUTO_INVESTIGATE, MODES, type AutoInvestigate, type GuardDutyLakeProps, type Mode } from './props.js';

/** Reads `guardduty-lake:<name>` from cdk.json or `cdk deploy -c guardduty-lake:<name>=…`. */
export function propsFromContext(app: App): Omit<GuardDutyLakeProps, 'image' | 'tables'> {
  const get = (name: string): string | undefined => {
    const v: unknown = app.node.tryGetContext(`guardduty-lake:${name}`);
    return v === undefined || v === null || v === '' ? undefined : String(v);
  };
  const num = (name: string): number | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`context guardduty-lake:${name} must be a number, got "${v}"`);
    return n;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[]): T | undefined => {
    const v = get(name);
    if (v !== undefined && !(allowed as readonly string[]).includes(v)) throw new Error(`context guardduty-lake:${name} must be one of ${allowed.join(', ')}`);
    return v as T | undefined;
  };
  return {
    lakePrefix: get('lakePrefix'),
    databaseName: get('databaseName'),
    mode: oneOf<Mode>('mode', MODES),
    memberRoleName: get('memberRoleName'),
    externalId: get('externalId'),
    autoInvestigate: oneOf<AutoInvestigate>('autoInvestigate', AUTO_INVESTIGATE),
    regions: get('regions'),
    sesIdentity: get('sesIdentity'),
    emailFrom: get('emailFrom'),
    emailTo: get('emailTo'),
    alarmEmail: get('alarmEmail'),
    cpu: num('cpu'),
    memoryMiB: num('memoryMiB'),
    shards: num('shards'),
    exportSchedule: get('exportSchedule'),
    reportSchedule: get('reportSchedule'),
    compactSchedule: get('compactSchedule'),
  };
}
