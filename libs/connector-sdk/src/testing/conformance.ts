import { contractProblem, createEnvelope, MessageType } from '@tradelane/contracts';
import * as fs from 'node:fs';
import { configFields, configJsonSchema, parseConnectorConfig } from '../connector-config';
import { ConnectorError } from '../connector.error';
import {
  CanonicalRecord,
  ConnectorContext,
  ConnectorDefinition,
  ConnectorRuntime,
} from '../define-connector';

/**
 * What a plugin's test gives the kit: a running source (a real local server, or nock over captured
 * payloads), configurations with good and bad credentials, a pull stream with at least two pages,
 * and a way to make the source return one malformed record.
 */
export interface ConformanceHarness {
  /** Configuration that works against the source (credentials included). */
  config(): Record<string, unknown>;
  /** The same with wrong credentials. */
  badCredentials(): Record<string, unknown>;
  /** A pull stream holding at least two pages of records. */
  stream: string;
  /** Makes the source's next page of `stream` contain one malformed record; returns an undo. */
  injectMalformed(): Promise<() => Promise<void>>;
  /** The plugin's README, which must document every configuration field. */
  readmePath: string;
}

export interface ConformanceCheck {
  name: string;
  run(): Promise<void>;
}

class Violation extends Error {}
const fail = (message: string): never => {
  throw new Violation(message);
};

/** Fails naming the first record that its contract refuses (as the host would dead-letter it). */
function checkContracts(def: ConnectorDefinition, records: CanonicalRecord[]): void {
  for (const r of records) {
    if (r.rejected) continue; // the connector's own refusal (a file row), kept by the host as it is
    const type = `${def.kind}.${r.type}.v1` as MessageType;
    const problem = contractProblem(
      createEnvelope({
        type,
        source: `${def.id}:conformance`,
        key: r.key,
        occurredAt: r.occurredAt,
        payload: r.payload as never,
      }),
    );
    if (problem) fail(`record ${r.type} ${r.key} fails its contract ${type}: ${problem.message}`);
  }
}

/** Runs a connector instance with a log that is captured (to prove no secret is in it). */
function instance(def: ConnectorDefinition, raw: Record<string, unknown>, logs: string[]): ConnectorRuntime {
  const context: ConnectorContext = {
    instance: `${def.id}:conformance`,
    tenant: 'default',
    log: (level, message, fields) => logs.push(`${level} ${message} ${fields ? JSON.stringify(fields) : ''}`),
  };
  return def.create(parseConnectorConfig(def, raw), context);
}

