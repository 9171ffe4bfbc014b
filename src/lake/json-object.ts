import type { z } from 'zod';
import { LakeStateError } from './errors.js';
import type { LakeStore } from './types.js';

/** Reads and validates a JSON state object; undefined when the key does not exist. */
export async function readJsonObject<T>(store: LakeStore, key: string, schema: z.ZodType<T>): Promise<T | undefined> {
  const bytes = await store.get(key);
  if (bytes === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (error) {
    throw new LakeStateError(store.locate(key), 'is not valid JSON', { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new LakeStateError(store.locate(key), `unexpected content at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`, { cause: result.error });
  }
  return result.data;
}

export async function writeJsonObject(store: LakeStore, key: string, value: unknown): Promise<void> {
  await store.put(key, `${JSON.stringify(value, null, 2)}\n`, { contentType: 'application/json' });
}
