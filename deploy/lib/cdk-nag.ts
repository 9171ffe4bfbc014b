// cdk-nag is CommonJS whose exports Node's ESM loader cannot name, and bundlers (vitest) wrap the
// default export differently: require it, the one form that behaves the same everywhere.
import { createRequire } from 'node:module';

const nag = createRequire(import.meta.url)('cdk-nag') as typeof import('cdk-nag');

export const { AwsSolutionsChecks } = nag;
