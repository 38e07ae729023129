/** A domain rule refused the request: the HTTP layer maps `kind` to 404 / 409 / 400. */
export class AppError extends Error {
  constructor(
    readonly kind: 'not-found' | 'conflict' | 'invalid' | 'unauthorized' | 'forbidden' | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
