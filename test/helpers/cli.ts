/** Runs the CLI's `main` in-process with stdout captured (stderr and exit code as `main` leaves them). */
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli.js';

export async function runCli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<{ code: number; out: string }> {
  const stdout = new PassThrough();
  const chunks: Buffer[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c));
  const code = await main(args, { stdout, env });
  return { code, out: Buffer.concat(chunks).toString('utf8') };
}
