export type { LakeStore, PutOptions, Watermark, SliceReport, SliceStatus, RunManifest } from './types.js';
export { openLake, type OpenLakeOptions } from './open.js';
export { LocalStore } from './local-store.js';
export { S3Store, parseS3Uri, type S3StoreOptions } from './s3-store.js';
export * from './keys.js';
export * from './errors.js';
export { readWatermark, writeWatermark, advanceWatermark, listWatermarks } from './watermark.js';
export { writeManifest, readManifest, listManifests, sliceFreshness, type SliceFreshness, type SliceRun, type ListManifestsOptions } from './manifest.js';
export { QuarantineWriter, readQuarantine, type QuarantineLine } from './quarantine.js';
