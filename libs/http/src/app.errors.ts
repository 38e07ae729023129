/** A domain rule refused the request: the HTTP layer maps `kind` to 404 / 409 / 400 / 413 / 415... */
export class AppError extends Error {
  constructor(
    readonly kind:
      | 'not-found'
      | 'conflict'
      | 'invalid'
      | 'unauthorized'
      | 'forbidden'
      | 'too-large'
      | 'unsupported'
      | 'unavailable',
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}
