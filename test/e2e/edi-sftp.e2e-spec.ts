/**
 * SFTP pickup and delivery against a real OpenSSH server (started by the test command on
 * 127.0.0.1: scripts/ensure-sftp.sh, a test user, a pinned host key): 60 carrier 214s put on the
 * partner's server (in batches, while the worker runs) are each ingested exactly once although the
 * compiled worker is SIGKILLed six times while it downloads and takes them; every one gets its 997 in the remote outbound folder; an
 * instance pinned to another host key is refused with both fingerprints named.
 * Real: PostgreSQL, RabbitMQ, OpenSSH sshd, the compiled worker and CLI. Mocked: nothing.
 */
import { SecretBox } from '@tradelane/connector-host';
import {
  AppProcess,
  createTestDatabase,
  ensureBuilt,
  freePort,
  resetBroker,
  runCli,
  sleep,
  startApp,
  TestDatabase,
  testServices,
  untilHealthy,
  waitFor,
} from '@tradelane/testing';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import SftpClient from 'ssh2-sftp-client';

jest.setTimeout(300_000);

const services = testServices();
const FILES = 60;
const KILLS = 6;
const sftp = {
  host: process.env.SFTP_TEST_HOST ?? '',
  port: Number(process.env.SFTP_TEST_PORT ?? 22),
  username: process.env.SFTP_TEST_USER ?? '',
  hostKey: process.env.SFTP_TEST_HOST_KEY ?? '',
  key: process.env.SFTP_TEST_KEY ? fs.readFileSync(process.env.SFTP_TEST_KEY, 'utf8') : '',
  home: process.env.SFTP_TEST_HOME ?? '',
};
const run = `${Date.now()}`;
const inbound = `${sftp.home}/in-${run}`;
const outbound = `${sftp.home}/out-${run}`;
let database: TestDatabase;
let partner: SftpClient;
let out: string;

beforeAll(async () => {
  if (!sftp.host)
    throw new Error(
      'no SFTP test server: run the tests through npm test (scripts/ensure-sftp.sh) or set SFTP_TEST_*',
    );
  ensureBuilt();
  await resetBroker(services.amqpUrl, services.rabbitmqctl);
  database = await createTestDatabase(services.databaseUrl, 'edi_sftp');
  out = fs.mkdtempSync(path.join(os.tmpdir(), 'x12-sftp-out-'));
  // The partner's side: it puts its files on its own server.
  partner = new SftpClient('partner');
  await partner.connect({ host: sftp.host, port: sftp.port, username: sftp.username, privateKey: sftp.key });
  await partner.mkdir(inbound);
  await partner.mkdir(outbound);
});

