import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { FIELD_GLOSSARY } from './openapi.glossary';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tradelane API')
    .setDescription(
      'Unified customer view for logistics providers, and operations of the message pipeline. ' +
        'Every route but /health, /metrics and POST /auth/login needs a bearer token: a session from ' +
        'POST /auth/login or an API key (POST /api-keys), as `Authorization: Bearer <token>` or `X-API-Key`. ' +
        'Each operation names the permission it needs (401 without a token, 403 without the permission).',
    )
    .setVersion(version)
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'A session token or an API key' })
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'An API key' }, 'api-key')
    .build();
  return describeFields(SwaggerModule.createDocument(app, config));
}

interface Schema {
  description?: string;
  properties?: Record<string, Schema>;
  allOf?: Schema[];
  $ref?: string;
}

/** Fills in, from the glossary, the descriptions a DTO does not give itself. */
function describeFields(doc: OpenAPIObject): OpenAPIObject {
  for (const [name, schema] of Object.entries((doc.components?.schemas ?? {}) as Record<string, Schema>))
    for (const [prop, s] of Object.entries(schema.properties ?? {})) {
      if (s.description || s.allOf?.some((x) => x.description)) continue;
      const text = FIELD_GLOSSARY[`${name}.${prop}`] ?? FIELD_GLOSSARY[prop];
      if (!text) continue;
      // A $ref cannot carry siblings in OpenAPI 3.0: wrap it.
      if (s.$ref) schema.properties![prop] = { allOf: [{ $ref: s.$ref }], description: text };
      else s.description = text;
    }
  return doc;
}

const PARTNER_PREFIX = '/partner/v1';

/**
 * The partner API's own document: the /partner/v1 operations of the whole document and the
 * schemas they reach, with what a partner's developer needs to know up front.
 */
export function buildPartnerOpenApi(app: INestApplication, whole = buildOpenApi(app)): OpenAPIObject {
  const paths = Object.fromEntries(Object.entries(whole.paths).filter(([p]) => p.startsWith(PARTNER_PREFIX)));
  const schemas = whole.components?.schemas ?? {};
  const reached = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const name = v.replace('#/components/schemas/', '');
        if (!reached.has(name)) {
          reached.add(name);
          walk(schemas[name]);
        }
      } else walk(v);
    }
  };
  walk(paths);
  return {
    ...whole,
    info: {
      title: 'Tradelane partner API',
      version: whole.info.version,
      description: PARTNER_API_DESCRIPTION,
    },
    tags: (whole.tags ?? []).filter((t) => t.name.startsWith('partner')),
    paths,
    components: {
      ...whole.components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([n]) => reached.has(n))),
    },
  };
}

const PARTNER_API_DESCRIPTION = [
  'What a supply-chain partner (shipper, consignee, supplier, carrier) reads and shares: orders, shipments with',
  'the tracking timeline, invoices, stock, the service scorecard and cases of the customers it is, and nothing',
  "else (the database enforces it: another partner's record answers 404 as one that does not exist).",
  '',
  '**Credentials**: an OAuth client (`POST /oauth/token`, client credentials) or an API key of the partner',
  'organisation, as `Authorization: Bearer <token>`. Each operation names the scope it needs (403 without).',
  '',
  '**Lists** page in commit order: pass `nextCursor` as `cursor` until it is null. A record committed while you',
  'page appears after the cursor, never before it: no record is skipped or shown twice. Filters: `status`,',
  '`updatedSince`, `from`/`to` (the business date), and per resource (sku, warehouse, overdue...). `fields`',
  'selects fields (a field outside your scopes is a 403).',
  '',
  '**Caching**: answers carry an `ETag`; send it back as `If-None-Match` to get `304 Not Modified`.',
  '',
  '**Errors** are RFC 9457 problem details (`application/problem+json`: type, title, status, detail, instance;',
  '`errors[].pointer` names each refused field of a body as a JSON pointer).',
  '',
  '**Rate limits** per client: `RateLimit-Policy` and `RateLimit` (and `X-RateLimit-*`) on every answer, 429 with',
  '`Retry-After` beyond.',
].join('\n');

/** Swagger UI at /docs (the document at /docs-json) and the partner API's at /partner/docs. */
export function mountOpenApi(app: INestApplication): void {
  const whole = buildOpenApi(app);
  SwaggerModule.setup('docs', app, whole, { jsonDocumentUrl: 'docs-json' });
  SwaggerModule.setup('partner/docs', app, buildPartnerOpenApi(app, whole), {
    jsonDocumentUrl: 'partner/docs-json',
  });
}
