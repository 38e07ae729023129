import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { version } from '../../../package.json';
import { FIELD_GLOSSARY } from './openapi.glossary';

export function buildOpenApi(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Tradelane API')
    .setDescription('Unified customer view for logistics providers, and operations of the message pipeline.')
    .setVersion(version)
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
