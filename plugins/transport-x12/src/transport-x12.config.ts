import { X12ConnectorConfig } from '@tradelane/connector-sdk/edi';

/** Configuration of one transport-x12 instance (the plugin README documents it): the X12 one. */
export class TransportX12Config extends X12ConnectorConfig {}
