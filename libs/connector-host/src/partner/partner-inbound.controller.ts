import {
  ArgumentsHost,
  Body,
  Catch,
  Controller,
  ExceptionFilter,
  Headers,
  Post,
  Res,
  UseFilters,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBody, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@tradelane/access';
import { Allow, AppErrorFilter, ForPartners } from '@tradelane/http';
import { PARTNER_INBOUND, partnerBodyDocSchema, PartnerInboundKind } from './partner-inbound.schemas';
import { PartnerBodyError, PartnerInboundService } from './partner-inbound.service';

interface HttpResponse {
  status(code: number): HttpResponse;
  json(body: unknown): void;
  setHeader(name: string, value: string): void;
}

/** A refused body as its problem (the problem-details layer adds type, title, instance). */
@Catch(PartnerBodyError)
export class PartnerBodyErrorFilter implements ExceptionFilter {
  catch(err: PartnerBodyError, host: ArgumentsHost): void {
    host
      .switchToHttp()
      .getResponse<HttpResponse>()
      .status(err.status)
      .json({ statusCode: err.status, message: err.message, errors: err.errors });
  }
}

const IDEMPOTENCY = ApiHeader({
  name: 'Idempotency-Key',
  required: true,
  description: 'Your key for this request (1-200 visible ASCII): a retry with it gets the first answer',
});

const accepted = (kind: PartnerInboundKind) =>
  ApiAcceptedResponse({
    description: `Taken: each item is a ${PARTNER_INBOUND[kind].contract} message on its way through the pipeline (Idempotent-Replayed: true on a retry)`,
  });

/**
 * What partners share with us: their orders, stock reports and shipment events, each a list of the
 * canonical contract's payloads (the published JSON Schemas), attributed to the partner.
 */
@ApiTags('partner')
@Controller('partner/v1')
@ForPartners()
@UseFilters(AppErrorFilter, PartnerBodyErrorFilter)
export class PartnerInboundController {
  constructor(private readonly inbound: PartnerInboundService) {}

  @Post('orders')
  @Allow('orders:write')
  @IDEMPOTENCY
  @accepted('orders')
  @ApiBody({ schema: partnerBodyDocSchema('orders') })
  @ApiOperation({ summary: 'Share your orders (order.upserted.v1 payloads) for one of your customers' })
  orders(
    @CurrentPrincipal() p: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return this.take(p, 'orders', key, body, res);
  }

  @Post('stock-reports')
  @Allow('inventory:write')
  @IDEMPOTENCY
  @accepted('stock-reports')
  @ApiBody({ schema: partnerBodyDocSchema('stock-reports') })
  @ApiOperation({ summary: 'Report stock levels or changes (stock.level-changed.v1 payloads)' })
  stockReports(
    @CurrentPrincipal() p: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return this.take(p, 'stock-reports', key, body, res);
  }

  @Post('shipment-events')
  @Allow('shipments:write')
  @IDEMPOTENCY
  @accepted('shipment-events')
  @ApiBody({ schema: partnerBodyDocSchema('shipment-events') })
  @ApiOperation({ summary: 'Report shipment status events (delivery.status-changed.v1 payloads)' })
  shipmentEvents(
    @CurrentPrincipal() p: Principal,
    @Headers('idempotency-key') key: string | undefined,
    @Body() body: unknown,
    @Res({ passthrough: true }) res: HttpResponse,
  ) {
    return this.take(p, 'shipment-events', key, body, res);
  }

  private async take(
    p: Principal,
    kind: PartnerInboundKind,
    key: string | undefined,
    body: unknown,
    res: HttpResponse,
  ) {
    const answer = await this.inbound.accept(p, kind, key, body);
    res.status(answer.status);
    if (answer.replayed) res.setHeader('Idempotent-Replayed', 'true');
    return answer.body;
  }
}
