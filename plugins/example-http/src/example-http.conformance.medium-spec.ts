/**
 * The conformance kit against the reference plugin (must pass) and against a deliberately broken
 * copy that acknowledges records at the source while pulling, before Tradelane persisted them
 * (must fail exactly that check).
 * Real: an HTTP source on 127.0.0.1 (ExampleSource). Mocked: nothing.
 */
import { ConnectorDefinition, defineConnector } from '@tradelane/connector-sdk';
import { ConformanceHarness, conformanceChecks, describeConformance } from '@tradelane/connector-sdk/testing';
import * as path from 'node:path';
import { ExampleHttpConfig } from './example-http.config';
import { exampleHttpConnector } from './example-http.connector';
import { ExampleSource } from './testing/example-source';

const TOKEN = 'conformance-token-81';
const source = new ExampleSource(TOKEN);
let baseUrl = '';
source.seed(30);

beforeAll(async () => {
  baseUrl = await source.start();
});
afterAll(() => source.stop());

const harness: ConformanceHarness = {
  config: () => ({ baseUrl, apiToken: TOKEN, pageSize: 10 }),
  badCredentials: () => ({ baseUrl, apiToken: 'wrong-token-0000', pageSize: 10 }),
  stream: 'customers',
  readmePath: path.resolve(__dirname, '../README.md'),
  async injectMalformed() {
    const first = source.records('customers')[0];
    source.upsert('customers', { ...first, updatedAt: 'not a date' });
    return async () => source.upsert('customers', first);
  },
};

describeConformance(exampleHttpConnector, harness);

/** A copy that "acks" at the source: it deletes what it pulled, before the page is persisted. */
const acksEarly: ConnectorDefinition = defineConnector<ExampleHttpConfig>({
  ...exampleHttpConnector,
  id: 'example-acks-early',
  secrets: ['apiToken'],
  create(config, context) {
    const inner = exampleHttpConnector.create(config, context);
    return {
      ...inner,
      async pull(stream, cursor) {
        const page = await (inner.pull as NonNullable<typeof inner.pull>)(stream, cursor);
        for (const r of page.records) source.remove(stream, r.key);
        return page;
      },
    };
  },
});

it('fails a connector that acknowledges at the source before persistence', async () => {
  const seeded = source.records('customers');
  const results: Record<string, string> = {};
  for (const check of conformanceChecks(acksEarly, harness)) {
    results[check.name] = await check.run().then(
      () => 'passed',
      (e: Error) => e.message,
    );
    for (const r of seeded) source.upsert('customers', r); // put back what the broken copy removed
  }
  expect(results['nothing is acknowledged at the source before Tradelane persisted the page']).toMatch(
    /records of an uncommitted page were gone or changed when read again/,
  );
  expect(results['check() answers ok with good credentials and auth with bad ones']).toBe('passed');
});
