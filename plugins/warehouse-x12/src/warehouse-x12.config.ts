import { X12ConnectorConfig } from '@tradelane/connector-sdk/edi';

/** Configuration of one warehouse-x12 instance (the plugin README documents it): the X12 one. */
export class WarehouseX12Config extends X12ConnectorConfig {}
