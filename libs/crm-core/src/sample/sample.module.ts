import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { OrderModule } from '../order/order.module';
import { SatisfactionModule } from '../satisfaction/satisfaction.module';
import { SegmentModule } from '../segment/segment.module';
import { SampleDataService } from './sample-data.service';
import { SampleController } from './sample.controller';

/** The Northwind sample a newcomer sees on the embedded default. */
@Module({
  imports: [CustomerModule, OrderModule, SatisfactionModule, SegmentModule],
  controllers: [SampleController],
  providers: [SampleDataService],
  exports: [SampleDataService],
})
export class SampleModule {}
