import { NestFactory } from '@nestjs/core';
import { ConnectorInstanceService, runAsRootWarning } from '@tradelane/connector-host';
import { MESSAGE_BUS, MessageBus, startBusConsumers } from '@tradelane/messaging';
import { Database } from '@tradelane/persistence';
import { Logger } from 'nestjs-pino';
import 'reflect-metadata';
import { WorkerModule } from './app.module';

/** Worker process: consumes the bus; serves only /health and /metrics (WORKER_PORT, default 3001). */
async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(WorkerModule, { bufferLogs: true });
  const logger = app.get(Logger);
  app.useLogger(logger);
  app.enableShutdownHooks();
  const db = app.get(Database);
  const bus = app.get<MessageBus>(MESSAGE_BUS);
  if (bus.kind === 'in-process')
    logger.warn('no AMQP_URL: the worker consumes an in-process bus nobody else can publish to', 'Bootstrap');
  const asRoot = runAsRootWarning(process.getuid?.(), process.env.TRADELANE_FILE_ROOTS);
  if (asRoot) logger.warn(asRoot, 'Bootstrap');
  await app.get(ConnectorInstanceService).assertSecretsOpen();
  await startBusConsumers(app);
  const port = Number(process.env.WORKER_PORT ?? 3001);
  await app.listen(port, process.env.HOST ?? '127.0.0.1');
  logger.log(
    `Tradelane worker | database: ${db.describe()} | bus: ${bus.kind} | metrics on :${port}/metrics`,
    'Bootstrap',
  );
}

bootstrap().catch((err) => {
  console.error(err);
  process.exit(1);
});
