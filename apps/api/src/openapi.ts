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

/** Swagger UI at /docs, the document at /docs-json. */
export function mountOpenApi(app: INestApplication): void {
  SwaggerModule.setup('docs', app, buildOpenApi(app), { jsonDocumentUrl: 'docs-json' });
}
