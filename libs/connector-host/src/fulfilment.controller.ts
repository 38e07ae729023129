import { Body, Controller, HttpCode, Inject, Param, Post, UseFilters } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { createEnvelope, newMessageId } from '@tradelane/contracts';
import { Allow, AppError, AppErrorFilter, noteChange } from '@tradelane/http';
import { EVENTS_EXCHANGE, OutboxRelay } from '@tradelane/messaging';
import { Database, OutboxRepository } from '@tradelane/persistence';
import { IsNotEmpty, IsOptional, IsString, MaxLength } from 'class-validator';
import { ConnectorInstanceService } from './connector-instance.service';
import { CRM_RECORDS, CrmRecordsPort } from './crm-records.port';

const TYPE = 'crm.order.fulfilment-requested.v1';

export class FulfilmentRequestDto {
  @ApiProperty({
    description: "The order: its id in the 360, or '<source>/<external id>'",
    example: 'erp-sap-idoc:main/10643',
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(400)
  orderId: string;

  @ApiPropertyOptional({ description: 'For the warehouse (handling instructions)' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  note?: string;
}

export class FulfilmentAcceptedDto {
  @ApiProperty({ format: 'uuid', description: 'The request (payload requestId, audit target)' })
  requestId: string;
  @ApiProperty({
    format: 'uuid',
    description: 'The crm.order.fulfilment-requested.v1 event (ledger, deliveries)',
  })
  messageId: string;
  @ApiProperty() instance: string;
  @ApiProperty() orderSource: string;
  @ApiProperty() orderExternalId: string;
}

/** Sending a customer's order to a warehouse: the warehouse connector writes its shipping order. */
@ApiTags('connectors')
@Controller('connector-instances')
@UseFilters(AppErrorFilter)
export class FulfilmentController {
  constructor(
    private readonly instances: ConnectorInstanceService,
    private readonly db: Database,
    private readonly outbox: OutboxRepository,
    private readonly relay: OutboxRelay,
    @Inject(CRM_RECORDS) private readonly crm: CrmRecordsPort,
  ) {}

  @Post(':id/fulfilment-requests')
  @Allow('orders:write')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send an order to a warehouse instance for fulfilment (an X12 940, …)',
    description:
      'The event crm.order.fulfilment-requested.v1 goes to this instance only; its delivery (sent, failed, ' +
      're-send) is listed under GET /connector-instances/:id/deliveries.',
  })
  @ApiAcceptedResponse({ type: FulfilmentAcceptedDto })
  @ApiBadRequestResponse({ description: 'The instance cannot take fulfilment requests' })
  @ApiNotFoundResponse({ description: 'No such instance or order' })
  async request(@Param('id') id: string, @Body() body: FulfilmentRequestDto): Promise<FulfilmentAcceptedDto> {
    const { instance, def } = await this.instances.runtime(id);
    if (!(def.capabilities.send ?? []).includes(TYPE))
      throw new AppError(
        'invalid',
        `${id} cannot take fulfilment requests (${def.id} sends ${(def.capabilities.send ?? []).join(', ') || 'nothing'})`,
      );
    if (instance.state === 'paused') throw new AppError('unavailable', `${id} is paused: resume it first`);
    const order = await this.crm.fulfilmentOf(instance.tenant, body.orderId);
    if (!order) throw new AppError('not-found', `order ${body.orderId} not found`);
    const requestId = newMessageId();
    const envelope = createEnvelope({
      type: TYPE,
      source: 'tradelane-crm',
      tenant: instance.tenant,
      key: `${order.orderSource}/${order.orderExternalId}`,
      payload: { requestId, ...order, ...(body.note ? { note: body.note } : {}), toSources: [id] },
    });
    await this.db.transaction((tx) => this.outbox.enqueue(tx, [{ exchange: EVENTS_EXCHANGE, envelope }]));
    this.relay.wake();
    noteChange({
      targetType: 'order',
      targetId: `${order.orderSource}/${order.orderExternalId}`,
      before: null,
      after: { requestId, instance: id, lines: order.lines.length },
    });
    return {
      requestId,
      messageId: envelope.id,
      instance: id,
      orderSource: order.orderSource,
      orderExternalId: order.orderExternalId,
    };
  }
}
