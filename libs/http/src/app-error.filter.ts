import { ArgumentsHost, Catch, ExceptionFilter } from '@nestjs/common';
import { AppError } from './app.errors';

/** The part of the platform's response object the filter uses (core does not import express). */
interface HttpResponse {
  status(code: number): { json(body: unknown): void };
}

const STATUS = {
  'not-found': 404,
  conflict: 409,
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'too-large': 413,
  unsupported: 415,
  unavailable: 503,
} as const;
const ERROR = {
  'not-found': 'Not Found',
  conflict: 'Conflict',
  invalid: 'Bad Request',
  unauthorized: 'Unauthorized',
  forbidden: 'Forbidden',
  'too-large': 'Payload Too Large',
  unsupported: 'Unsupported Media Type',
  unavailable: 'Service Unavailable',
} as const;

/** Domain refusals as HTTP answers, in Nest's error shape. */
@Catch(AppError)
export class AppErrorFilter implements ExceptionFilter {
  catch(err: AppError, host: ArgumentsHost): void {
    const status = STATUS[err.kind];
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(status)
      .json({ statusCode: status, error: ERROR[err.kind], message: err.message });
  }
}
