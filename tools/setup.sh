#!/usr/bin/env bash
# Installs what Sluice needs from Debian's packages (and the schema checker's
# npm packages). Idempotent: with everything present it only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  g++ cmake ninja-build pkg-config
  libboost-fiber-dev libboost-context-dev nlohmann-json3-dev
  libgtest-dev libbenchmark-dev
  libimgui-dev libglfw3-dev libgl-dev zlib1g-dev fonts-dejavu-core xvfb xauth
  chromium  # renders the HTML report in a test (headless)
)
# node/npm run the JSON Schema test (ajv); keep an existing Node.js if there is one.
command -v node >/dev/null 2>&1 || packages+=(nodejs)
command -v npm >/dev/null 2>&1 || packages+=(npm)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ -f tools/schema-check/package.json ] && [ ! -d tools/schema-check/node_modules/ajv ]; then
  echo "setup: installing the JSON Schema checker (npm ci)"
  # No fallback: the schema test needs ajv, and under SLUICE_FAIL_ON_SKIP=1
  # (tools/test.sh, CI) a missing tool fails the run anyway; fail here, early.
  if ! (cd tools/schema-check && npm ci --no-audit --no-fund --loglevel=error); then
    echo "setup: FAILED: npm ci in tools/schema-check (the schema test needs ajv)" >&2
    exit 1
  fi
fi
# What the tests that skip without a tool need: check they are all there.
for tool in node chromium xvfb-run; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "setup: FAILED: $tool is not on PATH after installing its package" >&2
    exit 1
  fi
done
echo "setup: ok"
