import { ArgumentsHost, Catch, HttpException, Logger } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { isConnectionError, sqlState } from '@tradelane/persistence';

interface HttpResponse {
  status(code: number): { json(body: unknown): void };
  setHeader(name: string, value: string): void;
}

/**
 * What is left after the controllers' own filters: failures a caller can cause or wait out get a
 * status that says so instead of a bare 500. The database unreachable: 503 with Retry-After; a value
 * PostgreSQL refuses (SQLSTATE class 22: a NUL in a string, a number too large): 400; a body nested
 * so deeply that handling it overflows the stack: 400. Anything else stays a 500 (and is logged).
 */
@Catch()
export class ApiExceptionFilter extends BaseExceptionFilter {
  private readonly log = new Logger('Api');

  override catch(err: unknown, host: ArgumentsHost): void {
    if (err instanceof HttpException || host.getType() !== 'http') return super.catch(err, host);
    const res = host.switchToHttp().getResponse<HttpResponse>();
    const code = sqlState(err);
    if (isConnectionError(err) || isConnectionError((err as { driverError?: unknown })?.driverError)) {
      res.setHeader('Retry-After', '5');
      res.status(503).json({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'the database is not reachable at the moment; nothing was changed, send it again shortly',
      });
      return;
    }
    if (code.startsWith('22')) {
      res.status(400).json({
        statusCode: 400,
        error: 'Bad Request',
        message: `a value was refused by the database (SQLSTATE ${code}): ${(err as Error).message}`,
      });
      return;
    }
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      res
        .status(400)
        .json({ statusCode: 400, error: 'Bad Request', message: 'the body is nested too deeply' });
      return;
    }
    this.log.error(`unhandled: ${(err as Error)?.stack ?? String(err)}`);
    super.catch(err, host);
  }
}
