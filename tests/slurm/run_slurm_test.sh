#!/bin/bash
# End-to-end test of `npusim sweep --slurm` on a real single-node Slurm cluster on localhost.
#
# Installs Debian's slurmctld, slurmd, slurm-client and munge when they are missing (root and apt-get
# needed; otherwise exit 77, which ctest reports as skipped). A machine that cannot run a cluster (not
# root, munged or slurmd failing to start, the node never coming up: no cgroups, no systemd, a sandbox)
# also gives exit 77 with the reason and the daemons' last log lines; once the node is up, any wrong
# result fails. Nothing depends on the host name resolving: the node is "npusimnode" at 127.0.0.1. Starts munged, slurmctld and slurmd in the
# foreground from a private temp folder (own munge key and socket, own ports, SLURM_CONF exported),
# runs a small sweep as a job array and checks the merged results equal a local run point for point;
# then cancels two array tasks of a second submission and checks that a re-run resumes only the
# missing points. The trap cancels what is left and stops exactly the daemons this script started.
#
# usage: tests/slurm/run_slurm_test.sh PATH/TO/npusim
set -u

NPUSIM=${1:?usage: run_slurm_test.sh PATH/TO/npusim}
NPUSIM=$(readlink -f "$NPUSIM")
[ "$(id -u)" = 0 ] || { echo "slurm-test: SKIP: slurmd must run as root to launch jobs; this user is $(id -un)"; exit 77; }
readonly SKIP=77
readonly WAIT_S=180

log() { echo "slurm-test: $*"; }
skip() { echo "slurm-test: SKIP: $*"; exit "$SKIP"; }
# The environment cannot host the cluster: skip, with the reason and the daemons' last words.
skip_env() {
  for f in "${T:-/nonexistent}"/*.log; do
    [ -f "$f" ] && { echo "---- $f (last 5 lines)"; tail -n 5 "$f"; }
  done
  skip "$*"
}
fail() {
  echo "slurm-test: FAIL: $*"
  for f in "${T:-/nonexistent}"/*.log "${T:-/nonexistent}"/*/slurm/task-*.log; do
    [ -f "$f" ] && { echo "---- $f (last 15 lines)"; tail -n 15 "$f"; }
  done
  exit 1
}

# ---- 1. Slurm and munge, installed if needed -------------------------------------------------------
have_all() {
  for tool in slurmctld slurmd sbatch squeue scancel scontrol sinfo munged; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || return 1
  done
}
export PATH="$PATH:/usr/sbin:/sbin"
if ! have_all; then
  [ "$(id -u)" = 0 ] || skip "Slurm is not installed and installing it needs root"
  command -v apt-get >/dev/null 2>&1 || skip "Slurm is not installed and there is no apt-get"
  log "installing slurmctld slurmd slurm-client munge with apt-get"
  # Keep the packages' maintainer scripts from starting system daemons (the test runs its own).
  policy_added=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d && policy_added=1
  fi
  install_log=$(mktemp)
  install() {
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -q --no-install-recommends \
      slurmctld slurmd slurm-client munge >>"$install_log" 2>&1
  }
  install || { DEBIAN_FRONTEND=noninteractive timeout 300 apt-get update -q >>"$install_log" 2>&1 && install; }
  status=$?
  [ "$policy_added" = 1 ] && rm -f /usr/sbin/policy-rc.d
  if [ "$status" != 0 ] || ! have_all; then
    tail -n 5 "$install_log"
    rm -f "$install_log"
    skip "apt-get could not install slurmctld slurmd slurm-client munge"
  fi
  rm -f "$install_log"
fi

# ---- 2. A private single-node cluster --------------------------------------------------------------
T=$(mktemp -d /tmp/npusim-slurm.XXXXXX)
chmod 700 "$T"
PIDS=()
cleanup() {
  if [ -n "${SLURM_CONF:-}" ] && [ -f "$SLURM_CONF" ]; then
    timeout 20 scancel --quiet --user="$(id -un)" >/dev/null 2>&1 || true
  fi
  # Stop exactly the daemons started here, newest first: TERM, then KILL after 10 s.
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    pid=${PIDS[$i]}
    kill -TERM "$pid" 2>/dev/null || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  [ "${KEEP_SLURM_TEST_DIR:-0}" = 1 ] && log "kept $T" || rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

mkdir -p "$T/munge" "$T/state" "$T/spool"
chmod 700 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1024 count=1 status=none
chmod 400 "$T/munge/munge.key"
MUNGED=$(command -v munged || echo /usr/sbin/munged)
"$MUNGED" --foreground --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.socket" \
  --pid-file="$T/munge/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munge/munge.seed" \
  >>"$T/munged.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$T/munge/munge.socket" ] && break; sleep 0.1; done
[ -S "$T/munge/munge.socket" ] || skip_env "munged did not start (no socket)"

HOST=$(hostname -s)  # slurmctld must run on the host it is configured for; its address is fixed below
NODE=npusimnode      # slurmd is started as this node (-N), so the node needs no resolvable name
CPUS=$(nproc)
PORT=$(( 20000 + RANDOM % 20000 ))
cat > "$T/slurm.conf" <<EOF
ClusterName=npusimtest
SlurmctldHost=${HOST}(127.0.0.1)
SlurmctldPort=${PORT}
SlurmdPort=$(( PORT + 1 ))
SlurmUser=$(id -un)
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.socket
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
SlurmdTimeout=30
MinJobAge=30
NodeName=${NODE} NodeAddr=127.0.0.1 NodeHostname=${HOST} CPUs=${CPUS} State=UNKNOWN
PartitionName=debug Nodes=${NODE} Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$T/slurm.conf"

SLURMCTLD=$(command -v slurmctld || echo /usr/sbin/slurmctld)
SLURMD=$(command -v slurmd || echo /usr/sbin/slurmd)
"$SLURMCTLD" -D -i -f "$SLURM_CONF" >>"$T/slurmctld.log" 2>&1 &
CTLD_PID=$!
PIDS+=($CTLD_PID)
"$SLURMD" -D -N "$NODE" -f "$SLURM_CONF" >>"$T/slurmd.log" 2>&1 &
SLURMD_PID=$!
PIDS+=($SLURMD_PID)

node_up=0
for _ in $(seq $(( WAIT_S * 2 ))); do
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null | head -n 1)
  case "$state" in idle|mixed|allocated) node_up=1; break ;; esac
  kill -0 "$CTLD_PID" 2>/dev/null || skip_env "slurmctld exited while starting: this machine cannot host it"
  kill -0 "$SLURMD_PID" 2>/dev/null || skip_env "slurmd exited while starting (cgroups or privileges missing?)"
  sleep 0.5
