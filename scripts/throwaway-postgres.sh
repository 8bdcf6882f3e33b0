# Sourced by test.sh and bench/run.sh: starts a throwaway PostgreSQL cluster on 127.0.0.1 and a free
# port, exports its admin connection string in $1 (a variable name), and stops it on exit.
# initdb and pg_ctl refuse to run as root, so as root they run as the postgres user.
start_throwaway_postgres() {
  local variable=$1
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  pg_dir=$(mktemp -d /tmp/chengxin-pg.XXXXXX)
  pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
  [ "$(id -u)" = 0 ] && chown postgres "$pg_dir"
  stop_pg() { run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$pg_dir"; }
  trap stop_pg EXIT
  echo "== starting PostgreSQL on 127.0.0.1:$pg_port"
  run_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust --no-sync -E UTF8 --locale=C.UTF-8 >/dev/null
  run_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
    -o "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir -c fsync=off -c max_connections=200 -c max_wal_size=8GB -c checkpoint_timeout=30min -c shared_buffers=512MB" start >/dev/null
  export "$variable=Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres"
}
