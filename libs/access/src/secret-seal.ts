import { SecretBox } from './secret-box';

/**
 * The process's key ring for secrets at rest (connector secrets, token signing keys), built on
 * first use from TRADELANE_SECRET_KEYS (or the embedded default's local key): secret-keys.ts.
 */
export type SecretSeal = () => SecretBox;
export const SECRET_SEAL = Symbol('SECRET_SEAL');
