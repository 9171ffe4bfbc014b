import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  S3Client,
  paginateListObjectsV2,
  type ServerSideEncryption,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { LakeStoreError, LakeUriError } from './errors.js';
import { assertKey, assertPrefix } from './key-check.js';
import type { LakeStore, PutOptions } from './types.js';

/** How objects are written to an S3 lake. */
export interface S3StoreOptions {
  /** Server-side encryption of every object written. @default the bucket's default encryption */
  sse?: 'AES256' | 'aws:kms';
  /** KMS key (id, alias or ARN) with `sse: 'aws:kms'`. @default the AWS managed key aws/s3 */
  kmsKeyId?: string;
  /** Every request fails unless the bucket belongs to this 12-digit account. @default not checked */
  expectedBucketOwner?: string;
  /** SDK adaptive-retry attempts per request. @default 8 */
  maxAttempts?: number;
  /** Multipart part size in bytes (at least 5 MiB). @default 8 MiB */
  partSize?: number;
  /** The S3 client to use. @default a client from the environment (region, credentials, AWS_ENDPOINT_URL_S3) */
  client?: S3Client;
}

const MIB = 1024 * 1024;

/**
 * The lake in an S3 bucket under an optional prefix. Puts go through `@aws-sdk/lib-storage`
 * (multipart above one part); S3 makes an object visible only when its upload completes, and a
 * failed upload is aborted, so a partial object is never visible under its key.
 */
export class S3Store implements LakeStore {
  readonly uri: string;
  readonly bucket: string;
  /** Key prefix inside the bucket, without a trailing `/` ('' for the bucket root). */
  readonly prefix: string;
  readonly client: S3Client;
  private readonly options: S3StoreOptions;

  constructor(uri: string, options: S3StoreOptions = {}, env: NodeJS.ProcessEnv = process.env) {
    const parsed = parseS3Uri(uri);
    this.bucket = parsed.bucket;
    this.prefix = parsed.prefix;
    this.uri = `s3://${this.bucket}${this.prefix === '' ? '' : `/${this.prefix}`}`;
    this.options = options;
    const emulated = env.AWS_ENDPOINT_URL_S3 !== undefined || env.AWS_ENDPOINT_URL !== undefined;
    this.client = options.client ?? new S3Client({
      region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
      followRegionRedirects: true,
      retryMode: 'adaptive',
      maxAttempts: options.maxAttempts ?? 8,
      // Local S3 servers (s3rver) only understand path-style addressing.
      ...(emulated ? { forcePathStyle: true } : {}),
    });
  }

  async put(key: string, body: Uint8Array | string | AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<void> {
    assertKey(key);
    const Body = typeof body === 'string' || body instanceof Uint8Array ? body : Readable.from(body);
    const upload = new Upload({
      client: this.client,
      partSize: this.options.partSize ?? 8 * MIB,
      queueSize: 4,
      leavePartsOnError: false,
      params: {
        Bucket: this.bucket,
        Key: this.fullKey(key),
        Body,
        ...(options.contentType === undefined ? {} : { ContentType: options.contentType }),
        ...(this.options.sse === undefined ? {} : { ServerSideEncryption: this.options.sse as ServerSideEncryption }),
        ...(this.options.kmsKeyId === undefined ? {} : { SSEKMSKeyId: this.options.kmsKeyId }),
        ...this.owner(),
      },
    });
    try {
      await upload.done();
    } catch (error) {
      throw new LakeStoreError('put', this.locate(key), { cause: error });
    }
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    assertKey(key);
    try {
      const out = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ...this.owner() }));
      if (out.Body === undefined) return new Uint8Array();
      return await out.Body.transformToByteArray();
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: unknown }).name === 'NoSuchKey') return undefined;
      throw new LakeStoreError('get', this.locate(key), { cause: error });
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    assertPrefix(prefix);
    const skip = this.prefix === '' ? 0 : this.prefix.length + 1;
    try {
      const pages = paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: this.fullKey(prefix), ...this.owner() });
      for await (const page of pages) {
        for (const object of page.Contents ?? []) {
          if (object.Key !== undefined) yield object.Key.slice(skip);
        }
      }
    } catch (error) {
      throw new LakeStoreError('list', this.locate(prefix), { cause: error });
    }
  }

  async delete(key: string): Promise<void> {
    assertKey(key);
    try {
      await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.fullKey(key), ...this.owner() }));
    } catch (error) {
      throw new LakeStoreError('delete', this.locate(key), { cause: error });
    }
  }

  locate(key: string): string {
    return `s3://${this.bucket}/${this.fullKey(key)}`;
  }

  private fullKey(key: string): string {
    return this.prefix === '' ? key : `${this.prefix}/${key}`;
  }

  private owner(): { ExpectedBucketOwner?: string } {
    return this.options.expectedBucketOwner === undefined ? {} : { ExpectedBucketOwner: this.options.expectedBucketOwner };
  }
}

/** Splits `s3://bucket/some/prefix/` into bucket and prefix (no leading or trailing `/`). */
export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/.exec(uri);
  if (!m?.[1]) throw new LakeUriError(`"${uri}" is not s3://bucket[/prefix] with a valid bucket name`);
  const prefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (prefix !== '') assertPrefix(`${prefix}/`);
  return { bucket: m[1], prefix };
}