const same = (a: CanonicalRecord[], b: CanonicalRecord[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The checks every connector must pass (issue "connector SDK"): configuration schema valid and
 * documented; check() answers `auth` to bad credentials; pulls are idempotent under redelivery;
 * the cursor only moves forward and covers every record once; nothing is acknowledged at the source
 * before Tradelane persisted (re-reading an uncommitted cursor gives the same page); a malformed
 * record is a `permanent` error with a reason; no secret reaches a log line or an error.
 */
export function conformanceChecks(def: ConnectorDefinition, h: ConformanceHarness): ConformanceCheck[] {
  const logs: string[] = [];
  const errors: string[] = [];
  const secrets = () => def.secrets.map((s) => String(h.config()[s] ?? '')).filter((v) => v.length >= 4);
  const pull = async (rt: ConnectorRuntime, cursor: string | null) => {
    if (!rt.pull) return fail(`${def.id} declares pull streams but its runtime has no pull()`);
    return rt.pull(h.stream, cursor);
  };
  const checks: ConformanceCheck[] = [
    documentedConfig(def, h.config, h.readmePath),
    {
      name: 'check() answers ok with good credentials and auth with bad ones',
      async run() {
        const good = await instance(def, h.config(), logs).check();
        if (!good.ok) fail(`check() with good credentials answered ${good.code}: ${good.message}`);
        const bad = await instance(def, h.badCredentials(), logs).check();
        errors.push(bad.message);
        if (bad.ok || bad.code !== 'auth')
          fail(`check() with bad credentials answered ${bad.code}, expected auth`);
      },
    },
    {
      name: 'the cursor moves forward and covers every record once, each valid against its contract',
      async run() {
        const rt = instance(def, h.config(), logs);
        const seen = new Set<string>();
        let cursor: string | null = null;
        let pages = 0;
        for (;;) {
          const page = await pull(rt, cursor);
          pages++;
          checkContracts(def, page.records);
          for (const r of page.records) {
            const id = `${r.type} ${r.key} ${r.occurredAt}`;
            if (seen.has(id)) fail(`record ${id} came twice while walking the cursor`);
            seen.add(id);
          }
          if (page.records.length && page.cursor === cursor)
            fail(`the cursor did not move after a page of ${page.records.length}`);
          if (!page.records.length && page.cursor !== cursor) fail('an empty page moved the cursor');
          cursor = page.cursor;
          if (!page.hasMore) break;
          if (pages > 10_000) fail('more than 10,000 pages: the cursor does not converge');
        }
        if (pages < 2) fail('the harness stream must hold at least two pages');
        const after = await pull(rt, cursor);
        if (after.records.length) fail('pulling again from the last cursor returned records already seen');
      },
    },
    {
      name: 'a page pulled again (redelivery, crash before commit) is identical',
      async run() {
        const rt = instance(def, h.config(), logs);
        const first = await pull(rt, null);
        const again = await pull(rt, null);
        if (!same(first.records, again.records) || first.cursor !== again.cursor)
          fail('pulling the same cursor twice gave different records or cursors');
      },
    },
    {
      name: 'nothing is acknowledged at the source before Tradelane persisted the page',
      async run() {
        // The runtime commits a cursor only after the page is persisted; until then the source must
        // still serve the page. A connector that consumes, deletes or marks records read during
        // pull() loses them on a crash: here, a second instance from the uncommitted cursor.
        const first = await pull(instance(def, h.config(), logs), null);
        if (!first.records.length) fail('the harness stream is empty');
        const fresh = await pull(instance(def, h.config(), logs), null);
        if (!same(first.records, fresh.records))
          fail(
            'records of an uncommitted page were gone or changed when read again: the connector acknowledged them at the source',
          );
      },
    },
    {
      name: 'a malformed record is a permanent error that names it',
      async run() {
        const undo = await h.injectMalformed();
        try {
          const rt = instance(def, h.config(), logs);
          let cursor: string | null = null;
          for (let i = 0; i < 10_000; i++) {
            let page;
            try {
              page = await pull(rt, cursor);
            } catch (e) {
              errors.push(`${(e as Error).message}\n${(e as Error).stack}`);
              if (!(e instanceof ConnectorError))
                return fail(`threw ${(e as Error).name}, not a ConnectorError`);
              if (e.kind !== 'permanent')
                return fail(`a malformed record gave ${e.kind}, expected permanent`);
              if (!e.field && !/\[\d+\]|\.\w+/.test(e.message))
                return fail(`the error does not say which record or field: ${e.message}`);
              return;
            }
            if (!page.hasMore) break;
            cursor = page.cursor;
          }
          fail('no error for a malformed record');
        } finally {
          await undo();
        }
      },
    },
    {
      name: 'no secret appears in a log line or an error',
      async run() {
        const bad = instance(def, h.badCredentials(), logs);
        await pull(bad, null).catch((e: Error) =>
          errors.push(`${e.message}\n${e.stack}\n${JSON.stringify(e)}`),
        );
        const leaked = secrets().filter((s) => [...logs, ...errors].some((line) => line.includes(s)));
        if (leaked.length)
          fail(`a secret value appears in ${logs.length} log lines / ${errors.length} errors`);
        const badSecrets = def.secrets
          .map((s) => String(h.badCredentials()[s] ?? ''))
          .filter((v) => v.length >= 4);
        if (badSecrets.some((s) => errors.some((line) => line.includes(s))))
          fail('a (wrong) credential appears in an error');
      },
    },
  ];
  return checks;
}

/**
 * Registers the conformance checks as Jest tests in the calling suite:
 * `describeConformance(myConnector, harness)` inside a plugin's spec.
 */
export function describeConformance(def: ConnectorDefinition, harness: ConformanceHarness): void {
  const g = globalThis as unknown as {
    describe: (name: string, fn: () => void) => void;
    it: (name: string, fn: () => Promise<void>) => void;
  };
  g.describe(`connector conformance: ${def.id}`, () => {
    for (const c of conformanceChecks(def, harness)) g.it(c.name, () => c.run());
  });
}

/** Shared by both kits: the configuration class, its JSON Schema and the README agree. */
function documentedConfig(
  def: ConnectorDefinition,
  config: () => Record<string, unknown>,
  readmePath: string,
): ConformanceCheck {
  return {
    name: 'configuration schema is valid and documented',
    async run() {
      const schema = configJsonSchema(def) as { properties?: Record<string, unknown> };
      const fields = configFields(def.configSchema);
      if (!fields.length) fail('the configuration class has no validated field');
      for (const f of fields)
        if (!schema.properties?.[f]) fail(`config field ${f} is missing from the JSON Schema`);
      for (const s of def.secrets) if (!fields.includes(s)) fail(`secret ${s} is not a configuration field`);
      const readme = fs.readFileSync(readmePath, 'utf8');
      for (const f of fields)
        if (!readme.includes(`\`${f}\``)) fail(`config field ${f} is not documented in ${readmePath}`);
      parseConnectorConfig(def, config());
    },
  };
}

/**
 * What a push / file connector's test gives the kit (no pull streams): configurations that work and
 * that do not, an accept channel, a good payload (captured from a real partner) and a malformed one.
 */
export interface AcceptHarness {
  config(): Record<string, unknown>;
  /** A configuration check() must refuse (unreachable folder, wrong credentials...). */
  badConfig(): Record<string, unknown>;
  channel: string;
  payload(): Buffer;
  malformed(): Buffer;
  /** Headers the runtime passes with the payload (`x-received-at`, `x-file-name`...). */
  headers?: Record<string, string>;
  readmePath: string;
}

/**
 * The checks for connectors that take pushed or dropped payloads: configuration documented; check()
 * refuses a bad configuration with a code; the same payload twice (redelivery, a file read again)
 * gives identical records; a malformed payload is a `permanent` error saying where; a signed
 * channel refuses a wrong signature without throwing; no secret reaches a log line or an error.
 */
export function acceptConformanceChecks(def: ConnectorDefinition, h: AcceptHarness): ConformanceCheck[] {
  const logs: string[] = [];
  const errors: string[] = [];
  const spec = def.capabilities.accept?.find((c) => c.name === h.channel);
  const accept = (rt: ConnectorRuntime, body: Buffer) => {
    if (!spec) return fail(`${def.id} has no accept channel ${h.channel}`);
    if (!rt.accept) return fail(`${def.id} declares accept channels but its runtime has no accept()`);
    return rt.accept(h.channel, body, h.headers ?? {});
  };
  return [
    documentedConfig(def, h.config, h.readmePath),
    {
      name: 'check() answers ok with a good configuration and a coded failure with a bad one',
      async run() {
        const good = await instance(def, h.config(), logs).check();
        if (!good.ok) fail(`check() with a good configuration answered ${good.code}: ${good.message}`);
        const bad = await instance(def, h.badConfig(), logs).check();
        errors.push(bad.message);
        if (bad.ok || bad.code === 'ok') fail('check() accepted a bad configuration');
      },
    },
    {
      name: 'the same payload twice gives identical, complete records, each valid against its contract',
      async run() {
        const first = await accept(instance(def, h.config(), logs), h.payload());
        const again = await accept(instance(def, h.config(), logs), h.payload());
        if (!first.length) fail('the harness payload gave no record');
        if (!same(first, again)) fail('accepting the same payload twice gave different records');
        for (const r of first)
          if (!r.type || !r.key || Number.isNaN(Date.parse(r.occurredAt)))
            fail(`record ${JSON.stringify(r).slice(0, 120)} lacks type, key or a valid occurredAt`);
        checkContracts(def, first);
      },
    },
    {
      name: 'a malformed payload is a permanent error that says where',
      async run() {
        try {
          await accept(instance(def, h.config(), logs), h.malformed());
        } catch (e) {
          errors.push(`${(e as Error).message}\n${(e as Error).stack}`);
          if (!(e instanceof ConnectorError)) return fail(`threw ${(e as Error).name}, not a ConnectorError`);
          if (e.kind !== 'permanent') return fail(`a malformed payload gave ${e.kind}, expected permanent`);
          if (!e.field) return fail(`the error does not say where: ${e.message}`);
          return;
        }
        fail('no error for a malformed payload');
      },
    },
    {
      name: 'a signed channel refuses a wrong signature; no secret appears in a log line or an error',
      async run() {
        const rt = instance(def, h.config(), logs);
        if (spec?.signed) {
          if (!rt.verifySignature) fail(`${h.channel} is signed but the runtime cannot verify signatures`);
          else if (
            rt.verifySignature(h.channel, h.payload(), {
              'webhook-id': 'conformance-1',
              'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
              'webhook-signature': 'v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=',
            }).ok
          )
            fail('a wrong signature was accepted');
        }
        const secrets = def.secrets.map((s) => String(h.config()[s] ?? '')).filter((v) => v.length >= 4);
        if (secrets.some((s) => [...logs, ...errors].some((line) => line.includes(s))))
          fail(`a secret value appears in ${logs.length} log lines / ${errors.length} errors`);
      },
    },
  ];
}

/** Registers the accept-connector checks as Jest tests in the calling suite. */
export function describeAcceptConformance(def: ConnectorDefinition, harness: AcceptHarness): void {
  const g = globalThis as unknown as {
    describe: (name: string, fn: () => void) => void;
    it: (name: string, fn: () => Promise<void>) => void;
  };
  g.describe(`connector conformance (accept): ${def.id}`, () => {
    for (const c of acceptConformanceChecks(def, harness)) g.it(c.name, () => c.run());
  });
}
