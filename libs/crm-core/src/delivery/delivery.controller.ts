import { Controller, Get, Param, ParseUUIDPipe, UseFilters } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import { CustomerViewService } from '../customer-view/customer-view.service';
import { DeliveryDetailDto } from '../customer/customer.dto';

@ApiTags('deliveries')
@Controller('deliveries')
@UseFilters(AppErrorFilter)
export class DeliveryController {
  constructor(private readonly views: CustomerViewService) {}

  @Get(':id')
  @Allow('shipments:read')
  @ApiOperation({
    summary: 'One delivery with its status timeline',
    description:
      'Every status event received, oldest first; the current status is the one with the latest event time.',
  })
  @ApiOkResponse({ type: DeliveryDetailDto })
  @ApiNotFoundResponse()
  get(@Param('id', ParseUUIDPipe) id: string): Promise<DeliveryDetailDto> {
    return this.views.delivery(id);
  }
}
