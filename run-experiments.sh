#!/usr/bin/env bash
# aiobench: the one entry point. Builds what it needs, then runs a subcommand (see --help).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CLI_JAR="$ROOT/workloads/target/aiobench-cli.jar"
BENCH_JAR="$ROOT/benchmarks/target/benchmarks.jar"
ANALYSIS_JAR="$ROOT/analysis/target/aiobench-analysis.jar"

# File names are bytes; Java decodes them with the locale's charset, so a POSIX locale would turn non-ASCII
# names into '?'. C.UTF-8 is built into glibc.
case "${LC_ALL:-${LC_CTYPE:-${LANG:-}}}" in *UTF-8*|*utf8*) ;; *) export LC_ALL=C.UTF-8 ;; esac

die() { echo "run-experiments.sh: $*" >&2; exit 2; }

# The JDK: FFM (java.lang.foreign) needs 22 or later. JAVA_HOME first, then java on PATH, then the newest
# JDK in the system JVM directory (/usr/lib/jvm on Debian).
java_major() { # $1 = path to a java binary; prints its major version or nothing
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}
find_jdk() {
  local cand v best="" bestv=0
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && -x "$JAVA_HOME/bin/javac" ]]; then
    v=$(java_major "$JAVA_HOME/bin/java"); if [[ -n "$v" && "$v" -ge 22 ]]; then echo "$JAVA_HOME"; return 0; fi
  fi
  if command -v javac >/dev/null 2>&1 && command -v java >/dev/null 2>&1; then
    cand=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    v=$(java_major "$cand/bin/java"); if [[ -n "$v" && "$v" -ge 22 ]]; then echo "$cand"; return 0; fi
  fi
  for cand in /usr/lib/jvm/*/; do
    cand=${cand%/}
    [[ -x "$cand/bin/java" && -x "$cand/bin/javac" ]] || continue
    v=$(java_major "$cand/bin/java"); [[ -n "$v" ]] || continue
    if (( v >= 22 && v > bestv )); then best=$cand; bestv=$v; fi
  done
  [[ -n "$best" ]] && { echo "$best"; return 0; }
  return 1
}
use_jdk() {
  local jdk
  if ! jdk=$(find_jdk); then
    cat >&2 <<MSG
run-experiments.sh: no JDK 22 or later found (checked JAVA_HOME, java on PATH, /usr/lib/jvm).
aiobench calls the kernel through java.lang.foreign (FFM), final in JDK 22.
Install one (Debian 13: 'apt-get install openjdk-25-jdk'; Debian 12 has only 17: use Eclipse Temurin 22+),
or point JAVA_HOME at one.
MSG
    exit 2
  fi
  export JAVA_HOME="$jdk"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven 3.8 on JDK 24+ warns about sun.misc.Unsafe on every start; the warning is Maven's, not ours
  export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
}
mvn_cmd() {
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not installed: apt-get install maven"
  mvn -B -q "$@"
}

# What the experiments need beyond the JDK and Maven, as Debian packages: fio (the random-I/O groups' reference),
# GNU time (the peak memory of cp and the peers) and fonts (the figures' text; a headless JVM takes them from
# fontconfig). Prints the missing ones, space-separated.
GNU_TIME="${AIOBENCH_GNU_TIME:-/usr/bin/time}"
missing_packages() {
  local m=()
  command -v fio >/dev/null 2>&1 || m+=(fio)
  [[ -x "$GNU_TIME" ]] || m+=(time)
  if ! command -v fc-list >/dev/null 2>&1 || [[ -z "$(fc-list 2>/dev/null | head -1)" ]]; then
    m+=(fontconfig fonts-dejavu-core)
  fi
  echo "${m[*]}"
}

# Installs what missing_packages names where it can (root, with apt-get; not for a dry run, which changes nothing, nor
# with AIOBENCH_NO_INSTALL=1) and says what it installed; elsewhere prints the one command that would. Without them
# the run still goes: the fio reference is skipped and cp's peak memory left out, each with a warning.
ensure_packages() { # $1 = "dry" for a dry run
  local missing; missing=$(missing_packages)
  [[ -n "$missing" ]] || return 0
  if [[ "${1:-}" != dry && -z "${AIOBENCH_NO_INSTALL:-}" && "${EUID:-$(id -u)}" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "run-experiments.sh: installing what the experiments need: $missing (apt-get install; AIOBENCH_NO_INSTALL=1 skips this)" >&2
    if apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null 2>&1; then
      echo "run-experiments.sh: installed $missing" >&2
    else
      echo "run-experiments.sh: WARNING: could not install $missing; to try yourself: apt-get install -y $missing" >&2
    fi
  else
    local sudo=""; [[ "${EUID:-$(id -u)}" == 0 ]] || sudo="sudo "
    echo "run-experiments.sh: note: not installed: $missing (the fio reference, cp's peak memory or the figures' text" \
      "go without them); to install them: ${sudo}apt-get install -y $missing" >&2
  fi
}

# Running experiments hold a flock on this file (ScratchLock.EXPERIMENT_FILE); prints their pids, if any.
EXPERIMENT_LOCK=/tmp/aiobench-experiment.lock
experiment_pids() {
  [[ -e "$EXPERIMENT_LOCK" && -r /proc/locks ]] || return 0
  local maj min ino id
  read -r maj min ino < <(stat -c '%Hd %Ld %i' "$EXPERIMENT_LOCK" 2>/dev/null) || return 0
  id=$(printf '%02x:%02x:%s' "$maj" "$min" "$ino") # as /proc/locks writes a lock's file
  awk -v id="$id" '$2 == "FLOCK" && $6 == id { print $5 }' /proc/locks | sort -u | paste -sd' ' -
}

# The running experiments whose JVM runs this checkout's jars (its command line names a jar under $ROOT): only those
# keep this checkout from rebuilding them. An experiment of another checkout uses its own jars.
experiment_pids_here() {
  local pid here=()
  for pid in $(experiment_pids); do
    if [[ -r "/proc/$pid/cmdline" ]] && tr '\0' '\n' <"/proc/$pid/cmdline" | grep -q "^$ROOT/.*\.jar$"; then here+=("$pid"); fi
  done
  echo "${here[*]}"
}

# Whether a module's sources (src/ and pom.xml of each named module, and the parent pom) are newer than the jar.
# Only sources: what the build generates under target/ (JMH's generated benchmark sources) is not.
sources_newer() {
  local jar="$1" m dirs=("$ROOT/pom.xml"); shift
  [[ -f "$jar" ]] || return 0
  for m in "$@"; do dirs+=("$ROOT/$m/pom.xml" "$ROOT/$m/src"); done
  [[ -n "$(find "${dirs[@]}" \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit 2>/dev/null)" ]]
}

# Builds the CLI (engines, workloads) when its sources are newer than its jar. Only those modules: a running
# experiment's benchmarks.jar and analysis jar are never rewritten under it.
build_cli_if_needed() {
  if sources_newer "$CLI_JAR" engines workloads; then
    echo "building the aiobench CLI (mvn package, tests skipped) ..." >&2
    (cd "$ROOT" && mvn_cmd -pl workloads -am -DskipTests package) || die "build failed; run 'mvn -B package' for details"
  fi
}

# Builds every jar when benchmarks.jar or the analysis jar is out of date; never under a running experiment, which
# uses both.
build_experiments_if_needed() {
  if sources_newer "$BENCH_JAR" vocabulary engines workloads benchmarks || sources_newer "$ANALYSIS_JAR" vocabulary analysis; then
    local pids; pids=$(experiment_pids_here)
    [[ -z "$pids" ]] || die "the jars are out of date, but an aiobench experiment (pid $pids) is using them; not rebuilding them under it (wait until it finishes)"
    echo "building aiobench (mvn package, tests skipped) ..." >&2
    (cd "$ROOT" && mvn_cmd -DskipTests package) || die "build failed; run 'mvn -B package' for details"
  fi
}

# A throwaway PostgreSQL cluster for the store's tests (a real server, never a mock): initdb on a new temporary
# directory, a free port on loopback only, password authentication over TCP (the tests try a wrong one), fsync off
# (nothing in it outlives the tests). As root, initdb and the server run as the postgres user, which owns the
# directory. Sets AIOBENCH_TEST_PG to its JDBC URL; pg_throwaway_stop stops it and deletes the directory. Where no
# server can be started it says why and returns 1: the tests that need one are then skipped with that reason.
PG_THROWAWAY=""
pg_throwaway_start() {
  local initdb bin port tries as=() pw
  initdb=$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -1)
  [[ -z "$initdb" ]] && initdb=$(command -v initdb 2>/dev/null || true)
  if [[ -z "$initdb" ]]; then
    echo "run-experiments.sh: note: PostgreSQL is not installed (apt-get install postgresql): the store's PostgreSQL tests are skipped" >&2
    return 1
  fi
  bin=$(dirname "$(readlink -f "$initdb")")
  PG_THROWAWAY=$(mktemp -d "${TMPDIR:-/tmp}/aiobench-pg.XXXXXX") || return 1
  if [[ $(id -u) == 0 ]]; then
    if ! id postgres >/dev/null 2>&1 || ! command -v runuser >/dev/null 2>&1; then
      echo "run-experiments.sh: note: as root the test server runs as the user postgres, and there is none (or no runuser): the store's PostgreSQL tests are skipped" >&2
      rm -rf "$PG_THROWAWAY"; PG_THROWAWAY=""; return 1
    fi
    chown postgres: "$PG_THROWAWAY"
    as=(runuser -u postgres --)
  fi
  pw="aiobench-test-$RANDOM$RANDOM"
  printf '%s\n' "$pw" > "$PG_THROWAWAY/pw" && chmod 600 "$PG_THROWAWAY/pw"
  [[ ${#as[@]} -gt 0 ]] && chown postgres: "$PG_THROWAWAY/pw"
  if ! "${as[@]}" "$bin/initdb" -D "$PG_THROWAWAY/data" -U aiobench --pwfile="$PG_THROWAWAY/pw" -E UTF8 \
       --auth-local=trust --auth-host=scram-sha-256 >"$PG_THROWAWAY/initdb.log" 2>&1; then
    echo "run-experiments.sh: note: initdb failed ($(tail -1 "$PG_THROWAWAY/initdb.log")): the store's PostgreSQL tests are skipped" >&2
    pg_throwaway_stop; return 1
  fi
  for tries in 1 2 3 4 5; do
    port=$(( 20000 + RANDOM % 40000 ))
    if "${as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY/data" -l "$PG_THROWAWAY/server.log" -w -t 60 \
         -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_THROWAWAY -c fsync=off" \
         start >/dev/null 2>&1; then
      export AIOBENCH_TEST_PG="jdbc:postgresql://127.0.0.1:$port/postgres?user=aiobench&password=$pw"
      echo "run-experiments.sh: a throwaway PostgreSQL server for the store's tests on 127.0.0.1:$port ($PG_THROWAWAY)" >&2
      return 0
    fi
  done
  echo "run-experiments.sh: note: the PostgreSQL server did not start ($(tail -1 "$PG_THROWAWAY/server.log" 2>/dev/null)): the store's PostgreSQL tests are skipped" >&2
  pg_throwaway_stop; return 1
}
pg_throwaway_stop() {
  [[ -n "$PG_THROWAWAY" && -d "$PG_THROWAWAY" ]] || return 0
  local bin as=()
  [[ $(id -u) == 0 ]] && as=(runuser -u postgres --)
  bin=$(dirname "$(readlink -f "$(ls -d /usr/lib/postgresql/*/bin/pg_ctl 2>/dev/null | sort -V | tail -1)")")
  if [[ -f "$PG_THROWAWAY/data/postmaster.pid" ]]; then
    "${as[@]}" "$bin/pg_ctl" -D "$PG_THROWAWAY/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_THROWAWAY"
  PG_THROWAWAY=""
  unset AIOBENCH_TEST_PG
}

