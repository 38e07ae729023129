/**
 * Connectors read and move files in drop folders and write to outbound folders: run as root, a
 * misconfigured folder (or a root left out of TRADELANE_FILE_ROOTS) reaches any file of the
 * machine. The documented install runs the api and the worker as the `tradelane` user
 * (config/systemd); a process started as root says so loudly at start. Embedded evaluation on a
 * laptop or in a container is root often enough that it is only told, not refused.
 */
export function runAsRootWarning(uid: number | undefined, fileRoots: string | undefined): string | null {
  if (uid !== 0) return null;
  return (
    'running as root: connectors can then read, move and write any file the folder settings reach' +
    (fileRoots ? ` within TRADELANE_FILE_ROOTS=${fileRoots}` : '') +
    '. Run the api and the worker as an unprivileged user (README "Installing on a server": User=tradelane)'
  );
}
