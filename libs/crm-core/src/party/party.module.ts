import { Module } from '@nestjs/common';
import { PartyLinks } from './party-links.service';
import { PartyRepository } from './party.repository';

/** Party roles of orders and deliveries (shipper, consignee, bill-to...), kept from the records-written hook. */
@Module({
  providers: [PartyRepository, PartyLinks],
})
export class PartyModule {}
