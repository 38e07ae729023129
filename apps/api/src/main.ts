import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AccessService } from '@tradelane/access';
import { ConnectorInstanceService, runAsRootWarning } from '@tradelane/connector-host';
import { SampleDataService } from '@tradelane/crm-core';
import { configureHttpApp } from '@tradelane/http';
import { MESSAGE_BUS, MessageBus, startBusConsumers } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import { Logger } from 'nestjs-pino';
import 'reflect-metadata';
import { ApiModule } from './app.module';
import { mountOpenApi } from './openapi';
import { mountWebApp } from './web';

async function bootstrap(): Promise<void> {
  // rawBody: webhook signatures are computed over the bytes the partner sent.
  const app = await NestFactory.create<NestExpressApplication>(ApiModule, {
    bufferLogs: true,
    rawBody: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  configureHttpApp(app);
  app.enableShutdownHooks();
  mountOpenApi(app);
  const web = mountWebApp(app);

  const db = app.get(Database);
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  // PGlite allows one process and the in-process bus lives in this process: the worker must run here.
  const runWorker =
    db.embedded || bus.kind === 'in-process' || process.env.TRADELANE_API_RUN_WORKER === 'true';
  const asRoot = runAsRootWarning(process.getuid?.(), process.env.TRADELANE_FILE_ROOTS);
  if (asRoot) logger.warn(asRoot, 'Bootstrap');
  await app.get(ConnectorInstanceService).assertSecretsOpen();
  if (runWorker) await startBusConsumers(app);

  const port = Number(process.env.PORT ?? 3000);
  const host = process.env.HOST ?? '127.0.0.1';
  await app.listen(port, host);
  db.announce(`http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`);
  const embedded = [
    db.embedded && 'database (PGlite)',
    bus.kind === 'in-process' && 'bus (in-process)',
  ].filter(Boolean);
  logger.log(
    `Tradelane on http://${host}:${port}${web ? ' (web console at /)' : ''} (OpenAPI at /docs) | database: ${db.describe()} | bus: ${bus.kind}` +
      ` | worker: ${runWorker ? 'in this process' : 'separate process'}` +
      (embedded.length ? ` | EMBEDDED: ${embedded.join(', ')} — for evaluation, not production` : ''),
    'Bootstrap',
  );
  const access = app.get(AccessService);
  const first = await access.ensureFirstAdminWithSetup();
  if (first && !process.env.TRADELANE_ADMIN_PASSWORD)
    logger.warn(
      `first start: staff user admin@localhost (role admin) created with password ${first.password} ` +
        '(shown this once; log in with POST /auth/login). Or set your own within 24 h with the one-time ' +
        `setup token: POST /auth/password-reset {"token":"${first.setupToken}","password":"..."}`,
      'Bootstrap',
    );
  logger.log(
    access.config.mode === 'local'
      ? 'authentication: local: requests from this machine without credentials act as the administrator ' +
          '(the embedded trial; TRADELANE_AUTH=required asks everyone to log in)'
      : 'authentication: required (a bearer token from POST /auth/login or an API key)',
    'Bootstrap',
  );
  const published = await app.get(SampleDataService).loadIfWanted();
  if (published)
    logger.log(
      `sample data on its way: open http://${host}:${port}/ (the console) or http://${host}:${port}/customers?q=ALFKI`,
      'Bootstrap',
    );
}

bootstrap().catch((err) => {
  console.error(err);
  process.exit(1);
});
