# shellcheck shell=bash
# Shell functions shared by bench/run and bench/proxy; sourced, never run. The caller sets ROOT
# (the checkout) and KEEP (1: keep the temp dir), and runs with `set -euo pipefail`.
#
# Everything started with start_berth / start_distribution is stopped by pid on exit
# (bench_workdir's trap); the temp dir $W is removed unless KEEP=1.

JAR=$ROOT/admin-api/target/berth.jar
TEST_IMAGES=$ROOT/cache-store/src/test/java/io/berth/store/testing/TestImages.java

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 1; }
# Problems go to a file: they are also reported from inside $(...) subshells.
problem() { echo "$*" >>"$W/problems"; log "PROBLEM: $*"; }

# require_tools COMMAND:PACKAGE...: dies naming the Debian packages of the commands that are missing.
require_tools() {
  local t missing=()
  for t in "$@"; do command -v "${t%%:*}" >/dev/null || missing+=("${t#*:}"); done
  if [[ ${#missing[@]} -gt 0 ]]; then die "missing tools; install them with: apt-get install -y ${missing[*]}"; fi
  [[ $(id -u) == 0 ]] || die "run as root (skopeo runs in a private mount namespace: unshare -m + mount --bind)"
}

# find_java: sets JAVA to a Java 21+ binary (JAVA_HOME first, then PATH, then /usr/lib/jvm).
java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }
find_java() {
  local cand m
  JAVA=""
  for cand in ${JAVA_HOME:+$JAVA_HOME/bin/java} $(command -v java || true) /usr/lib/jvm/*/bin/java; do
    [[ -x $cand ]] || continue
    m=$(java_major "$cand"); [[ -n $m && $m -ge 21 ]] && { JAVA=$cand; break; }
  done
  [[ -n $JAVA ]] || die "no Java 21+ found (set JAVA_HOME)"
}

# ensure_jar [HINT]: builds $JAR with ./berth build when it is missing; HINT ends the message if that fails.
ensure_jar() {
  [[ -f $JAR ]] && return 0
  if [[ -x $ROOT/berth ]]; then
    log "$JAR is missing: building it with ./berth build"
    (cd "$ROOT" && ./berth build) || die "build failed; fix it${1:+, or $1}"
  fi
  [[ -f $JAR ]] || die "$JAR is missing: build it (./berth build)${1:+, or $1}"
}

# ---- temp dir, processes, cleanup ---------------------------------------------------------
declare -A PORT PID
PIDS=()        # everything started, stopped by pid on exit
EXTRA_DIRS=()  # removed on exit with $W (unless KEEP=1)

# stop_pid PID: TERM, up to 5 s, then KILL; reaps it and forgets it.
stop_pid() {
  local pid=$1 i rest=()
  kill "$pid" 2>/dev/null || true
  for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for i in "${PIDS[@]}"; do [[ $i == "$pid" ]] || rest+=("$i"); done
  PIDS=(${rest[@]+"${rest[@]}"})
}

cleanup() {
  local pid
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do kill "$pid" 2>/dev/null || true; done
  for pid in ${PIDS[@]+"${PIDS[@]}"}; do stop_pid "$pid"; done
  if [[ ${KEEP:-0} == 1 ]]; then log "kept $W ${EXTRA_DIRS[*]:-}"; else rm -rf "$W" ${EXTRA_DIRS[@]+"${EXTRA_DIRS[@]}"}; fi
}

# bench_workdir: makes the temp dir $W (with logs/) and sets the exit trap.
bench_workdir() {
  W=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/berth-bench.XXXXXX")
  trap cleanup EXIT
  trap 'exit 130' INT TERM
  mkdir -p "$W/logs"
}

USED_PORTS=" "
# take_port NAME: PORT[NAME] becomes a free port on 127.0.0.1 that no other NAME got, below the
# kernel's ephemeral range, so that no client connection of the run takes it before the server binds.
take_port() {
  local p low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  for p in $(shuf -i 10000-$((low > 12000 ? low - 1 : 45000)) -n 200); do
    [[ $USED_PORTS == *" $p "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then USED_PORTS+="$p "; PORT[$1]=$p; return; fi
  done
  die "no free port"
}

# wait_http NAME PID URL [LOG]: until URL answers 200/401 (60 s), or the process died; on failure the
# last lines of $W/logs/LOG.log (LOG defaults to NAME).
wait_http() {
  local name=$1 pid=$2 url=$3 file="$W/logs/${4:-$1}.log" code i
  for i in $(seq 600); do
    kill -0 "$pid" 2>/dev/null || { log "$name exited; last log lines:"; tail -n 30 "$file" >&2; return 1; }
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$url" || true)
    [[ $code == 200 || $code == 401 ]] && return 0
    sleep 0.1
  done
  log "$name did not answer $url within 60 s"; tail -n 30 "$file" >&2; return 1
}

# ---- test images --------------------------------------------------------------------------
ti() { "$JAVA" "$TEST_IMAGES" "$@"; }
# field NAME KEY N: field N of the first line starting with KEY in $W/NAME.txt (TestImages' output).
field() { awk -v k="$2" -v n="$3" '$1 == k { print $n; exit }' "$W/$1.txt"; }
# image_bytes NAME: the bytes of the config and layers listed in $W/NAME.txt.
image_bytes() { awk '$1 == "layer" || $1 == "config" { s += $3 } END { print s }' "$W/$1.txt"; }
mib() { awk -v b="$1" 'BEGIN { m = b / 1048576; if (m >= 10) printf "%.0f", m; else printf "%.1f", m }'; }

# ---- servers ------------------------------------------------------------------------------
# start_berth [NAME]: Berth from a copy of $JAR on 127.0.0.1 (PORT[NAME], admin API on PORT[NAME-admin]),
# data in $W/NAME, log in $W/logs/NAME.log; NAME is "berth" unless given (bench/replication runs two).
# Authentication on when AUTH=1 (admin password $BENCH_PW). Sets PID[NAME]. BERTH_HEAP /
# BERTH_DIRECT_MEMORY as for ./berth; a size in BENCH_BERTH_JAVA_OPTS wins over them.
start_berth() {
  local memory name=${1:-berth}
  take_port "$name"; take_port "$name-admin"; take_port "$name-ops"; mkdir -p "$W/$name"
  [[ -f $W/berth.jar ]] || cp "$JAR" "$W/berth.jar"   # a rebuild during the run must not pull the jar from under the JVM
  # shellcheck disable=SC2086 # flag lists, split on white space on purpose
  memory=$("$ROOT/scripts/jvm-memory-flags" ${BENCH_BERTH_JAVA_OPTS:-}) || die "bad memory settings"
  # shellcheck disable=SC2086
  ( cd "$ROOT" && exec env BERTH_REGISTRY_PORT="${PORT[$name]}" BERTH_ADMIN_PORT="${PORT[$name-admin]}" \
      BERTH_OPS_PORT="${PORT[$name-ops]}" BERTH_REGISTRY_BIND=127.0.0.1 BERTH_ADMIN_BIND=127.0.0.1 \
      BERTH_DATA_DIR="$W/$name" BERTH_LOG_LEVEL=WARN \
      BERTH_AUTH_ENABLED="$([[ ${AUTH:-0} == 1 ]] && echo true || echo false)" BERTH_ADMIN_PASSWORD="${BENCH_PW:-}" \
      "$JAVA" "@$ROOT/conf/jvm.options" $memory ${BENCH_BERTH_JAVA_OPTS:-} -jar "$W/berth.jar" server conf/berth.yml ) \
    >"$W/logs/$name.log" 2>&1 &
  PID[$name]=$!; PIDS+=("${PID[$name]}")
}

# start_distribution NAME STORAGE_DIR [ACCESS_LOG] [REMOTE_URL]: CNCF Distribution on 127.0.0.1
# (PORT[NAME], kept over restarts), filesystem storage in STORAGE_DIR, in-memory blob descriptor
# cache; ACCESS_LOG=on writes its access log (combined format) to $W/logs/NAME.access.log;
# REMOTE_URL makes it a pull-through proxy of that registry. Sets PID[NAME]; log in $W/logs/NAME.log.
start_distribution() {
  local name=$1 dir=$2 access=${3:-off} remote=${4:-}
  [[ -n ${PORT[$name]:-} ]] || take_port "$name"
  mkdir -p "$dir"
  {
    cat <<EOF
version: 0.1
log:
  level: error
  accesslog:
    disabled: $([[ $access == on ]] && echo false || echo true)
storage:
  filesystem:
    rootdirectory: $dir
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: 127.0.0.1:${PORT[$name]}
  secret: berth-bench-only
EOF
    if [[ -n $remote ]]; then printf 'proxy:\n  remoteurl: %s\n' "$remote"; fi
  } >"$W/$name.yml"
  docker-registry serve "$W/$name.yml" >>"$W/logs/$name.access.log" 2>>"$W/logs/$name.log" &
  PID[$name]=$!; PIDS+=("${PID[$name]}")
}

# sk ARGS: skopeo in a private mount namespace with a fresh empty blob-info cache (under SK_CACHE_DIR,
# default $W), so it uploads everything.
sk() {
  local cache; cache=$(mktemp -d "${SK_CACHE_DIR:-$W}/skcache.XXXXXX"); mkdir -p /var/lib/containers/cache
  timeout 1200 unshare -m -- sh -c 'mount --bind "$1" /var/lib/containers/cache && shift && exec skopeo "$@"' \
    sh "$cache" "$@"
}

# ---- measurements and the table -------------------------------------------------------------
declare -A R   # R[metric,column] = " v1 v2 ..." (one per run; ERR when it failed)
add() { R[$1,$2]+=" $3"; }
now() { date +%s.%N; }
# since T0: seconds from T0 (a `now`) until now, two decimals.
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f\n", b - a }'; }
# peak resident memory (VmHWM) of a process, MiB; reset_hwm restarts that peak from now.
hwm() { awk '/^VmHWM:/ { printf "%.0f\n", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo ERR; }
# cpu_s PID: the CPU seconds (user + system) that process has used so far.
cpu_s() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f\n", ($12 + $13) / hz }' "/proc/$1/stat" 2>/dev/null || echo ERR; }
reset_hwm() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || problem "cannot reset the peak RSS of pid $1"; }
median() { tr ' ' '\n' | awk 'NF && $1 != "ERR"' | sort -g | awk '{ a[NR] = $1 } END {
  if (NR == 0) { print "ERR"; exit } m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
  printf (m >= 100 ? "%.0f\n" : m >= 10 ? "%.1f\n" : "%.2f\n"), m }'; }
cell() { if [[ -z ${R[$1,$2]:-} ]]; then echo "-"; else median <<<"${R[$1,$2]}"; fi; }
# delta A B: B - A, two decimals ("-" when either is not a number).
delta() { awk -v a="$1" -v b="$2" 'BEGIN { if (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/) printf "%.2f", b - a; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }

# print_problems: lists $W/problems, if any, and then exits 1.
print_problems() {
  if [[ -s $W/problems ]]; then
    echo; echo "Problems ($(wc -l <"$W/problems")):"; sed 's/^/  - /' "$W/problems"
    exit 1
  fi
}
