#!/usr/bin/env bash
# Runs a sweep as a Slurm job array on a single-node cluster started here on loopback
# (Debian's slurm-wlm and munge; daemons, keys, state and logs in a temporary directory),
# merges it and compares the table with a local -j 2 run of the same sweep. Stops the
# daemons it started.   tests/slurm_test.sh path/to/scbnn
set -uo pipefail
scbnn=$(realpath "$1")
for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool not found (scripts/deps.sh installs slurm-wlm and munge)"; exit 1; }
done
d=$(mktemp -d /tmp/scbnn_slurm.XXXXXX)
chmod 700 "$d"
pids=()
# Stops the daemons and waits until they are gone (not a fixed delay) before removing
# their directory: slurmctld and slurmd are our children; munged detached itself.
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  if [ -f "$d/munged.pid" ]; then
    local munged_pid
    munged_pid=$(cat "$d/munged.pid")
    kill "$munged_pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$munged_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$d"
}
trap cleanup EXIT

cat >"$d/spec.yaml" <<'YAML'
name: slurm-test
set: {run.images: 30, accel.mram.error_mode: ideal}
sweep:
  - points:
      - {accel.input_mode: fixed}
      - {accel.input_mode: stochastic, network.path: fmnist_bnn_sc8.scbnn}
  - product: {accel.sc.stream_length: [1, 0, 4]}
YAML
"$scbnn" sweep "$d/spec.yaml" -o "$d/local" -j 2 >/dev/null 2>&1
"$scbnn" merge "$d/local" >/dev/null || { echo "FAIL: local merge"; exit 1; }

head -c 1024 /dev/urandom >"$d/munge.key"
chmod 400 "$d/munge.key"
munged --force --key-file="$d/munge.key" --socket="$d/munge.sock" --pid-file="$d/munged.pid" \
  --log-file="$d/munged.log" --seed-file="$d/munged.seed" || { echo "FAIL: munged did not start"; exit 1; }
mkdir -p "$d/state" "$d/spool"
host=$(hostname -s)
user=$(id -un)
port=$((20000 + $$ % 20000))
cat >"$d/slurm.conf" <<CONF
ClusterName=scbnntest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
AuthType=auth/munge
AuthInfo=socket=$d/munge.sock
CredType=cred/munge
StateSaveLocation=$d/state
SlurmdSpoolDir=$d/spool
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldPort=$port
SlurmdPort=$((port + 1))
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=scbnn Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$d/slurm.conf
slurmctld -D -i >"$d/slurmctld.out" 2>&1 &
pids+=($!)
slurmd -D -N "$host" >"$d/slurmd.out" 2>&1 &
pids+=($!)
for _ in $(seq 240); do  # up to 2 minutes on a loaded machine
  sinfo -h -o %T 2>/dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o %T | grep -q idle || { echo "FAIL: the Slurm node did not come up"; tail "$d"/*.log; exit 1; }

# The recipe of docs/sweeps.md: one array task per shard, then one merge.
timeout 240 sbatch --wait --array=0-2 -o "$d/task_%a.out" \
  --wrap "\"$scbnn\" sweep \"$d/spec.yaml\" -o \"$d/slurm\" --shard \$SLURM_ARRAY_TASK_ID/3" >"$d/sbatch.out" 2>&1
grep -q "Submitted batch job" "$d/sbatch.out" || { echo "FAIL: sbatch: $(cat "$d/sbatch.out")"; exit 1; }
"$scbnn" merge "$d/slurm" >"$d/merge.out" || { echo "FAIL: merge of the Slurm run"; exit 1; }
if cmp -s "$d/local/results.csv" "$d/slurm/results.csv"; then
  echo "slurm: job array of 3 shards merged; table equals the local run's ($(cat "$d/merge.out"))"
else
  echo "FAIL: the Slurm run's table differs from the local run's"
  diff "$d/local/results.csv" "$d/slurm/results.csv" | head
  cat "$d"/task_*.out
  exit 1
fi
