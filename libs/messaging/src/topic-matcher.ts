/**
 * AMQP topic matching (`*` = exactly one word, `#` = zero or more words), used by the in-process bus
 * for bindings and by the dispatcher to find handlers (`*.customer.upserted.v1`).
 */
export function topicMatches(pattern: string, routingKey: string): boolean {
  return matchWords(pattern.split('.'), routingKey.split('.'), 0, 0);
}

function matchWords(p: string[], k: string[], i: number, j: number): boolean {
  if (i === p.length) return j === k.length;
  if (p[i] === '#') {
    for (let s = j; s <= k.length; s++) if (matchWords(p, k, i + 1, s)) return true;
    return false;
  }
  if (j === k.length) return false;
  return (p[i] === '*' || p[i] === k[j]) && matchWords(p, k, i + 1, j + 1);
}
