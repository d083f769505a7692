#!/usr/bin/env bash
# The one test command: the whole suite on SQLite and on PostgreSQL, then one "N passed, N failed" line for both.
#
# On a fresh Debian machine with only the .NET SDK it installs what the tests drive (Debian's chromium and
# postgresql, as root), starts a throwaway PostgreSQL cluster in a temporary directory on a free port (durability
# off: it is a test), and stops and deletes it afterwards. GROUNDTRUTH_TEST_PROVIDERS=Sqlite (or Postgres) runs one.
set -uo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
providers=${GROUNDTRUTH_TEST_PROVIDERS:-Sqlite Postgres}

install() {
  echo "installing $*" >&2
  if [ "$(id -u)" != 0 ]; then echo "run as root once, or: sudo apt-get install -y $*" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "$@" >/dev/null || exit 1
}

# Playwright drives Debian's Chromium and never downloads a browser.
[ -x /usr/bin/chromium ] || install chromium

cluster=
stop_cluster() {
  [ -n "$cluster" ] || return 0
  as_postgres "$pgbin/pg_ctl" -D "$cluster/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$cluster"
}
trap stop_cluster EXIT

if [[ " $providers " == *" Postgres "* ]]; then
  ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || install postgresql
  pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  # PostgreSQL refuses to run as root: the cluster belongs to the postgres user Debian's package creates.
  as_postgres() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  cluster=$(mktemp -d /tmp/groundtruth-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$cluster"
  as_postgres "$pgbin/initdb" -D "$cluster/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null || exit 1
  for port in $(seq 54320 54420); do
    (: </dev/tcp/127.0.0.1/$port) 2>/dev/null && continue   # taken
    if as_postgres "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w -o "-p $port -k $cluster \
        -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
        -c max_connections=300" start >/dev/null; then
      export GROUNDTRUTH_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres"
      break
    fi
  done
  [ -n "${GROUNDTRUTH_TEST_POSTGRES:-}" ] || { echo "could not start PostgreSQL:" >&2; cat "$cluster/log" >&2; exit 1; }
fi

dotnet build GroundTruth.sln -v quiet -nologo || exit 1

log=$(mktemp)
status=0
for provider in $providers; do
  echo "=== the suite on $provider ==="
  GROUNDTRUTH_TEST_PROVIDER=$provider dotnet test GroundTruth.sln --no-build 2>&1 | tee -a "$log"
  [ "${PIPESTATUS[0]}" = 0 ] || status=1
done

# vstest prints one summary per run: "Passed!  - Failed: 0, Passed: 76, Skipped: 0, Total: 76, ..."
count() { grep -oE "$1: +[0-9]+" "$log" | awk '{ n += $2 } END { print n + 0 }'; }
passed=$(count Passed)
echo "$passed passed, $(count Failed) failed, $(count Skipped) skipped ($providers)"
rm -f "$log"
if [ "$passed" = 0 ]; then echo "no test ran" >&2; exit 1; fi
exit "$status"
