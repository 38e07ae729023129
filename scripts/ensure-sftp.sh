#!/usr/bin/env bash
# Makes a real OpenSSH SFTP server available for the tests and prints the environment to use
# (`eval "$(scripts/ensure-sftp.sh)"`): SFTP_TEST_HOST, SFTP_TEST_PORT, SFTP_TEST_USER, SFTP_TEST_KEY
# (the client's private key file), SFTP_TEST_HOST_KEY (the pinned SHA256 fingerprint).
#
# - SFTP_TEST_HOST already set: used as it is, nothing installed.
# - Otherwise, as root on a Debian machine: installs `openssh-server` from Debian's packages when
#   missing, creates the user `tradelane-sftp` (no shell, SFTP only), generates a host key and a
#   client key under .tmp/sftp/, and starts its own sshd on 127.0.0.1:${SFTP_TEST_PORT:-22222}
#   (no systemd on CI; the machine's own sshd, if any, is left alone). Progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -n "${SFTP_TEST_HOST:-}" ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "[sftp] no SFTP_TEST_HOST and not root: run as root, or point SFTP_TEST_* at a server" >&2
  exit 1
fi
port=${SFTP_TEST_PORT:-22222}
user=tradelane-sftp
dir=$(pwd)/.tmp/sftp
mkdir -p "$dir"

if [ ! -x /usr/sbin/sshd ]; then
  echo "[sftp] installing openssh-server" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends openssh-server >&2; }
fi
id "$user" >/dev/null 2>&1 || useradd --create-home --shell /usr/sbin/nologin "$user"
# Not locked (a locked account is refused even with a key when PAM is off); no password either.
usermod -p "*" "$user"
home=$(getent passwd "$user" | cut -d: -f6)
[ -f "$dir/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tradelane-test-host -f "$dir/host_ed25519"
[ -f "$dir/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C tradelane-test-client -f "$dir/client_ed25519"
install -d -m 700 -o "$user" -g "$user" "$home/.ssh"
# Appended, not replaced: another checkout's tests on this machine keep their key.
[ -f "$home/.ssh/authorized_keys" ] || install -m 600 -o "$user" -g "$user" /dev/null "$home/.ssh/authorized_keys"
grep -qxF "$(cat "$dir/client_ed25519.pub")" "$home/.ssh/authorized_keys" ||
  cat "$dir/client_ed25519.pub" >>"$home/.ssh/authorized_keys"
# Our sshd already runs: it keeps the port it took.
if [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null && [ -f "$dir/sshd_config" ]; then
  port=$(awk '/^Port /{print $2}' "$dir/sshd_config")
fi
cat >"$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile .ssh/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $user
Subsystem sftp internal-sftp
ForceCommand internal-sftp
LogLevel ERROR
CONF
mkdir -p /run/sshd
if ! { [ -f "$dir/sshd.pid" ] && kill -0 "$(cat "$dir/sshd.pid")" 2>/dev/null; }; then
  # The port may be another checkout's sshd (another host key: its tests would fail on the pin):
  # take the next free one.
  for _ in $(seq 1 20); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; port=$((port + 1)); done
  sed -i "s/^Port .*/Port $port/" "$dir/sshd_config"
  echo "[sftp] starting sshd on 127.0.0.1:$port" >&2
  /usr/sbin/sshd -f "$dir/sshd_config"
  for _ in $(seq 1 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
fi
echo "export SFTP_TEST_HOST=127.0.0.1"
echo "export SFTP_TEST_PORT=$port"
echo "export SFTP_TEST_USER=$user"
echo "export SFTP_TEST_KEY=$dir/client_ed25519"
echo "export SFTP_TEST_HOME=$home"
echo "export SFTP_TEST_HOST_KEY=$(ssh-keygen -lf "$dir/host_ed25519.pub" | awk '{print $2}')"
