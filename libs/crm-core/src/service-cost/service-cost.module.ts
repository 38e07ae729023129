import { Module } from '@nestjs/common';
import { ServiceCostRepository } from './service-cost.repository';
import { ServiceCostController, ServiceCostService } from './service-cost.service';

/** Sales lost through poor service next to the logistics cost. */
@Module({
  controllers: [ServiceCostController],
  providers: [ServiceCostRepository, ServiceCostService],
})
export class ServiceCostModule {}
