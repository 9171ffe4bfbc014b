import type { CommandHandler } from '../types.js';

/** Placeholder until the emulator command lands (see its issue). */
export const runEmulator: CommandHandler<'emulator'> = async (_config, ctx) => {
  ctx.log.error('the emulator command is not built yet');
  return 1;
};
