import { ConnectorInstanceService, SecretBox } from '@tradelane/connector-host';
import {
  bootTestApp,
  createTestDatabase,
  resetBroker,
  TestApp,
  TestDatabase,
  testServices,
} from '@tradelane/testing';
import * as os from 'node:os';

export interface ConnectorApp {
  database: TestDatabase;
  app: TestApp;
  instances: ConnectorInstanceService;
  close(): Promise<void>;
}

/**
 * What the connector suites share: a reset broker, a fresh database, and the app (real RabbitMQ)
 * with the installed connectors (the product's list). `env` (a sealing key and the temp folder as the
 * file root by default) is set for the app's
 * lifetime, since the app reads its settings when it boots.
 */
export async function startConnectorApp(
  name: string,
  env: Record<string, string> = {},
): Promise<ConnectorApp> {
  const services = testServices();
  // Drop and outbound folders of the suites live in the temp folder.
  const vars = {
    TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
    TRADELANE_FILE_ROOTS: os.tmpdir(),
    // Their source systems run on this machine.
    TRADELANE_OUTBOUND_ALLOW: 'loopback',
    ...env,
  };
  Object.assign(process.env, vars);
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  const database = await createTestDatabase(services.databaseUrl, name);
  const app = await bootTestApp({
    database: database.config,
    amqpUrl: services.amqpUrl,
  });
  return {
    database,
    app,
    instances: app.app.get(ConnectorInstanceService),
    async close() {
      await app.close();
      await database.drop();
      for (const k of Object.keys(vars)) delete process.env[k];
    },
  };
}
