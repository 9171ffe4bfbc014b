/**
 * Child process of bench/collect.ts: serves the emulator with the options given as JSON in argv[2]
 * and prints one JSON line `{"env":{…}}` once it listens. Runs until killed.
 */
import { startEmulator } from '../src/emulator/index.js';
import type { EmulatorOptions } from '../src/emulator/types.js';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emu = await startEmulator(options);
process.stdout.write(`${JSON.stringify({ env: emu.env })}\n`);
const stop = (): void => { void emu.close().finally(() => process.exit(0)); };
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
