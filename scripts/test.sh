#!/usr/bin/env bash
# Runs every test, as CI does: installs what the tests need when it is missing (Debian's chromium and
# chromium-driver for the browser tests of the web console, Debian's postgresql for the server the PostgreSQL
# runtime's tests start), then runs mvn -B verify with any extra arguments given.
set -euo pipefail
cd "$(dirname "$0")/.."
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
apt_install() { $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; }
# installs Debian packages quietly, updating the package lists first only when the install fails
install_packages() { apt_install "$@" || { $sudo apt-get update -qq && apt_install "$@"; }; }
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "installing chromium and chromium-driver for the browser tests"
  install_packages chromium chromium-driver
fi
# the tests start their own throwaway server with initdb and pg_ctl (see TestPostgres in durable-runtime-postgres)
if ! command -v initdb >/dev/null 2>&1 && ! compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; then
  echo "installing postgresql for the PostgreSQL runtime's tests"
  install_packages postgresql
fi
export DURABLE_REQUIRE_BROWSER=1
exec mvn -B verify "$@"
