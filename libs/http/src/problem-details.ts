import { STATUS_CODES } from 'node:http';

/** The part of express's request and response the middleware uses (the lib does not import express). */
interface Req {
  originalUrl: string;
}
interface Res {
  statusCode: number;
  json(body: unknown): unknown;
  type(t: string): unknown;
}

/** One field of a refused body: where (RFC 6901 JSON pointer) and why. */
export interface ProblemField {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details body (`application/problem+json`). */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  /** The fields of a refused body, when the refusal names them. */
  errors?: ProblemField[];
}

const PROBLEM_TYPES: Record<number, string> = {
  400: 'invalid-request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  412: 'precondition-failed',
  413: 'too-large',
  415: 'unsupported-media-type',
  422: 'unprocessable',
  429: 'rate-limited',
  503: 'unavailable',
};

/** The URI of a problem type (documented in the partner API's OpenAPI description). */
export const problemType = (status: number): string =>
  PROBLEM_TYPES[status] ? `https://tradelane.dev/problems/${PROBLEM_TYPES[status]}` : 'about:blank';

/** Nest's error body (`{statusCode, error, message}`, message a string or the validation list) as a problem. */
export function toProblem(status: number, body: Record<string, unknown>, instance: string): Problem {
  const message = body.message;
  const detail = Array.isArray(message) ? message.join('; ') : String(message ?? STATUS_CODES[status] ?? '');
  const problem: Problem = {
    type: problemType(status),
    title: STATUS_CODES[status] ?? 'Error',
    status,
    detail,
    instance,
  };
  if (Array.isArray(body.errors)) problem.errors = body.errors as ProblemField[];
  return problem;
}

/**
 * Error answers under `prefix` as RFC 9457 problem details: whatever refused the request (the
 * validation pipe, the access guard, the rate limit, a service's AppError), the partner gets one
 * shape, `application/problem+json`, with `errors[].pointer` naming the fields of a refused body.
 * Applied where the answer is written (res.json), so no filter has to know about it.
 */
export function problemDetailsUnder(prefix: string) {
  return (req: Req, res: Res, next: () => void): void => {
    if (!req.originalUrl.startsWith(prefix)) return next();
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 400 && body && typeof body === 'object' && !('type' in body)) {
        res.type('application/problem+json');
        return json(
          toProblem(res.statusCode, body as Record<string, unknown>, req.originalUrl.split('?')[0]),
        );
      }
      return json(body);
    };
    next();
  };
}
