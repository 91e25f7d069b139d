import { startApp } from '../../app.js';
import type { Command } from '../command.js';

/** `qudao start`: serves the gateway, API and dashboard until SIGTERM/SIGINT, then shuts down gracefully. */
export const startCommand: Command = {
  name: 'start',
  summary: 'Start the server: gateway (/v1), admin and partner API (/api), dashboard, /healthz, /metrics.',
  usesConfig: true,
  async run(ctx) {
    const config = ctx.loadConfig();
    const running = await startApp(config);
    // Signal handlers go in before the "listening" line: whoever reads it may signal at once.
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (signal: string) => {
        ctx.err(`qudao: ${signal} received, finishing in-flight requests`);
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        running.stop().then(resolve, resolve);
      };
      process.on('SIGTERM', onSignal);
      process.on('SIGINT', onSignal);
    });
    if (running.createdAdminToken) {
      ctx.out(`admin token (shown once, keep it safe): ${running.createdAdminToken}`);
      ctx.out(`it is the owner's (${running.services.config.ownerEmail}); lost, npx qudao admin reset-owner issues a new one from the data folder`);
    }
    ctx.out(`qudao ${running.services.version} listening on ${running.url} (store: ${running.services.store.kind}${config.databaseUrl ? '' : `, data folder ${config.dataDir}`})`);
    await stopped;
    return 0;
  },
};
