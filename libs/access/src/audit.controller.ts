import { Controller, Get, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
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
  list(@CurrentPrincipal() p: Principal, @Query() q: AuditQueryDto) {
    return this.audit.list({
      tenant: p.tenant,
      actor: q.actor,
      action: q.action,
      targetId: q.target,
      from: q.from ? new Date(q.from) : undefined,
      to: q.to ? new Date(q.to) : undefined,
      before: q.cursor,
      limit: q.limit ?? 100,
    });
  }
}
