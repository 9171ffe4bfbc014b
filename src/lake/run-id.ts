import { randomBytes } from 'node:crypto';
import { compactInstant } from './keys.js';

/** `<prefix>-20261122T042200123Z-1a2b3c`: sortable by start time, unique enough across shards. */
export function newRunId(prefix: string, now: Date = new Date()): string {
  return `${prefix}-${compactInstant(now)}-${randomBytes(3).toString('hex')}`;
}
