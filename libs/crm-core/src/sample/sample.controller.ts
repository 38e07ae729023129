import { Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Allow } from '@tradelane/http';
import { SampleDataService } from './sample-data.service';

export class SampleLoadedDto {
  @ApiProperty({ description: 'Events published to tradelane.inbound' })
  published: number;
}

@ApiTags('operations')
@Controller()
export class SampleController {
  constructor(private readonly sample: SampleDataService) {}

  @Post('sample')
  @Allow('sample:load')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Publish the bundled sample again (idempotent: the same events with the same ids)',
  })
  @ApiOkResponse({ type: SampleLoadedDto })
  async load(): Promise<SampleLoadedDto> {
    return { published: await this.sample.load() };
  }
}
