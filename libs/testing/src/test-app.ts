import { INestApplication, Module, Type } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AccessConfig, AccessService } from '@tradelane/access';
import { processModules } from '@tradelane/composition';
import { ConnectorDefinition } from '@tradelane/connector-sdk';
import { ContractDefinition, ContractRegistry, CONTRACTS, Envelope } from '@tradelane/contracts';
import { configureHttpApp } from '@tradelane/http';
import {
  DEAD_LETTER_QUEUE,
  INBOUND_EXCHANGE,
  MESSAGE_BUS,
  MessageBus,
  MessagingConfig,
  messagingConfigFromEnv,
  startBusConsumers,
} from '@tradelane/messaging';
import { Database, DatabaseConfig } from '@tradelane/persistence';
import amqp from 'amqplib';
import request from 'supertest';
import { RawPublisher, resetBroker } from './test-broker';
import { createTestDatabase, TestDatabase } from './test-database';
import { testServices, waitFor } from './test-services';

export interface TestAppOptions {
  database: DatabaseConfig;
  /** RabbitMQ URL; omitted = in-process bus. */
  amqpUrl?: string;
  messaging?: Partial<Omit<MessagingConfig, 'amqpUrl'>>;
  /** Extra handler controllers (test probes) and the contracts they consume. */
  controllers?: Type[];
  contracts?: ContractDefinition[];
  /** Installed connectors; default: the product's list (INSTALLED_CONNECTORS), as it ships. */
  connectors?: ConnectorDefinition[];
  /** Start consuming (the worker role). Default true. */
  consume?: boolean;
  /**
   * Authentication; default `{ mode: 'local' }`: requests from the test (loopback, no credentials)
   * act as the local administrator. Access tests pass `{ mode: 'required' }`.
   */
  auth?: Partial<AccessConfig>;
}

export interface TestApp {
  app: INestApplication;
  db: Database;
  bus: MessageBus;
  close(): Promise<void>;
}

/**
 * Boots the same modules as apps/api and apps/worker, with explicit configuration instead of the
 * environment (Vendure's createTestEnvironment). Real list: database, broker, handlers, outbox relay.
 */
export async function bootTestApp(options: TestAppOptions): Promise<TestApp> {
  const base = messagingConfigFromEnv({});
  const retry = options.messaging?.retry ?? { delaysMs: [100, 200] };
  const batch = options.messaging?.batch ?? base.batch;
  const prefetch = options.messaging?.prefetch ?? batch.batchSize * 2;
  const config: MessagingConfig = {
    ...base,
    ...options.messaging,
    amqpUrl: options.amqpUrl,
    batch,
    prefetch,
    retry,
    consumers: base.consumers.map((c) => ({ ...c, prefetch, retry })),
    contracts: options.contracts?.length
      ? new ContractRegistry([...CONTRACTS.definitions, ...options.contracts])
      : undefined,
  };

  @Module({ controllers: options.controllers ?? [] })
  class TestExtrasModule {}

  const moduleRef = await Test.createTestingModule({
    imports: [
      // The product's own composition (the same modules as the api and the worker), configured explicitly.
      ...processModules({
        httpLogging: false,
        migrateOnBoot: true,
        database: options.database,
        messaging: config,
        connectors: options.connectors,
        auth: options.auth ?? { mode: 'local' },
      }),
      TestExtrasModule,
    ],
  }).compile();
  const app = moduleRef.createNestApplication({
    rawBody: true,
    logger: process.env.TEST_LOGS ? ['log', 'warn', 'error'] : ['error'],
  });
  configureHttpApp(app);
  await app.init();
  if (options.consume !== false) await startBusConsumers(app);
  return {
    app,
    db: app.get(Database),
    bus: app.get<MessageBus>(MESSAGE_BUS),
    close: () => app.close(),
  };
}

/** A fresh PostgreSQL test database and the app on it; `close()` also drops the database. */
export interface AppOnDatabase extends TestApp {
  database: TestDatabase;
}

export async function bootAppOnNewDatabase(
  label: string,
  options: Omit<TestAppOptions, 'database'> = {},
): Promise<AppOnDatabase> {
  const database = await createTestDatabase(testServices().databaseUrl, label);
  const app = await bootTestApp({ ...options, database: database.config });
  return {
    ...app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** Publishes inbound events on the app's bus and waits until the core consumer has processed them all. */
export async function publishAndSettle(app: AppOnDatabase, events: Envelope[]): Promise<void> {
  for (const e of events) await app.bus.publish(INBOUND_EXCHANGE, e);
  const ids = events.map((e) => e.id);
  await waitFor(
    async () =>
      Number(
        (
          await app.database.db.sql<{ n: string }>(
            `SELECT count(*) AS n FROM inbox WHERE consumer = 'core' AND message_id = ANY($1::uuid[])`,
            [ids],
          )
        )[0].n,
      ) === ids.length,
    { timeoutMs: 60_000, what: `${ids.length} events processed` },
  );
}

/** An app on real RabbitMQ and a fresh database, a raw publisher, and the dead-letter queue's depth. */
export interface BrokerSuite extends AppOnDatabase {
  publisher: RawPublisher;
  dlqDepth(): Promise<number>;
}

/** For suites that publish raw bytes to the broker: the broker reset, a fresh database, the app on both. */
export async function bootBrokerSuite(label: string): Promise<BrokerSuite> {
  const services = testServices();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  const app = await bootAppOnNewDatabase(label, { amqpUrl: services.amqpUrl });
  const publisher = await RawPublisher.open(services.amqpUrl);
  return {
    ...app,
    publisher,
    async dlqDepth() {
      const conn = await amqp.connect(services.amqpUrl);
      try {
        return (await (await conn.createChannel()).checkQueue(DEAD_LETTER_QUEUE)).messageCount;
      } finally {
        await conn.close();
      }
    },
    async close() {
      await publisher.close();
      await app.close();
    },
  };
}

/** An app with authentication required and a logged-in administrator (the access tests). */
export interface AppWithAdmin extends AppOnDatabase {
  /** The administrator's session token (`Authorization: Bearer`). */
  adminToken: string;
  /** The password every user the helper makes has. */
  password: string;
}

export const TEST_PASSWORD = 'correct horse battery staple';

/**
 * Boots the product on a fresh database with `TRADELANE_AUTH=required` and logs in its first
 * administrator (admin@localhost) through POST /auth/login, as a person would.
 */
export async function bootAppWithAdmin(
  label: string,
  options: Omit<TestAppOptions, 'database' | 'auth'> & { auth?: Partial<AccessConfig> } = {},
): Promise<AppWithAdmin> {
  const app = await bootAppOnNewDatabase(label, { ...options, auth: { mode: 'required', ...options.auth } });
  await app.app
    .get(AccessService)
    .createUser('default', { email: 'admin@localhost', password: TEST_PASSWORD, roles: ['admin'] });
  const res = await request(app.app.getHttpServer())
    .post('/auth/login')
    .send({ email: 'admin@localhost', password: TEST_PASSWORD });
  if (res.status !== 200) throw new Error(`the administrator could not log in: ${res.status} ${res.text}`);
  return { ...app, adminToken: res.body.token as string, password: TEST_PASSWORD };
}
