import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import {
  AddTradingPartnerDto,
  TradingPartnerDto,
  TradingPartnerPageDto,
  TradingPartnerQuery,
  UpdateTradingPartnerDto,
} from './trading-partner.dto';
import { TradingPartnerService } from './trading-partner.service';

/** EDI trading partners of the tenant: who may send interchanges, as which customer, with which acknowledgements. */
@ApiTags('connectors')
@Controller('trading-partners')
@UseFilters(AppErrorFilter)
export class TradingPartnerController {
  constructor(private readonly partners: TradingPartnerService) {}

  @Get()
  @Allow('connectors:read')
  @ApiOperation({ summary: 'Trading partners (EDI senders), with the last interchange received from each' })
  @ApiOkResponse({ type: TradingPartnerPageDto })
  list(@Query() q: TradingPartnerQuery): Promise<TradingPartnerPageDto> {
    return this.partners.list(q);
  }

  @Post()
  @Allow('connectors:write')
  @HttpCode(201)
  @ApiOperation({
    summary: 'Add a trading partner',
    description:
      'An interchange from a sender that is not a partner is refused whole and kept as a dead letter ' +
      'naming ISA06 / UNB 0004; add the partner, then redrive it.',
  })
  @ApiOkResponse({ type: TradingPartnerDto })
  @ApiBadRequestResponse({ description: 'A field is invalid (named)' })
  @ApiConflictResponse({ description: 'The interchange id is taken for that standard in the tenant' })
  add(@Body() body: AddTradingPartnerDto): Promise<TradingPartnerDto> {
    return this.partners.add(body);
  }

  @Get(':id')
  @Allow('connectors:read')
  @ApiOperation({ summary: 'One trading partner' })
  @ApiOkResponse({ type: TradingPartnerDto })
  @ApiNotFoundResponse()
  get(@Param('id') id: string): Promise<TradingPartnerDto> {
    return this.partners.get(id);
  }

  @Patch(':id')
  @Allow('connectors:write')
  @ApiOperation({ summary: 'Change a trading partner (status disabled refuses its interchanges)' })
  @ApiOkResponse({ type: TradingPartnerDto })
  @ApiNotFoundResponse()
  update(@Param('id') id: string, @Body() body: UpdateTradingPartnerDto): Promise<TradingPartnerDto> {
    return this.partners.update(id, body);
  }
}
