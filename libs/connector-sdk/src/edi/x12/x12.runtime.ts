import { ConnectorContext, ConnectorRuntime } from '../../define-connector';
import { EdiConnectorConfig, ediConnectorRuntime, EdiInboundOptions } from '../edi.connector';
import { x12Inbound, X12InboundResult, X12Mapper } from './x12.inbound';

/** The configuration of an X12 connector instance: the EDI one. */
export class X12ConnectorConfig extends EdiConnectorConfig {}

/** An X12 connector's runtime: the EDI one, with the transaction sets of `mappers`. */
export function x12ConnectorRuntime(
  config: X12ConnectorConfig,
  context: Pick<ConnectorContext, 'log' | 'edi'>,
  mappers: Readonly<Record<string, X12Mapper>>,
  respond?: (result: X12InboundResult, o: EdiInboundOptions) => Promise<{ name: string; text: string }[]>,
): ConnectorRuntime {
  return ediConnectorRuntime(
    'x12',
    config,
    context,
    Object.keys(mappers),
    (body, o) => x12Inbound(body, { ...o, mappers }),
    respond,
  );
}
