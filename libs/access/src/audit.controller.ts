import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import { Type } from 'class-transformer';
import {
  IsDateString,
  IsInt,
  IsNumberString,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
} from 'class-validator';
import { AuditService } from './audit.service';
import { CurrentPrincipal, Principal } from './principal';

export class AuditQueryDto {
  @ApiPropertyOptional({ description: 'The actor: e-mail of a user, name or id of an API key' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  actor?: string;

  @ApiPropertyOptional({ description: 'Action, or its start (`merge.`, `auth.login`)', example: 'merge.' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  action?: string;

  @ApiPropertyOptional({ description: 'The id of the thing changed (customer, case, instance, user...)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  target?: string;

  @ApiPropertyOptional({ description: 'From this time on (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  from?: string;

  @ApiPropertyOptional({ description: 'Before this time (ISO 8601)' })
  @IsOptional()
  @IsDateString()
  to?: string;

  @ApiPropertyOptional({ description: 'The nextCursor of the previous page' })
  @IsOptional()
  @IsNumberString()
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100, description: 'Rows per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

/** One row of the audit log (secrets masked in before and after). */
export class AuditEntryDto {
  @ApiProperty({ description: 'Position in the log (the cursor counts down from the newest)' }) id: string;
  @ApiProperty({ type: String, format: 'date-time' }) at: Date;
  @ApiProperty({ enum: ['user', 'api-key', 'local', 'anonymous'], description: 'anonymous: a failed log-in' })
  actorKind: string;
  @ApiProperty({ type: String, nullable: true, description: 'User or key id' }) actorId: string | null;
  @ApiProperty({ description: 'E-mail of the user, name of the key (kept when they are gone)' })
  actorName: string;
  @ApiProperty({ example: 'customer.merge', description: 'What was done' }) action: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The kind of thing changed',
    example: 'customer',
  })
  targetType: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Its id' }) targetId: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The request, or null for a change made outside HTTP',
    example: 'POST /customers/:id/merge',
  })
  route: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'The client address' }) ip: string | null;
  @ApiProperty({ type: String, nullable: true, description: "The client's User-Agent" }) userAgent:
    string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The changed fields as they were',
  })
  before: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The changed fields as they are',
  })
  after: Record<string, unknown> | null;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items: AuditEntryDto[];
  @ApiProperty({ type: String, nullable: true, description: 'The cursor of the next (older) page' })
  nextCursor: string | null;
}

@ApiTags('access')
@Controller('audit')
@UseFilters(AppErrorFilter)
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Allow('audit:read')
  @ApiOperation({
    summary: "The tenant's audit log, newest first",
    description:
      'Who changed what, when and from where, with before and after (secrets masked); log-ins and failed log-ins too. ' +
      'Append-only. Page with nextCursor.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  async list(@CurrentPrincipal() p: Principal, @Query() q: AuditQueryDto): Promise<AuditPageDto> {
    const page = await this.audit.list({
      tenant: p.tenant,
      actor: q.actor,
      action: q.action,
      targetId: q.target,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      before: q.cursor,
      limit: q.limit ?? 100,
    });
    return {
      items: page.items.map(({ tenant: _tenant, ...e }) => e),
      nextCursor: page.nextCursor,
    };
  }
}
