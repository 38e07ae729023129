import { Body, Controller, Get, Param, ParseUUIDPipe, Put, Query, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter, requestTenant } from '@tradelane/http';
import { IsNotEmpty, IsObject, IsOptional, IsString, Matches } from 'class-validator';
import { TenantQuery } from '../context/page.dto';
import { AgreementService } from './agreement.service';

const SETTINGS_DOC =
  'Partial settings: targets (KPI → share 0..1 or hours), sla (priority → {firstResponseMinutes, resolutionMinutes} in business minutes), calendar ({zone, workdays, open, close, holidays}), atRiskShare, lateToleranceMinutes, shareScorecard';

export class CustomerAgreementDto {
  @ApiPropertyOptional({ example: 'gold', description: 'Tier the customer is on (default: standard)' })
  @IsOptional()
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'tier must be lower-case letters, digits, - or _' })
  tier?: string;

  @ApiPropertyOptional({ description: SETTINGS_DOC, type: Object })
  @IsOptional()
  @IsObject()
  settings?: Record<string, unknown>;
}

export class TierParams {
  @ApiProperty({ example: 'gold' })
  @IsString()
  @IsNotEmpty()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,49}$/, { message: 'tier must be lower-case letters, digits, - or _' })
  tier: string;
}

@ApiTags('service agreements')
@Controller()
@UseFilters(AppErrorFilter)
export class AgreementController {
  constructor(private readonly agreements: AgreementService) {}

  @Get('agreements')
  @Allow('agreements:read')
  @ApiOperation({ summary: 'Tier agreements and customer overrides of a tenant' })
  list(@Query() q: TenantQuery) {
    return this.agreements.list(requestTenant(q.tenant));
  }

  @Put('agreements/tiers/:tier')
  @Allow('agreements:write')
  @ApiOperation({
    summary: "Set a tier's agreement (targets, SLA terms, business calendar)",
    description: SETTINGS_DOC,
  })
  @ApiBody({ schema: { type: 'object' } })
  setTier(@Param() p: TierParams, @Query() q: TenantQuery, @Body() body: Record<string, unknown>) {
    return this.agreements.setTier(requestTenant(q.tenant), p.tier, body);
  }

  @Get('customers/:id/agreement')
  @Allow('agreements:read')
  @ApiOperation({
    summary: "The customer's effective agreement, and which level (default, tier, customer) set each part",
  })
  ofCustomer(@Param('id', ParseUUIDPipe) id: string) {
    return this.agreements.ofCustomer(id);
  }

  @Put('customers/:id/agreement')
  @Allow('agreements:write')
  @ApiOperation({ summary: "Put a customer on a tier and override parts of the tier's agreement" })
  setCustomer(@Param('id', ParseUUIDPipe) id: string, @Body() body: CustomerAgreementDto) {
    return this.agreements.setCustomer(id, body.tier, body.settings);
  }
}