# the CLI's scratch directory (randio's target) is the repository's, wherever the script is called from
cli() { java --enable-native-access=ALL-UNNAMED -Daiobench.scratch="$ROOT/scratch" -jar "$CLI_JAR" "$@"; }

# The experiments: benchmarks.jar's runner (options: ./run-experiments.sh --help-run), then the figures when
# the analysis module is built. The runner names the run directory (unique, to the second) and tells it through
# --run-dir-file once it has created it; a refused run (exit 2) creates none, and nothing is plotted.
experiments() {
  local dirfile rc=0 run=""
  dirfile=$(mktemp "${TMPDIR:-/tmp}/aiobench-run.XXXXXX") || die "cannot create a temporary file"
  # JMH uses sun.misc.Unsafe; JDK 23+ warns about it unless allowed (the option does not exist before 23)
  local jvm=(--enable-native-access=ALL-UNNAMED)
  (( $(java_major "$JAVA_HOME/bin/java") >= 23 )) && jvm+=(--sun-misc-unsafe-memory-access=allow)
  # its progress lines wrap to the terminal's width (bash does not export COLUMNS; a pipe has no width)
  if [[ -t 1 ]]; then
    local cols; cols=$(tput cols 2>/dev/null || stty size 2>/dev/null </dev/tty | cut -d' ' -f2) || true
    [[ "$cols" =~ ^[0-9]+$ ]] && export COLUMNS="$cols"
  fi
  java "${jvm[@]}" -cp "$BENCH_JAR" org.aiobench.benchmarks.run.ExperimentRunner \
    --repo "$ROOT" --run-dir-file "$dirfile" --analysis-jar "$ANALYSIS_JAR" "$@" || rc=$?
  run=$(cat "$dirfile" 2>/dev/null || true)
  rm -f "$dirfile"
  if (( rc == 2 )) || [[ -z "$run" ]]; then exit "$rc"; fi
  if (( rc >= 128 )); then
    # interrupted (Ctrl-C, kill): every finished fork's samples are kept; the figures wait for the complete run
    echo "run-experiments.sh: interrupted; every sample taken so far is kept in $run" >&2
    echo "run-experiments.sh: to finish it: ./run-experiments.sh --resume $run" >&2
    exit "$rc"
  fi
  if ! grep -q '"state" *: *"complete"' "$run/progress.json" 2>/dev/null; then
    # the runner stopped on an error of its own: what it measured is kept, the figures wait for the complete run
    echo "run-experiments.sh: the run did not complete (see $run/run.log); to finish it: ./run-experiments.sh --resume $run" >&2
    exit "$rc"
  fi
  if [[ -f "$ANALYSIS_JAR" ]]; then
    echo "rendering the figures: java -jar analysis/target/aiobench-analysis.jar $run"
    java -Djava.awt.headless=true -jar "$ANALYSIS_JAR" "$run" || { echo "run-experiments.sh: the plot step failed (the results are kept in $run)" >&2; rc=1; }
  else
    echo "no figures: the analysis module is not built ($ANALYSIS_JAR missing)"
  fi
  exit "$rc"
}

