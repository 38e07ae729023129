/** Why the broker cannot be used, in words an operator can act on; never a host, port or credential. */
export interface BrokerProblem {
  /** auth-refused | vhost-refused | connection-refused | host-not-found | timeout | tls | closed | other */
  code: string;
  message: string;
}

/**
 * Classifies an amqplib / socket error. RabbitMQ refuses a bad login with ACCESS_REFUSED ("PLAIN
 * login refused") and a missing vhost or one the user may not use with NOT_ALLOWED / access to vhost
 * refused; the socket says ECONNREFUSED, ENOTFOUND, ETIMEDOUT; TLS errors carry ERR_TLS_ / CERT_ codes.
 */
export function describeBrokerError(err: unknown): BrokerProblem {
  const e = (err ?? {}) as { code?: string | number; message?: string };
  const text = e.message ?? String(err);
  const code = String(e.code ?? '');
  if (/ACCESS_REFUSED|login refused|authentication failure/i.test(text) || code === '403')
    return {
      code: 'auth-refused',
      message:
        'the broker refused the login (ACCESS_REFUSED): wrong user or password in AMQP_URL, or the user does not exist (scripts/setup-services.sh creates it)',
    };
  if (/NOT_ALLOWED|vhost/i.test(text) || code === '530')
    return {
      code: 'vhost-refused',
      message:
        'the broker refused the virtual host (NOT_ALLOWED): it does not exist or the user has no permission on it (scripts/setup-services.sh creates both)',
    };
  if (code === 'ECONNREFUSED' || /ECONNREFUSED/.test(text))
    return {
      code: 'connection-refused',
      message: 'connection refused: no broker listens at the address in AMQP_URL',
    };
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /ENOTFOUND|EAI_AGAIN/.test(text))
    return { code: 'host-not-found', message: 'the broker host name in AMQP_URL does not resolve' };
  if (code === 'ETIMEDOUT' || /timed? ?out/i.test(text))
    return { code: 'timeout', message: 'the broker did not answer in time (network or firewall)' };
  if (
    /^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_VERIFY)/.test(code) ||
    /SSL|TLS|certificate/i.test(text)
  )
    return {
      code: 'tls',
      message: `TLS handshake with the broker failed (${code || 'TLS error'}): check amqps:// and the certificates`,
    };
  if (
    /Connection closed|CONNECTION_FORCED|ECONNRESET|EPIPE/i.test(text) ||
    code === 'ECONNRESET' ||
    code === '320'
  )
    return { code: 'closed', message: 'the broker closed the connection (restarting or shutting down)' };
  return { code: 'other', message: text.replace(/amqps?:\/\/[^\s]*/g, '<AMQP_URL>').slice(0, 200) };
}