done
[ "$node_up" = 1 ] || skip_env "the node did not come up in ${WAIT_S} s (state '${state:-none}')"
log "cluster up: node $NODE on $HOST, $CPUS CPUs, slurmctld port $PORT"

# ---- 3. A sweep on the cluster equals the same sweep run locally ---------------------------------
cat > "$T/spec.json" <<'EOF'
{
  "name": "slurm-test",
  "npu": "edge-int8",
  "axes": [
    {"path": "npu.array.rows", "values": [8, 16, 32, 64]},
    {"path": "npu.dram.bandwidth_gbytes_per_s", "values": [12.8, 25.6, 51.2]}
  ],
  "workloads": ["gemm:m=64,n=64,k=64"]
}
EOF
POINTS=12
cd "$T" || fail "cannot enter $T"
"$NPUSIM" sweep "$T/spec.json" -j 2 --out "$T/local" >"$T/local.log" 2>&1 || fail "local sweep failed"

"$NPUSIM" sweep "$T/spec.json" --out "$T/array" --slurm --array-tasks 4 --array-parallelism 2 \
  --slurm-timeout "$WAIT_S" >"$T/array.log" 2>&1 || fail "sweep --slurm exited $? ($(tail -n 1 "$T/array.log"))"
grep -q "^#SBATCH --array=0-3%2$" "$T/array/slurm/sweep.sbatch" || fail "unexpected --array line"
check_equal() {  # DIR: merged results equal the local run, every point once
  local dir=$1
  [ "$(wc -l < "$dir/results.jsonl")" = "$POINTS" ] || fail "$dir/results.jsonl: expected $POINTS lines"
  local ids
  ids=$(grep -o '"id":"[0-9a-f]*"' "$dir/results.jsonl" | sort | uniq | wc -l)
  [ "$ids" = "$POINTS" ] || fail "$dir/results.jsonl: $ids distinct ids, expected $POINTS"
  cmp -s "$dir/results.csv" "$T/local/results.csv" || fail "$dir/results.csv differs from the local run"
}
check_equal "$T/array"
log "job array: $POINTS points merged, equal to the local run"

# ---- 4. Cancelled array tasks: the re-run resubmits only the missing points -----------------------
"$NPUSIM" sweep "$T/spec.json" --out "$T/cancel" --slurm-script --array-tasks 4 >"$T/cancel.log" 2>&1 \
  || fail "sweep --slurm-script failed"
job=$(sbatch --parsable --hold "$T/cancel/slurm/sweep.sbatch") || fail "sbatch --hold failed"
job=${job%%;*}
scancel "${job}_1" "${job}_3" || fail "scancel of array tasks failed"
scontrol release "$job" >/dev/null 2>&1 || fail "scontrol release failed"
for _ in $(seq $(( WAIT_S * 2 ))); do
  [ -z "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -j "$job" -o %i 2>/dev/null)" ] || fail "job $job did not finish in ${WAIT_S} s"
"$NPUSIM" sweep "$T/spec.json" --out "$T/cancel" --merge >"$T/merge.log" 2>&1
merge_status=$?
[ "$merge_status" = 1 ] || fail "--merge after cancelled tasks exited $merge_status, expected 1 (points missing)"
recorded=$(wc -l < "$T/cancel/results.jsonl")
[ "$recorded" = 6 ] || fail "expected 6 points from the 2 tasks that ran, got $recorded"
"$NPUSIM" sweep "$T/spec.json" --out "$T/cancel" --slurm --slurm-timeout "$WAIT_S" >"$T/resume.log" 2>&1 \
  || fail "resumed sweep --slurm exited $? ($(tail -n 1 "$T/resume.log"))"
grep -q "6 already recorded, 6 to run on Slurm" "$T/resume.log" || fail "the resume did not run exactly the 6 missing points"
check_equal "$T/cancel"
log "cancelled tasks: resumed the 6 missing points, equal to the local run"

# Slurm missing from PATH: one-line error, exit 2.
PATH=/nonexistent "$NPUSIM" sweep "$T/spec.json" --out "$T/none" --slurm >"$T/none.log" 2>&1
[ $? = 2 ] && [ "$(wc -l < "$T/none.log")" = 1 ] || fail "--slurm without sbatch on PATH: expected one line and exit 2"
log "PASS"
exit 0
