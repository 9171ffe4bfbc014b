import type { CommandHandler } from './types.js';

/** Placeholder until the demo command lands (see its issue). */
export const runDemo: CommandHandler<'demo'> = async (_config, ctx) => {
  ctx.log.error('the demo command is not built yet');
  return 1;
};
