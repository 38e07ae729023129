/** NUL, and UTF-16 surrogates without their other half: what PostgreSQL's text and jsonb refuse. */
export const UNSTORABLE_TEXT =
  // eslint-disable-next-line no-control-regex -- NUL is exactly what must be found
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
