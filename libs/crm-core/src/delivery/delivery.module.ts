import { Module } from '@nestjs/common';
import { CaseModule } from '../case/case.module';
import { CustomerViewModule } from '../customer-view/customer-view.module';
import { DeliveryController } from './delivery.controller';
import { DeliveryHandler } from './delivery.handler';
import { DeliveryRepository } from './delivery.repository';
import { DeliveryService } from './delivery.service';

/** Deliveries and their status timeline; shipment exceptions open cases. */
@Module({
  imports: [CaseModule, CustomerViewModule],
  controllers: [DeliveryController, DeliveryHandler],
  providers: [DeliveryRepository, DeliveryService],
})
export class DeliveryModule {}
