#!/usr/bin/env bash
# Makes sure the tools the build and tests need outside Maven are present: a JDK >= 21, python3 with
# moto >= 5.1 in server mode (the local cloud's emulator) and cfn-lint (template checks), and for the web
# console's browser tests Node.js >= 20 with web/'s npm packages and a Chromium. Installs the Python ones
# with pip and the npm ones with `npm ci` when they are missing; stops with a clear message when it cannot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

"$here/find-jdk.sh" >/dev/null

if ! command -v python3 >/dev/null; then
  echo "python3 is missing: install Python 3.9+ (e.g. apt-get install python3 python3-pip)" >&2
  exit 1
fi

moto_ok() {
  python3 - <<'PY' 2>/dev/null
import moto, moto.server
major, minor = (int(x) for x in moto.__version__.split(".")[:2])
raise SystemExit(0 if (major, minor) >= (5, 1) else 1)
PY
}
if ! moto_ok; then
  echo "Installing moto[server]>=5.1 ..." >&2
  python3 -m pip install --quiet "moto[server]>=5.1" || {
    echo "moto is missing and pip could not install it: run  pip install \"moto[server]>=5.1\"" >&2
    exit 1
  }
fi

if ! command -v cfn-lint >/dev/null; then
  echo "Installing cfn-lint ..." >&2
  python3 -m pip install --quiet cfn-lint || {
    echo "cfn-lint is missing and pip could not install it: run  pip install cfn-lint" >&2
    exit 1
  }
fi

# bash, curl and jq run the README's tour (ReadmeTourIT executes it). Installs jq/curl from the system's
# packages when they are missing and this user may (CI runs as root).
for tool in curl jq; do
  if ! command -v "$tool" >/dev/null; then
    echo "Installing $tool ..." >&2
    if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
      (apt-get install -y -qq "$tool" >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$tool" >/dev/null; }) || true
    fi
    command -v "$tool" >/dev/null || { echo "$tool is missing: install it (e.g. apt-get install $tool)" >&2; exit 1; }
  fi
done

# The console's browser tests (ConsoleIT): Node.js, playwright-core (npm ci, from web/package-lock.json) and
# Debian's Chromium (playwright-core drives it; it never downloads a browser).
root=$(cd "$here/../.." && pwd)
if ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  echo "Node.js >= 20 is missing: install it (e.g. apt-get install nodejs npm); the console's browser tests need it" >&2
  exit 1
fi
if [ ! -d "$root/web/node_modules/playwright-core" ] || [ "$root/web/package-lock.json" -nt "$root/web/node_modules/.package-lock.json" ]; then
  echo "Installing the console's test packages (npm ci in web/) ..." >&2
  (cd "$root/web" && npm ci --no-audit --no-fund --loglevel=error) || {
    echo "npm ci failed in web/: run  (cd web && npm ci)" >&2
    exit 1
  }
fi
if [ -z "${CHROMIUM:-}" ] && [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    echo "Installing chromium ..." >&2
    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq chromium >/dev/null; } || true
  fi
  [ -x /usr/bin/chromium ] || { echo "Chromium is missing: install it (apt-get install -y chromium) or set CHROMIUM=/path/to/chromium" >&2; exit 1; }
fi
