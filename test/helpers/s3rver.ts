/**
 * s3rver (a local S3 over HTTP) on a free port in a temp directory, with one bucket. Sets
 * AWS_ENDPOINT_URL_S3 and dummy credentials so the real S3 client talks to it; `stop()` restores
 * the environment and removes the directory.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import S3rver from 's3rver';

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  /** The directory s3rver stores objects in. */
  directory: string;
  stop(): Promise<void>;
}

const ENV_KEYS = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION'] as const;

export async function startS3rver(bucket = 'lake-test-bucket'): Promise<RunningS3rver> {
  const directory = await mkdtemp(path.join(tmpdir(), 'gdl-s3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${address.port}`;
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  process.env.AWS_ENDPOINT_URL_S3 = endpoint;
  process.env.AWS_ACCESS_KEY_ID = 'S3RVER';
  process.env.AWS_SECRET_ACCESS_KEY = 'S3RVER';
  delete process.env.AWS_SESSION_TOKEN;
  process.env.AWS_REGION = 'us-east-1';
  return {
    endpoint,
    bucket,
    directory,
    async stop() {
      await server.close();
      for (const k of ENV_KEYS) {
        if (saved[k] === undefined) delete process.env[k];
        else process.env[k] = saved[k];
      }
      await rm(directory, { recursive: true, force: true });
    },
  };
}
