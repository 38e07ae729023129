import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { AcceptChannel } from './define-connector';

/**
 * Where a partner's SFTP server is and how to use it (a config block of connectors that take files
 * over SFTP; the credentials are the connector's secret fields `sftpPassword` / `sftpPrivateKey`).
 * The host key is pinned: a server showing another key is refused, never trusted on first use.
 */
export class SftpSettings {
  @IsString() @IsNotEmpty() @MaxLength(253) host: string;

  @IsOptional() @IsInt() @Min(1) @Max(65535) port = 22;

  @IsString() @IsNotEmpty() @MaxLength(100) username: string;

  /** The server's host key fingerprint as `ssh-keygen -lf <key>` prints it: `SHA256:` and 43 base64 characters. */
  @Matches(/^SHA256:[A-Za-z0-9+/]{43}=?$/, {
    message: 'hostKey must be a SHA256 fingerprint (SHA256:…), as ssh-keygen -l prints it',
  })
  hostKey: string;

  /** Remote folder the partner puts its files in. */
  @Matches(/^\/[^\0]*$/, { message: 'remoteInbound must be an absolute path on the server' })
  @MaxLength(500)
  remoteInbound: string;

  /** Remote folder our files (acknowledgements, shipping orders) go to: uploaded as `.<name>.part`, then renamed. */
  @IsOptional()
  @Matches(/^\/[^\0]*$/, { message: 'remoteOutbound must be an absolute path on the server' })
  @MaxLength(500)
  remoteOutbound?: string;

  /** A file taken: deleted on the server, or moved into `<remoteInbound>/processed/`. */
  @IsOptional() @IsIn(['delete', 'move']) afterPickup: 'delete' | 'move' = 'move';

  /**
   * A file changed in the last this many seconds is left for the next pass: the partner may still be
   * writing it (a partner that uploads under a temporary name can set 0).
   */
  @IsOptional() @IsInt() @Min(0) @Max(3600) settleSeconds = 5;
}

/**
 * The accept channel of a connector that takes a partner's files from its SFTP server: the host
 * polls `sftpField`'s server (every CONNECTOR_FILE_POLL_SECONDS), downloads each file, puts it on the
 * bus whole (the same path as a dropped file, the same idempotency), and removes it on the server
 * only after the broker has it; it uploads what the connector writes into `outboundFolder`.
 */
export function sftpPickup(o: { what: string; name?: string; sftpField?: string }): AcceptChannel {
  const sftpField = o.sftpField ?? 'sftp';
  return {
    name: o.name ?? 'sftp',
    via: 'sftp',
    sftpField,
    description: `${o.what}, picked up from the partner's SFTP server (${sftpField}); outboundFolder uploaded there`,
  };
}
