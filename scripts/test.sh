#!/usr/bin/env bash
# Runs every test, as CI does: installs what the browser tests of the web console need when it is missing
# (Debian's chromium and chromium-driver), then runs mvn -B verify with any extra arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
  install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; }
  echo "installing chromium and chromium-driver for the browser tests"
  install || { $sudo apt-get update -qq && install; }
fi
export DURABLE_REQUIRE_BROWSER=1
exec mvn -B verify "$@"
