import { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';

/** Header a caller may send to tie a request to a conversation; echoed back on the response. */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Structured JSON logs (pino). Every HTTP request gets a correlation id (the caller's, or a new
 * one); message processing logs carry messageId and correlationId. Credentials never reach the
 * log: authorization headers and cookies are redacted.
 */
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
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      autoLogging: { ignore: (req) => req.url === '/metrics' || req.url === '/health' },
    },
  });
}
