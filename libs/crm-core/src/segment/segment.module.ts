import { Module } from '@nestjs/common';
import { CustomerModule } from '../customer/customer.module';
import { SegmentController } from './segment.controller';
import { SegmentJob } from './segment.job';
import { SegmentRepository } from './segment.repository';
import { SegmentService } from './segment.service';

/** ABC classes, lifecycle stages, customer value and VIP, with their reasons. */
@Module({
  imports: [CustomerModule],
  controllers: [SegmentController],
  providers: [SegmentRepository, SegmentService, SegmentJob],
  exports: [SegmentService],
})
export class SegmentModule {}
