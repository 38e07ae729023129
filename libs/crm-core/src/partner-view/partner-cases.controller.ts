import { Body, Controller, Param, ParseUUIDPipe, Post, UseFilters } from '@nestjs/common';
import {
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@tradelane/access';
import { CASE_TYPES, CaseType } from '@tradelane/contracts';
import { Allow, AppError, AppErrorFilter, ForPartners, runScoped } from '@tradelane/http';
import { IsIn, IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { CaseOpeningService } from '../case/case-opening.service';
import { CaseWorkflowService } from '../case/case-workflow.service';
import { fieldsOf } from './partner-view.controller';
import { PartnerViewRepository } from './partner-view.repository';

export class PartnerOpenCaseDto {
  @ApiProperty({ enum: CASE_TYPES, description: 'What the case is about (damage, delay, loss...)' })
  @IsIn(CASE_TYPES)
  type: CaseType;

  @ApiProperty({ description: 'One line', example: 'Two pallets arrived crushed' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(300)
  subject: string;

  @ApiPropertyOptional({ description: 'What happened' })
  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  description?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'One of its orders the case is about (the partner API id)',
  })
  @IsOptional()
  @IsUUID()
  orderId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'One of its shipments the case is about' })
  @IsOptional()
  @IsUUID()
  shipmentId?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Which of its customers (needed when it is more than one)',
  })
  @IsOptional()
  @IsUUID()
  customerId?: string;
}

export class PartnerCaseMessageDto {
  @ApiProperty({ description: 'The message (the service desk sees it on the case)' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(10_000)
  body: string;
}

/**
 * A partner's cases, written: it opens one on one of its orders or shipments (the record must be
 * one it may see: another's answers 404) and adds messages to its cases. The case is opened for
 * the tenant by the CRM (SLA clocks, priority rules, the staff queue) as any other.
 */
@ApiTags('partner')
@Controller('partner/v1/cases')
@ForPartners()
@UseFilters(AppErrorFilter)
export class PartnerCasesController {
  constructor(
    private readonly view: PartnerViewRepository,
    private readonly opening: CaseOpeningService,
    private readonly workflow: CaseWorkflowService,
  ) {}

  @Post()
  @Allow('cases:write')
  @ApiOperation({ summary: 'Open a case (a complaint) on one of its orders or shipments' })
  @ApiNotFoundResponse({ description: 'The order or shipment is not one of its' })
  async open(@CurrentPrincipal() p: Principal, @Body() dto: PartnerOpenCaseDto) {
    const mine = (await this.view.customers()) as { id: string }[];
    const customerId = dto.customerId ?? (mine.length === 1 ? mine[0].id : undefined);
    if (!customerId || !mine.some((c) => c.id === customerId))
      throw new AppError(
        'invalid',
        dto.customerId
          ? `customerId ${dto.customerId} is not one of its customers`
          : `customerId: it is ${mine.length} customers; name the one the case is for`,
      );
    const ref = { source: 'source', externalId: 'external_id' };
    const order = dto.orderId ? await this.view.get('orders', dto.orderId, ref) : undefined;
    const delivery = dto.shipmentId ? await this.view.get('shipments', dto.shipmentId, ref) : undefined;
    const opened = await runScoped(p.tenant, () =>
      this.opening.open({
        customerId,
        type: dto.type,
        subject: dto.subject,
        description: dto.description,
        order: order && { source: String(order.source), externalId: String(order.externalId) },
        delivery: delivery && { source: String(delivery.source), externalId: String(delivery.externalId) },
        author: `${p.name} (partner)`,
      }),
    );
    const id = (opened as { id: string }).id;
    return {
      ...(await this.view.get('cases', id, fieldsOf(p, 'cases'))),
      messages: await this.view.caseMessages(id),
    };
  }

  @Post(':id/messages')
  @Allow('cases:write')
  @ApiOperation({ summary: 'Add a message to one of its cases' })
  @ApiNotFoundResponse({ description: 'No such case, or not one of its' })
  async message(
    @CurrentPrincipal() p: Principal,
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: PartnerCaseMessageDto,
  ) {
    await this.view.get('cases', id, { id: 'id' });
    await runScoped(p.tenant, () =>
      this.workflow.addMessage(id, {
        visibility: 'customer',
        direction: 'inbound',
        author: p.name,
        body: dto.body,
      }),
    );
    return {
      ...(await this.view.get('cases', id, fieldsOf(p, 'cases'))),
      messages: await this.view.caseMessages(id),
    };
  }
}
