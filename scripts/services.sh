#!/usr/bin/env bash
# Start the Redis and PostgreSQL the tests talk to (127.0.0.1:6379 and :5432), installing the Debian
# packages first when they are missing, and create the `catalyst_test` database.
set -euo pipefail
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"

need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  $sudo mkdir -p /var/lib/redis /var/log/redis
  $sudo redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
fi

if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $sudo pg_ctlcluster --skip-systemctl-redirect "$version" main start || $sudo pg_ctlcluster "$version" main start
fi

for _ in $(seq 1 30); do
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && pg_isready -h 127.0.0.1 -p 5432 -q && break
  sleep 1
done
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
pg_isready -h 127.0.0.1 -p 5432

# Tests connect as `postgres` over TCP without a password (trust on loopback, as on these machines).
psql_cmd() { psql -h 127.0.0.1 -U postgres -d postgres -tAc "$1" 2>/dev/null || $sudo -u postgres psql -d postgres -tAc "$1"; }
if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "select 1" >/dev/null 2>&1; then
  # A freshly installed cluster asks for passwords on TCP; trust loopback for the test user.
  hba=$(ls /etc/postgresql/*/main/pg_hba.conf | sort -V | tail -n 1)
  $sudo sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  $sudo pg_ctlcluster "$version" main reload
fi
[ "$(psql_cmd "select 1 from pg_database where datname='catalyst_test'")" = "1" ] \
  || psql_cmd "create database catalyst_test"
echo "redis and postgresql are up"
