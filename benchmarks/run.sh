#!/usr/bin/env bash
# Tollgate benchmarks (issue 8): builds the JMH jar, starts a local PostgreSQL of its own, runs JMH and
# pgbench, and writes benchmarks/results/latest.json (figures, ratios, goals). Usage:
#
#   benchmarks/run.sh           full run: each class's own forks and iterations (about 25 minutes on the 2-core machine)
#   benchmarks/run.sh --quick   1 fork, short iterations (about 6 minutes after a cached build), every ratio still written
#
# Every Tollgate figure measures Tollgate's own code through its public API (benchmarks/README.md, "What is
# measured"): StripeVerifier, WebhookPipeline (verify + parse; transactional mode with PostgresIdempotencyStore
# and a no-op onTransactional handler for the claim figures), BillingGate over InMemoryBillingRepository. The
# webhooks schema is Tollgate's own migration, applied by the benchmarks with SchemaMigrator.forModules("webhooks").
#
# PostgreSQL: the script uses the PostgreSQL 15 binaries of Debian's postgresql-15 package (installed with
# apt-get if absent and we are root), creates a cluster in benchmarks/target/pg/data (trust auth, listening
# on 127.0.0.1:$TOLLGATE_BENCH_PG_PORT, default 55432, socket in benchmarks/target/pg), starts it with
# pg_ctl, and stops it at the end. As root, initdb and pg_ctl run as the 'postgres' user (runuser -u
# postgres), which owns benchmarks/target/pg; as any other user they run as that user.
#
# Durability (issue 18): the server runs with synchronous_commit=on, as production does, and every goal is
# measured so (JMH pass 1, pgbench with 8 and 32 clients). The PostgreSQL throughputs are then measured again
# with synchronous_commit=off (pass 2: the sessions' own setting, through the JDBC URL's 'options' and pgbench's
# PGOPTIONS) and reported as context (*_off figures). latest.json names each figure's and ratio's durability.
set -euo pipefail

QUICK=0
case "${1:-}" in
  --quick) QUICK=1 ;;
  "") ;;
  *) echo "usage: $0 [--quick]" >&2; exit 64 ;;
esac

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
TARGET="$HERE/target"
PGDIR="$TARGET/pg"
PGDATA_DIR="$PGDIR/data"
PORT="${TOLLGATE_BENCH_PG_PORT:-55432}"
DB=tollgate_bench
JAR="$TARGET/tollgate-benchmarks.jar"
OUT="$HERE/results/latest.json"
STARTED_PG=0

if [[ $QUICK == 1 ]]; then
  MODE=quick
  JMH_OPTS=(-f 1 -wi 2 -w 1s -i 3 -r 1s)
  PGBENCH_SECONDS=10
else
  MODE=full
  JMH_OPTS=()   # each class's own @Fork/@Warmup/@Measurement
  PGBENCH_SECONDS=30
fi