afterAll(async () => {
  await partner?.rmdir(inbound, true).catch(() => undefined);
  await partner?.rmdir(outbound, true).catch(() => undefined);
  await partner?.end().catch(() => undefined);
  await database?.drop();
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

const status214 = (n: number) => {
  const control = String(90000 + n).padStart(9, '0');
  return [
    `ISA*00*          *00*          *02*SCAC           *ZZ*TRADELANE      *261201*0900*U*00401*${control}*0*P*>`,
    `GS*QM*SCAC*TRADELANE*20261201*0900*${90000 + n}*X*004010`,
    'ST*214*0001',
    `B10*PRO-${n}*SFTP-${n}*SCAC`,
    'LX*1',
    'AT7*X6*NS***20261201*0800*UT',
    'SE*5*0001',
    `GE*1*${90000 + n}`,
    `IEA*1*${control}`,
  ].join('~\n');
};

it(`takes ${FILES} files from the partner's SFTP server exactly once across ${KILLS} worker SIGKILLs, 997s back there`, async () => {
  const env = {
    DATABASE_URL: database.url,
    TRADELANE_SECRET_KEYS: SecretBox.generateKeySpec('k1'),
    TRADELANE_FILE_ROOTS: os.tmpdir(),
    TRADELANE_OUTBOUND_ALLOW: 'loopback', // the partner's server runs on this machine
  };
  expect((await runCli(env, 'migrate')).code).toBe(0);
  const config = (hostKey: string) =>
    JSON.stringify({
      outboundFolder: out,
      interchangeId: 'TRADELANE',
      orderSource: 'erp-test:main',
      partners: [{ name: 'MGC carrier', qualifier: '02', id: 'SCAC', customerExternalId: 'CATALYST' }],
      sftp: {
        host: sftp.host,
        port: sftp.port,
        username: sftp.username,
        hostKey,
        remoteInbound: inbound,
        remoteOutbound: outbound,
      },
      sftpPrivateKey: sftp.key,
    });
  const add = await runCli(
    env,
    'connectors',
    'add',
    'transport-x12',
    '--name',
    'sftp',
    '--config',
    config(sftp.hostKey),
  );
  expect(add).toMatchObject({ code: 0 });
  // Pinned to a key the server does not have.
  const wrongKey = `SHA256:${Buffer.alloc(32, 7).toString('base64').replace(/=+$/, '')}`;
  expect(
    (
      await runCli(
        env,
        'connectors',
        'add',
        'transport-x12',
        '--name',
        'wrongkey',
        '--config',
        config(wrongKey).replace(inbound, `${inbound}-none`),
      )
    ).code,
  ).toBe(0);

  for (let n = 1; n <= FILES; n++)
    await partner.put(Buffer.from(status214(n)), `${inbound}/${String(n).padStart(3, '0')}.edi`);

  const workerEnv = {
    ...env,
    AMQP_URL: services.amqpUrl,
    WORKER_PORT: String(await freePort()),
    CONNECTOR_TICK_MS: '100',
    OUTBOX_POLL_MS: '50',
    CONNECTOR_FILE_POLL_SECONDS: '1',
  };
  const start = async () => {
    const w = startApp('worker', workerEnv);
    await untilHealthy(w, `http://127.0.0.1:${workerEnv.WORKER_PORT}`);
    return w;
  };
  const remaining = async () => (await partner.list(inbound)).filter((e) => e.type === '-').length;
  let worker: AppProcess = await start();
  const leftAtKill: number[] = [];
  try {
    // The partner keeps putting files while the worker takes them; each batch, a kill at a random moment.
    const batch = FILES / KILLS;
    for (let k = 0; k < KILLS; k++) {
      for (let n = k * batch + 1; n <= (k + 1) * batch; n++)
        await partner.put(Buffer.from(status214(n)), `${inbound}/${String(n).padStart(3, '0')}.edi`);
      await sleep(Math.floor(Math.random() * 1200));
      leftAtKill.push(await remaining());
      worker.child.kill('SIGKILL');
      await worker.exited;
      worker = await start();
    }
    await waitFor(
      async () =>
        Number(
          (
            await database.db.sql<{ n: string }>(
              `SELECT count(*) AS n FROM crm_delivery WHERE source = 'transport-x12:sftp' AND external_id LIKE 'SFTP-%'`,
            )
          )[0].n,
        ) === FILES && (await remaining()) === 0,
      { timeoutMs: 120_000, intervalMs: 500, what: `${FILES} deliveries and an empty remote inbound folder` },
    );
    await waitFor(
      async () => (await partner.list(outbound)).filter((e) => e.name.endsWith('.x12')).length === FILES,
      {
        timeoutMs: 60_000,
        what: `${FILES} 997s in the remote outbound folder`,
      },
    );
    await waitFor(
      async () => {
        const [row] = await database.db.sql<{ last_check_message: string | null }>(
          `SELECT last_check_message FROM connector_instance WHERE id = 'transport-x12:wrongkey'`,
        );
        return row?.last_check_message?.includes('presents host key') ? row.last_check_message : undefined;
      },
      { what: 'the wrong host key refused' },
    ).then((message) =>
      expect(message).toBe(
        `SFTP ${sftp.host}:${sftp.port} presents host key ${sftp.hostKey}, not the pinned ${wrongKey}: refused (check the new key with the partner before changing sftp.hostKey)`,
      ),
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\nworker output:\n${worker.output()}`);
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  // The kills really happened while files were being taken.
  expect(leftAtKill.some((n) => n > 0 && n < FILES)).toBe(true);
  // Exactly once: one status event per file, each file moved to processed/ on the server.
  const events = await database.db.sql<{ external_id: string; n: string }>(
    `SELECT delivery_external_id AS external_id, count(*) AS n FROM crm_delivery_event WHERE source = 'transport-x12:sftp' GROUP BY 1`,
  );
  expect(events).toHaveLength(FILES);
  expect(events.every((e) => Number(e.n) === 1)).toBe(true);
  // Every file put is in processed/ (one taken again after a kill may be there a second time, under its
  // name and the message id's prefix: it was the same message, the inbox took it once).
  const processed = (await partner.list(`${inbound}/processed`)).filter((e) => e.type === '-');
  expect(new Set(processed.map((e) => e.name.replace(/\.[0-9a-f]{8}-[0-9a-f]{4}$/, ''))).size).toBe(FILES);
  // No .part file left behind: each 997 arrived whole under its own name.
  expect((await partner.list(outbound)).filter((e) => e.name.endsWith('.part'))).toEqual([]);
});
