import { Body, Controller, Get, Inject, Injectable, Put, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow, AppError, AppErrorFilter, noteChange, requestTenant } from '@tradelane/http';
import { Database, runScoped } from '@tradelane/persistence';
import { ArrayMaxSize, IsArray, IsIn } from 'class-validator';
import { OUTBOUND_POLICY } from './file-roots.provider';
import { ADDRESS_RANGES, OutboundPolicy } from './outbound';

const RANGES = [...ADDRESS_RANGES, '*'] as const;
/** How long a tenant's allowance is believed (a change reaches every process within this). */
const KNOWN_FOR_MS = 10_000;

export class OutboundAllowDto {
  @ApiProperty({
    enum: RANGES,
    isArray: true,
    example: ['private'],
    description: "Non-public address ranges this tenant's connectors, SFTP servers and webhooks may reach",
  })
  @IsArray()
  @ArrayMaxSize(RANGES.length)
  @IsIn(RANGES, { each: true })
  allow: string[];
}

export class OutboundPolicyDto {
  @ApiProperty({ enum: RANGES, isArray: true, description: 'What the tenant allows now' }) allow: string[];
  @ApiProperty({
    enum: RANGES,
    isArray: true,
    description: "The installation's ceiling (TRADELANE_OUTBOUND_ALLOW): a tenant may allow only these",
  })
  ceiling: string[];
  @ApiProperty({ description: 'false: the tenant set nothing and has the ceiling' }) own: boolean;
}

/**
 * Where each tenant's outbound calls may go (SSRF protection per tenant): within the installation's
 * ceiling (TRADELANE_OUTBOUND_ALLOW), a tenant's own allowance narrows it; a tenant that set none has
 * the ceiling. Every outbound path asks here: connector URLs and HTTP agents, SFTP hosts, webhook
 * endpoints and their deliveries.
 */
@Injectable()
export class OutboundPolicies {
  private readonly known = new Map<string, { policy: OutboundPolicy; until: number }>();
  /** One policy object per allowance, so its HTTP agents (and keep-alive connections) are shared. */
  private readonly byAllowance = new Map<string, OutboundPolicy>();

  constructor(
    @Inject(OUTBOUND_POLICY) readonly ceiling: OutboundPolicy,
    private readonly db: Database,
  ) {}

  async forTenant(tenant: string): Promise<OutboundPolicy> {
    const known = this.known.get(tenant);
    if (known && known.until > Date.now()) return known.policy;
    const row = await this.allowanceOf(tenant);
    const policy = row ? this.narrowed(row.allow) : this.ceiling;
    this.known.set(tenant, { policy, until: Date.now() + KNOWN_FOR_MS });
    return policy;
  }

  async describe(tenant: string): Promise<OutboundPolicyDto> {
    const row = await this.allowanceOf(tenant);
    const ceiling = [...this.ceiling.allowed];
    return { allow: row ? row.allow : ceiling, ceiling, own: !!row };
  }

  async set(tenant: string, allow: string[]): Promise<OutboundPolicyDto> {
    const ceiling = this.ceiling.allowed;
    const beyond = allow.filter((r) => !ceiling.has('*') && !ceiling.has(r));
    if (beyond.length)
      throw new AppError(
        'invalid',
        `allow: ${beyond.join(', ')} beyond what this installation permits (TRADELANE_OUTBOUND_ALLOW=${[...ceiling].join(',') || '(none)'})`,
      );
    const before = await this.describe(tenant);
    await this.db.sql(
      `INSERT INTO tenant_outbound_allow (tenant, allow) VALUES ($1, $2)
       ON CONFLICT (tenant) DO UPDATE SET allow = excluded.allow, updated_at = now()`,
      [tenant, [...new Set(allow)].sort()],
    );
    this.known.delete(tenant);
    const after = await this.describe(tenant);
    noteChange({
      targetType: 'outbound-policy',
      targetId: tenant,
      before: { ...before },
      after: { ...after },
    });
    return after;
  }

  /**
   * The tenant's own allowance, read as system work: a partner's request (its webhook endpoint being
   * checked) runs in the partner's scope, which row-level security keeps from the setting.
   */
  private async allowanceOf(tenant: string): Promise<{ allow: string[] } | undefined> {
    const [row] = await runScoped(null, () =>
      this.db.sql<{ allow: string[] }>(`SELECT allow FROM tenant_outbound_allow WHERE tenant = $1`, [tenant]),
    );
    return row;
  }

  private narrowed(allow: string[]): OutboundPolicy {
    const key = [...allow].sort().join(',');
    let p = this.byAllowance.get(key);
    if (!p) {
      p = this.ceiling.within(allow, (r) => `PUT /outbound-policy {"allow": ["${r}"]} for the tenant`);
      this.byAllowance.set(key, p);
    }
    return p;
  }
}

/** The tenant's outbound allowance (administrators): what its connectors and webhooks may reach. */
@ApiTags('connectors')
@Controller('outbound-policy')
@UseFilters(AppErrorFilter)
export class OutboundPolicyController {
  constructor(private readonly policies: OutboundPolicies) {}

  @Get()
  @Allow('users:admin')
  @ApiOperation({ summary: "Which non-public address ranges the tenant's outbound calls may reach" })
  @ApiOkResponse({ type: OutboundPolicyDto })
  get(): Promise<OutboundPolicyDto> {
    return this.policies.describe(requestTenant());
  }

  @Put()
  @Allow('users:admin')
  @ApiOperation({
    summary: "Set the ranges the tenant's outbound calls may reach, within the installation's ceiling",
  })
  @ApiOkResponse({ type: OutboundPolicyDto })
  put(@Body() body: OutboundAllowDto): Promise<OutboundPolicyDto> {
    return this.policies.set(requestTenant(), body.allow);
  }
}
