import type { ConnectorDefinition } from '@tradelane/connector-sdk';

export const REDACTED = '********';

/** The configuration with every secret replaced: what logs, the API and the CLI may show. */
export function redactConfig<C extends object>(
  def: Pick<ConnectorDefinition<C>, 'secrets'>,
  config: C,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  for (const s of def.secrets) if (out[s] !== undefined && out[s] !== null) out[s] = REDACTED;
  return out;
}

/** Splits a configuration into what is stored in clear and the secrets (to be sealed). */
export function splitSecrets<C extends object>(
  def: Pick<ConnectorDefinition<C>, 'secrets'>,
  config: C,
): { settings: Record<string, unknown>; secrets: Record<string, string> } {
  const settings: Record<string, unknown> = { ...(config as Record<string, unknown>) };
  const secrets: Record<string, string> = {};
  for (const s of def.secrets) {
    if (settings[s] !== undefined && settings[s] !== null) secrets[s] = String(settings[s]);
    delete settings[s];
  }
  return { settings, secrets };
}
