import { EdifactConnectorConfig } from '@tradelane/connector-sdk/edi';

/** Configuration of one transport-edifact instance (the plugin README documents it): the EDI one. */
export class TransportEdifactConfig extends EdifactConnectorConfig {}
