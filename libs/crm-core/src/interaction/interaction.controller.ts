import { Body, Controller, Param, ParseUUIDPipe, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CurrentPrincipal, Principal } from '@tradelane/access';
import { Allow, AppErrorFilter } from '@tradelane/http';
import { TimelineEntryDto } from '../customer/customer.dto';
import { LogInteractionDto } from './interaction.dto';
import { InteractionService } from './interaction.service';

@ApiTags('customers')
@Controller('customers')
@UseFilters(AppErrorFilter)
export class InteractionController {
  constructor(private readonly interactions: InteractionService) {}

  @Post(':id/interactions')
  @Allow('interactions:write')
  @ApiOperation({
    summary: "Log a call, meeting, note or e-mail on the customer's timeline",
    description: 'The entry names the person logged in (or the API key) as its actor.',
  })
  @ApiCreatedResponse({ type: TimelineEntryDto })
  @ApiBadRequestResponse({ description: 'Invalid entry (the message names the field)' })
  @ApiNotFoundResponse({ description: 'No such customer' })
  log(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() dto: LogInteractionDto,
    @CurrentPrincipal() p: Principal,
  ): Promise<TimelineEntryDto> {
    return this.interactions.log(id, dto, p.name);
  }
}
