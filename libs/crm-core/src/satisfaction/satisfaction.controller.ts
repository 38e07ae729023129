import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
  UseFilters,
} from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Allow, AppErrorFilter } from '@tradelane/http';
import {
  AnswerQuery,
  PeriodQuery,
  RecordResponsesDto,
  SatisfactionAnswerDto,
  SatisfactionDto,
  WeightsDto,
} from './satisfaction.dto';
import { SatisfactionService } from './satisfaction.service';

@ApiTags('satisfaction')
@Controller('customers/:id/satisfaction')
@UseFilters(AppErrorFilter)
export class SatisfactionController {
  constructor(private readonly satisfaction: SatisfactionService) {}

  @Get()
  @Allow('segments:read')
  @ApiOperation({
    summary: 'Satisfaction index of the relationship, per party and department, with the formula',
    description:
      'S = Σp Wp · Σd wp,d · sp,d on 0–100; each department lists the answers it was computed from.',
  })
  @ApiOkResponse({ type: SatisfactionDto })
  @ApiNotFoundResponse()
  index(@Param('id', ParseUUIDPipe) id: string, @Query() q: PeriodQuery): Promise<SatisfactionDto> {
    return this.satisfaction.index(id, q);
  }

  @Get('answers')
  @Allow('segments:read')
  @ApiOperation({ summary: 'The answers behind the index (drill-down), by party and department' })
  @ApiOkResponse({ type: [SatisfactionAnswerDto] })
  @ApiNotFoundResponse()
  answers(@Param('id', ParseUUIDPipe) id: string, @Query() q: AnswerQuery): Promise<SatisfactionAnswerDto[]> {
    return this.satisfaction.answers(id, q);
  }

  @Post('responses')
  @Allow('segments:write')
  @HttpCode(200)
  @ApiOperation({ summary: 'Record survey answers (CSAT, NPS), review scores or complaint signals' })
  async record(
    @Param('id', ParseUUIDPipe) id: string,
    @Body() body: RecordResponsesDto,
  ): Promise<{ recorded: number }> {
    return { recorded: await this.satisfaction.record(id, body.responses) };
  }

  @Put('weights')
  @Allow('segments:write')
  @ApiOperation({ summary: 'Weights per party and per department within a party (normalised when used)' })
  weights(@Param('id', ParseUUIDPipe) id: string, @Body() body: WeightsDto): Promise<WeightsDto> {
    return this.satisfaction.setWeights(id, body);
  }
}
