import { INestApplication } from '@nestjs/common';
import helmet from 'helmet';
import { ApiExceptionFilter } from './api-exception.filter';
import { apiValidationPipe } from './api-validation.pipe';
import { problemDetailsUnder } from './problem-details';

/**
 * Partners push more than JSON (flat-file IDocs, EDI, XML): keep the exact bytes of those bodies
 * too (`rawBody`), up to 10 MB. Call on the HTTP app after creating it with `rawBody: true`.
 */
export function acceptPartnerBodies(app: object): void {
  const http = app as { useBodyParser?: (type: string, options: object) => unknown };
  // JSON pushes up to 10 MB as well (the default parser stops at 100 kB).
  http.useBodyParser?.('json', { limit: '10mb' });
  http.useBodyParser?.('text', {
    type: [
      'text/*',
      'application/xml',
      'application/edi-x12',
      'application/edifact',
      'application/x-ndjson',
      'application/jsonl',
    ],
    limit: '10mb',
  });
  http.useBodyParser?.('raw', { type: 'application/octet-stream', limit: '10mb' });
}

/**
 * Everything an HTTP app of Tradelane needs besides its modules (security headers, body parsers,
 * validation, error bodies; no CORS: a browser page of another origin cannot call the API), in one place: the API process and
 * the tests' apps (libs/testing) call the same function, so tests boot the app production runs.
 */
export function configureHttpApp(app: INestApplication): void {
  // Security headers (helmet): no sniffing, no framing, HSTS, a CSP that still lets /docs run.
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'", "'unsafe-inline'"],
          'img-src': ["'self'", 'data:'],
        },
      },
    }),
  );
  acceptPartnerBodies(app);
  // The partner API answers errors as RFC 9457 problem details (the staff API keeps Nest's shape).
  app.use(problemDetailsUnder('/partner/'));
  app.useGlobalPipes(apiValidationPipe());
  app.useGlobalFilters(new ApiExceptionFilter(app.getHttpAdapter()));
}
