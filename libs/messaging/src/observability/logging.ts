import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';

/** Header a caller may send to tie a request to a conversation; echoed back on the response. */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Structured JSON logs (pino). Every HTTP request gets a correlation id (the caller's, or a new
 * one); message processing logs carry messageId and correlationId. Credentials never reach the
 * log: request headers are an allow-list (authorization, cookies, proxy credentials, partner tokens
 * and signatures are simply not written).
 */
const LOGGED_HEADERS = [
  'host',
  'user-agent',
  'content-type',
  'content-length',
  'accept',
  CORRELATION_HEADER,
  'x-request-id',
  'webhook-id',
  'webhook-timestamp',
];
export function loggingModule(): DynamicModule {
  return LoggerModule.forRoot({
    pinoHttp: {
      level: process.env.LOG_LEVEL ?? 'info',
      genReqId: (req, res) => {
        const given = req.headers[CORRELATION_HEADER];
        const id = typeof given === 'string' && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
        res.setHeader(CORRELATION_HEADER, id);
        return id;
      },
      customProps: (req) => ({ correlationId: req.id }),
      serializers: {
        req: (req: {
          id: unknown;
          method: string;
          url: string;
          headers?: Record<string, unknown>;
          remoteAddress?: string;
        }) => ({
          id: req.id,
          method: req.method,
          url: req.url,
          headers: Object.fromEntries(
            LOGGED_HEADERS.filter((h) => req.headers?.[h] !== undefined).map((h) => [h, req.headers?.[h]]),
          ),
          remoteAddress: req.remoteAddress,
        }),
      },
      autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/health' },
    },
  });
}
