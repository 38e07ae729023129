import * as dns from 'node:dns';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';

/**
 * Where connectors may call out to. A connector's base URL comes from whoever configures it, so
 * without a guard it could reach the metadata service, the database host or scan the private
 * network. Every address a call connects to (after DNS, so a name that resolves inward or a
 * redirect target cannot slip through) is checked against the ranges below; a range is reachable
 * only when allowed (TRADELANE_OUTBOUND_ALLOW: loopback, private, link-local, unique-local, cgnat,
 * metadata, or * for all).
 */
export const ADDRESS_RANGES = [
  'loopback',
  'private',
  'link-local',
  'unique-local',
  'cgnat',
  'metadata',
  'unspecified',
] as const;
export type AddressRange = (typeof ADDRESS_RANGES)[number];

const V4: [AddressRange, string, number][] = [
  ['metadata', '169.254.169.254', 32],
  ['loopback', '127.0.0.0', 8],
  ['private', '10.0.0.0', 8],
  ['private', '172.16.0.0', 12],
  ['private', '192.168.0.0', 16],
  ['link-local', '169.254.0.0', 16],
  ['cgnat', '100.64.0.0', 10],
  ['unspecified', '0.0.0.0', 8],
];

const v4 = (ip: string) => ip.split('.').reduce((n, o) => (n << 8) + Number(o), 0) >>> 0;

/** The non-public range an address belongs to, if any. */
export function rangeOf(address: string): AddressRange | undefined {
  let ip = address.toLowerCase();
  if (ip.startsWith('::ffff:') && net.isIPv4(ip.slice(7))) ip = ip.slice(7); // IPv4-mapped
  if (net.isIPv4(ip)) {
    for (const [range, base, bits] of V4) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((v4(ip) & mask) === (v4(base) & mask)) return range;
    }
    return undefined;
  }
  if (!net.isIPv6(ip)) return undefined;
  if (ip === '::1') return 'loopback';
  if (ip === '::') return 'unspecified';
  if (/^fe[89ab]/.test(ip)) return 'link-local';
  if (/^f[cd]/.test(ip)) return 'unique-local';
  if (ip === 'fd00:ec2::254') return 'metadata';
  return undefined;
}

export class OutboundPolicy {
  /**
   * @param hint how a refused range is allowed, for the message (the process-wide setting by
   *   default; a tenant's policy names its own setting).
   */
  constructor(
    readonly allowed: ReadonlySet<string>,
    private readonly hint: (range: AddressRange) => string = (r) => `TRADELANE_OUTBOUND_ALLOW=${r}`,
  ) {}

  /** This policy narrowed to `ranges` (what a tenant allows within the installation's ceiling). */
  within(ranges: readonly string[], hint: (range: AddressRange) => string): OutboundPolicy {
    const all = this.allowed.has('*');
    return new OutboundPolicy(new Set(ranges.filter((r) => all || this.allowed.has(r))), (r) =>
      all || this.allowed.has(r) ? hint(r) : this.hint(r),
    );
  }

  static fromSpec(spec: string | undefined): OutboundPolicy {
    const parts = (spec ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    for (const p of parts)
      if (p !== '*' && !(ADDRESS_RANGES as readonly string[]).includes(p))
        throw new Error(`TRADELANE_OUTBOUND_ALLOW: "${p}" is not one of ${ADDRESS_RANGES.join(', ')} or *`);
    return new OutboundPolicy(new Set(parts));
  }

  /** Why connecting to this address is refused, or undefined when it is allowed. */
  refusal(address: string): string | undefined {
    const range = rangeOf(address);
    if (!range || this.allowed.has('*') || this.allowed.has(range)) return undefined;
    return `${range} addresses are not reachable for connectors (allow them with ${this.hint(range)})`;
  }

  /** Checks a URL before it is stored: an IP literal directly, a name by resolving it. */
  async checkUrl(value: string): Promise<string | undefined> {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `only http and https URLs are allowed`;
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (net.isIP(host)) return this.refusal(host);
    try {
      const addresses = await dns.promises.lookup(host, { all: true });
      for (const a of addresses) {
        const refused = this.refusal(a.address);
        if (refused)
          return `${host} resolves to a ${refused.replace(' addresses are', ' address, which is')}`;
      }
    } catch {
      return undefined; // not resolvable now: the call will fail on its own, with a connection error
    }
    return undefined;
  }

  private made?: { httpAgent: http.Agent; httpsAgent: https.Agent };

  /**
   * HTTP(S) agents whose every connection is checked after DNS (redirects and rebinding included);
   * one pair per policy (keep-alive connections are shared by everything under it).
   */
  agents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    return (this.made ??= this.makeAgents());
  }

  private makeAgents(): { httpAgent: http.Agent; httpsAgent: https.Agent } {
    const lookup = (hostname: string, options: dns.LookupOptions, callback: (...a: unknown[]) => void) =>
      dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
        if (err) return callback(err);
        const list = addresses as dns.LookupAddress[];
        for (const a of list) {
          const refused = this.refusal(a.address);
          if (refused)
            return callback(
              Object.assign(new Error(`${hostname}: ${refused}`), { code: 'EOUTBOUNDREFUSED' }),
            );
        }
        if (options.all) return callback(null, list);
        return callback(null, list[0].address, list[0].family);
      });
    const guard = { lookup } as unknown as http.AgentOptions;
    return {
      httpAgent: new http.Agent({ keepAlive: true, ...guard }),
      httpsAgent: new https.Agent({ keepAlive: true, ...guard }),
    };
  }
}
