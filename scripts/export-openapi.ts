/**
 * Writes the API's OpenAPI document to apps/api/openapi.json (what /docs-json serves), booting the
 * API module on an in-memory embedded database.
 *   --check   fail when the committed document differs from what the code generates (CI drift check)
 * Also reports the schema properties that have no description (the document should explain every field).
 */
process.env.TRADELANE_DATA_DIR = 'memory://';
process.env.TRADELANE_SAMPLE = 'off';
delete process.env.DATABASE_URL;
delete process.env.AMQP_URL;

import { NestFactory } from '@nestjs/core';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import { ApiModule } from '../apps/api/src/app.module';
import { buildOpenApi, buildPartnerOpenApi } from '../apps/api/src/openapi';

const file = path.resolve(__dirname, '../apps/api/openapi.json');
const partnerFile = path.resolve(__dirname, '../apps/api/openapi.partner.json');

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
  $ref?: string;
}

function undocumented(doc: { components?: { schemas?: Record<string, Schema> } }): string[] {
  const out: string[] = [];
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
    for (const [prop, s] of Object.entries(schema.properties ?? {}))
      if (!s.description && !s.allOf?.some((x) => x.description)) out.push(`${name}.${prop}`);
  return out;
}

async function main(): Promise<void> {
  const app = await NestFactory.create(ApiModule, { logger: ['error'] });
  await app.init();
  const doc = buildOpenApi(app);
  const partnerText = `${JSON.stringify(buildPartnerOpenApi(app, structuredClone(doc)), null, 2)}\n`;
  await app.close();
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  const missing = undocumented(doc as never);
  const fields = Object.values((doc.components?.schemas ?? {}) as Record<string, Schema>).reduce(
    (n, s) => n + Object.keys(s.properties ?? {}).length,
    0,
  );
  if (process.argv.includes('--check')) {
    const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    if (committed !== text) {
      console.error('apps/api/openapi.json drifts from the code: run npm run openapi:export and commit it.');
      process.exit(1);
    }
    if ((fs.existsSync(partnerFile) ? fs.readFileSync(partnerFile, 'utf8') : '') !== partnerText) {
      console.error(
        'apps/api/openapi.partner.json drifts from the code: run npm run openapi:export and commit it.',
      );
      process.exit(1);
    }
    if (missing.length) {
      console.error(
        `${missing.length} API field(s) have no description: ${missing.join(', ')}. Describe them in the DTO or in apps/api/src/openapi.glossary.ts.`,
      );
      process.exit(1);
    }
    console.log(
      `openapi: ${Object.keys(doc.paths).length} paths match the code; ${missing.length} of ${fields} fields without description`,
    );
  } else {
    fs.writeFileSync(file, text);
    fs.writeFileSync(partnerFile, partnerText);
    console.log(
      `openapi: wrote ${path.relative(process.cwd(), file)} (${Object.keys(doc.paths).length} paths)`,
    );
    console.log(
      `${missing.length} of ${fields} fields have no description${missing.length ? `: ${missing.slice(0, 20).join(', ')}...` : ''}`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
