#!/usr/bin/env bash
# A real headless browser for the web tests: Debian's chromium (playwright-core drives it; Playwright's
# own browser download cannot reach its CDN here). Uses CHROMIUM_PATH when set; installs the package
# with apt-get when missing and running as root. Prints `export CHROMIUM_PATH=...` for eval.
set -euo pipefail
path=${CHROMIUM_PATH:-}
if [ -z "$path" ]; then
  path=$(command -v chromium || command -v chromium-browser || true)
fi
if [ -z "$path" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "chromium is not installed and this is not root: install Debian's chromium or set CHROMIUM_PATH" >&2
    exit 1
  fi
  echo "installing chromium (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y --no-install-recommends chromium >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium >/dev/null; }
  path=$(command -v chromium)
fi
# (Debian's wrapper script prints a harmless shell warning on some machines: keep only the version.)
"$path" --version >&2 2>/dev/null || true
echo "export CHROMIUM_PATH=$path"