log() { printf '[run.sh %s] %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# --- build -------------------------------------------------------------------------------------------
log "building (mvn -Pbenchmarks -pl benchmarks -am package -DskipTests)"
(cd "$ROOT" && mvn -B -q -Pbenchmarks -pl benchmarks -am package -DskipTests)

# --- PostgreSQL --------------------------------------------------------------------------------------
find_pg_bin() {
  local dir
  for dir in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/pgbench" ]]; then echo "$dir"; return 0; fi
  done
  return 1
}
if ! PG_BIN="$(find_pg_bin)"; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    log "installing postgresql-15 (apt-get)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 postgresql-contrib >/dev/null
    PG_BIN="$(find_pg_bin)"
  else
    echo "PostgreSQL 15 binaries not found: install Debian's postgresql-15 (or set up /usr/lib/postgresql/<v>/bin)" >&2
    exit 69
  fi
fi

as_pg() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_pg() {
  if [[ $STARTED_PG == 1 ]]; then
    log "stopping the PostgreSQL server started for this run"
    as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null || true
  fi
}
trap stop_pg EXIT

mkdir -p "$PGDIR"
if [[ $(id -u) == 0 ]]; then chown postgres "$PGDIR"; fi
if [[ ! -f "$PGDATA_DIR/PG_VERSION" ]]; then
  log "creating a PostgreSQL cluster in $PGDATA_DIR"
  as_pg "$PG_BIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C >"$PGDIR/initdb.log"
fi
if as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
  log "PostgreSQL already running on $PGDATA_DIR (left running at the end)"
else
  log "starting PostgreSQL on 127.0.0.1:$PORT"
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDIR/server.log" -w -t 60 start \
    -o "-p $PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PGDIR -c max_connections=100 \
        -c shared_buffers=256MB -c synchronous_commit=on -c max_wal_size=2GB" >/dev/null
  STARTED_PG=1
fi
PSQL=("$PG_BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q)
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
PG_VERSION="$("${PSQL[@]}" -d "$DB" -tAc 'SHOW server_version')"
export TOLLGATE_BENCH_JDBC_URL="jdbc:postgresql://127.0.0.1:$PORT/$DB"
export TOLLGATE_BENCH_JDBC_USER=postgres

# --- pgbench: the reference for pg_claim_complete ----------------------------------------------------
"${PSQL[@]}" -d "$DB" <<'SQL'
-- Shaped like Tollgate's webhooks.events (webhooks/src/main/resources/db/tollgate/webhooks/V1__webhook_events.sql):
-- same columns, types, primary key and partial indexes; keep the two in step.
CREATE TABLE pgbench_events (
    provider        text        NOT NULL,
    event_id        text        NOT NULL,
    event_type      text,
    state           text        NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0,
    lease_token     uuid,
    lease_until     timestamptz,
    next_attempt_at timestamptz NOT NULL,
    received_at     timestamptz NOT NULL,
    processed_at    timestamptz,
    last_error      text,
    payload         bytea,
    PRIMARY KEY (provider, event_id),
    CHECK (state IN ('pending', 'processing', 'processed', 'failed', 'dead'))
);
CREATE INDEX pgbench_events_due_idx ON pgbench_events (next_attempt_at) WHERE state IN ('pending', 'failed');
CREATE INDEX pgbench_events_lease_idx ON pgbench_events (lease_until) WHERE state = 'processing';
CREATE INDEX pgbench_events_processed_idx ON pgbench_events (processed_at) WHERE state = 'processed';
SQL
cat >"$TARGET/pgbench-insert.sql" <<'SQL'
\set r random(1, 9223372036854775806)
INSERT INTO pgbench_events (provider, event_id, event_type, state, attempts, next_attempt_at, received_at, processed_at, payload) VALUES ('stripe', 'evt_' || :r, 'customer.subscription.updated', 'processed', 1, now(), now(), now(), convert_to(repeat(md5(:r::text), 64), 'UTF8')) ON CONFLICT DO NOTHING;
SQL
PGBENCH_DESC="pgbench -n -M prepared -c 8 -j 2 -T $PGBENCH_SECONDS: one INSERT ... ON CONFLICT DO NOTHING (2 KB payload) per transaction into pgbench_events, shaped like webhooks.events; again with -c 32 (synchronous_commit=on), and with -c 8 and PGOPTIONS='-c synchronous_commit=off' (context)"
run_pgbench() { # clients log [PGOPTIONS]
  log "pgbench: $1 clients, $PGBENCH_SECONDS s${3:+, $3}"
  "${PSQL[@]}" -d "$DB" -c "TRUNCATE pgbench_events" # each run starts from the same empty table
  PGOPTIONS="${3:-}" "$PG_BIN/pgbench" -h 127.0.0.1 -p "$PORT" -U postgres -n -M prepared -c "$1" -j 2 \
    -T "$PGBENCH_SECONDS" -f "$TARGET/pgbench-insert.sql" "$DB" >"$2" 2>&1 || { cat "$2" >&2; exit 1; }
  grep '^tps' "$2" || true
}
run_pgbench 8 "$TARGET/pgbench.log"
run_pgbench 32 "$TARGET/pgbench-32.log"
run_pgbench 8 "$TARGET/pgbench-off.log" "-c synchronous_commit=off"

# --- JMH ---------------------------------------------------------------------------------------------
# Pass 1, synchronous_commit=on: every figure of the report; PartitionRetentionBenchmark with 10^6 rows (its
# 10^7-row trial and GateHostileIdsBenchmark run on demand: see benchmarks/README.md).
PASS1='dev\.tollgate\.benchmarks\.(StripeSignatureBenchmark|ClaimThroughputBenchmark|CamelJdbcBenchmark|JdbcFloorBenchmark|AsyncIntakeBenchmark|PipelineBenchmark|ClaimAllocationBenchmark|GateBenchmark|GateFilterBenchmark|ClaimLatencyBenchmark|ClaimDuringPurgeBenchmark|PartitionRetentionBenchmark)\.'
# Pass 2, synchronous_commit=off: the throughputs reported as *_off context.
PASS2='dev\.tollgate\.benchmarks\.(ClaimThroughputBenchmark\.claimComplete|CamelJdbcBenchmark\.addConfirm|JdbcFloorBenchmark\.insertInTransaction|AsyncIntakeBenchmark\.intake)$'
log "JMH pass 1 ($MODE, synchronous_commit=on): ${JMH_OPTS[*]:-class defaults} -prof gc"
java -jar "$JAR" -rf json -rff "$TARGET/jmh-result.json" -prof gc -p rows=1000000 ${JMH_OPTS[@]+"${JMH_OPTS[@]}"} \
  "$PASS1" | tee "$TARGET/jmh.log"
log "JMH pass 2 ($MODE, synchronous_commit=off)"
TOLLGATE_BENCH_JDBC_URL="$TOLLGATE_BENCH_JDBC_URL?options=-c%20synchronous_commit%3Doff" \
  java -jar "$JAR" -rf json -rff "$TARGET/jmh-result-off.json" ${JMH_OPTS[@]+"${JMH_OPTS[@]}"} \
  "$PASS2" | tee "$TARGET/jmh-off.log"

# --- report ------------------------------------------------------------------------------------------
log "writing $OUT"
java -cp "$JAR" dev.tollgate.benchmarks.report.ResultsReport \
  --jmh "$TARGET/jmh-result.json" --jmh-off "$TARGET/jmh-result-off.json" \
  --pgbench "$TARGET/pgbench.log" --pgbench-32 "$TARGET/pgbench-32.log" --pgbench-off "$TARGET/pgbench-off.log" \
  --postgres-version "$PG_VERSION" \
  --mode "$MODE" --jmh-options "-prof gc ${JMH_OPTS[*]:-(class defaults)}" --pgbench-options "$PGBENCH_DESC" \
  --out "$OUT"
