import { ConnectorContext, ConnectorRuntime } from '../../define-connector';
import { EdiConnectorConfig, ediConnectorRuntime } from '../edi.connector';
import { edifactInbound, EdifactMapper } from './edifact.inbound';

/** The configuration of an EDIFACT connector instance: the EDI one. */
export class EdifactConnectorConfig extends EdiConnectorConfig {}

/** An EDIFACT connector's runtime: the EDI one, with the messages of `mappers`. */
export function edifactConnectorRuntime(
  config: EdifactConnectorConfig,
  context: Pick<ConnectorContext, 'log' | 'edi'>,
  mappers: Readonly<Record<string, EdifactMapper>>,
): ConnectorRuntime {
  return ediConnectorRuntime('edifact', config, context, Object.keys(mappers), (body, o) =>
    edifactInbound(body, { ...o, mappers }),
  );
}