usage() {
  cat <<'USAGE'
usage: ./run-experiments.sh [--quick] [--suite NAME[,NAME]] [--rounds N] [--dir PATH] [--results DIR] [--resume RUN]
                            [--peer NAME='COMMAND {src} {dst}' ...]
       ./run-experiments.sh SUBCOMMAND [OPTIONS]

Without a subcommand: the experiments of both studies (file copy; random I/O against fio) in rounds (all of them at
the papers' scale, 10 rounds, hours; --quick: a reduced matrix in 3 rounds,
25 minutes as --dry-run plans it, less in practice), results in
results/<date>T<time>-<host>-<kernel>/ (see results/README.md), then the figures if the analysis module is built.
--dry-run prints the plan and its estimated time; --help-run lists every option of the experiment runner.

Subcommands:
  gen-tree   generate a seeded test tree with a manifest       (gen-tree --help)
  copy       copy a tree with one engine (or --peer) and verify it (copy --help)
  randio     random I/O with one engine, fio-style summary      (randio --help)
  probe      what this kernel offers: io_uring flags, opcodes, AIO, O_DIRECT (probe --help)
  plot       render figures and report.html from a results directory   (plot RUN_DIR)
  compare    what got slower or faster from one kernel's runs to another's, environment differences first
             (compare --base RUN... --new RUN..., two runs a side or more; exit 1 when something is slower;
             compare --calibrate RUN RUN... records a box's noise floor from identical runs)
  history    runs in kernel order, a trend figure per configuration, the significant steps marked, a CSV
             (history RUN... or history results/, or history --db [URL] --box NAME)
  store      a lab's runs in one database: store add RUN... [--db URL], store list, store export --format
             otava|bencher|github-action-benchmark|kcidb (SQLite results/aiobench.db, or PostgreSQL: --db or AIOBENCH_DB)
  test       run the test suite (JUnit, a few minutes)

Every subcommand takes --help. Exit status 2 means bad input or a missing requirement.
USAGE
}

main() {
  local sub="${1:-}"
  case "$sub" in
    -h|--help|help) usage; exit 0 ;;
    test)
      shift; use_jdk
      # the store's PostgreSQL tests need a server: the one named by AIOBENCH_TEST_PG (.ci/run starts one), else a
      # throwaway cluster of our own for this test run
      if [[ -z "${AIOBENCH_TEST_PG:-}" ]]; then
        trap pg_throwaway_stop EXIT
        pg_throwaway_start || true
      fi
      local pids goal=verify rc=0; pids=$(experiment_pids)
      if [[ -n "$pids" ]]; then
        # verify would repackage benchmarks.jar and the analysis jar under the experiment; test stops before packaging
        echo "run-experiments.sh: note: an aiobench experiment is running on this machine (pid $pids): the tests disturb its measurement; running 'mvn test' so the jars it uses are not rebuilt" >&2
        goal=test
      fi
      cd "$ROOT" && mvn -B "$goal" "$@" || rc=$?
      exit "$rc" ;;
    gen-tree|copy|randio|probe)
      use_jdk; build_cli_if_needed; cli "$@" ;;
    plot|compare|history|store)
      # plot RUN_DIR: figures/, report.html and report.md from the run directory's files alone;
      # compare and history: their own output directory, from run directories (or the store, --db);
      # store: run directories into the store (SQLite in results/ by default, PostgreSQL for a lab), and out of it
      shift; use_jdk
      if sources_newer "$ANALYSIS_JAR" vocabulary analysis; then
        [[ -z "$(experiment_pids_here)" ]] || die "the analysis module is out of date, but a running aiobench experiment uses its jar; not rebuilding it under it"
        echo "building the analysis module (mvn package, tests skipped) ..." >&2
        (cd "$ROOT" && mvn_cmd -pl analysis -am -DskipTests package) || die "analysis build failed; run 'mvn -B -pl analysis -am package' for details"
      fi
      # the store's SQLite driver loads its native library (JNI); the default store lives in the repository's results/
      local pj=(java -Djava.awt.headless=true --enable-native-access=ALL-UNNAMED -Daiobench.results="$ROOT/results")
      case "$sub" in
        plot) exec "${pj[@]}" -jar "$ANALYSIS_JAR" "$@" ;;
        compare)
          # the terminal's width, which compare fits its text to (COLUMNS is the shell's, not exported)
          [[ -t 1 ]] && COLUMNS=$(tput cols 2>/dev/null || echo "${COLUMNS:-}") && export COLUMNS
          exec "${pj[@]}" -cp "$ANALYSIS_JAR" org.aiobench.analysis.comparison.CompareMain "$@" ;;
        history) exec "${pj[@]}" -cp "$ANALYSIS_JAR" org.aiobench.analysis.history.HistoryMain "$@" ;;
        store) exec "${pj[@]}" -cp "$ANALYSIS_JAR" org.aiobench.analysis.store.StoreMain "$@" ;;
      esac ;;
    ""|--*)
      use_jdk; build_experiments_if_needed
      if [[ "$sub" == "--help-run" ]]; then
        exec java -cp "$BENCH_JAR" org.aiobench.benchmarks.run.ExperimentRunner --help
      fi
      local a dry=""
      for a in "$@"; do [[ "$a" == --dry-run || "$a" == --help || "$a" == -h ]] && dry=dry; done
      ensure_packages "$dry"
      experiments "$@" ;;
    *)
      echo "run-experiments.sh: unknown subcommand '$sub'" >&2; usage >&2; exit 2 ;;
  esac
}
# sourced (by RunScriptTest) only to define the functions
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then main "$@"; fi
