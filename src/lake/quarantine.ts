/**
 * Quarantine: records that could not become rows, kept raw with the reason, as JSON lines
 * `{reason, source, raw, quarantined_at}` in `quarantine/dt=…/<…>.jsonl`.
 */
import type { QuarantinedRecord } from '../transform/types.js';
import type { LakeStore } from './types.js';

export interface QuarantineLine {
  readonly reason: string;
  readonly source: string;
  /** The record as received: parsed JSON, or the text when it was not JSON. */
  readonly raw: unknown;
  readonly quarantined_at: string;
}

/**
 * Collects quarantined records of one source (an export slice window or an imported file) and
 * writes them to one deterministic key. Quarantines are small by nature, so they are held in memory.
 */
export class QuarantineWriter {
  private readonly lines: string[] = [];

  constructor(
    private readonly store: LakeStore,
    readonly key: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  add(record: QuarantinedRecord): void {
    const line: QuarantineLine = { reason: record.reason, source: record.source, raw: record.raw ?? null, quarantined_at: this.now().toISOString() };
    this.lines.push(JSON.stringify(line));
  }

  get count(): number {
    return this.lines.length;
  }

  /**
   * Writes the collected lines. With none, removes an object a previous run of the same source
   * left, so a clean rerun leaves no stale quarantine.
   */
  async flush(): Promise<void> {
    if (this.lines.length === 0) {
      await this.store.delete(this.key);
      return;
    }
    await this.store.put(this.key, `${this.lines.join('\n')}\n`, { contentType: 'application/x-ndjson' });
  }
}

/** Reads one quarantine object back. */
export async function readQuarantine(store: LakeStore, key: string): Promise<QuarantineLine[]> {
  const bytes = await store.get(key);
  if (bytes === undefined) return [];
  return Buffer.from(bytes).toString('utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l) as QuarantineLine);
}
