import type { CommandHandler } from '../types.js';

/** Placeholder until the report command lands (see its issue). */
export const runReport: CommandHandler<'report'> = async (_config, ctx) => {
  ctx.log.error('the report command is not built yet');
  return 1;
};
