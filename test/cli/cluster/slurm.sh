#!/usr/bin/env bash
# A throwaway single-node Slurm cluster (munged + slurmctld + slurmd on this host) for tests that
# submit real sbatch array jobs.
#
#   slurm.sh check        exit 0 if the daemons (slurmctld, slurmd, munged) and the client tools (sbatch,
#                         sinfo, squeue, scontrol, scancel, munge, unmunge) are installed, else 1 naming
#                         the missing ones (Debian: apt-get install slurm-wlm munge)
#   slurm.sh start DIR    write every config, key, state, spool and log file under DIR, start the three
#                         daemons, wait until sinfo shows the node idle, and print on stdout the environment
#                         a client needs, one VAR=value line each (today only SLURM_CONF=DIR/slurm.conf).
#                         If the cluster in DIR is already up it just prints that again.
#   slurm.sh stop DIR     cancel any jobs, stop the daemons started from DIR (by their pid files under
#                         DIR/run) and wait for them to exit. Safe to run when nothing is running.
#   slurm.sh env DIR      print the client environment for DIR (no checks).
#
# Needs root: munged and the Slurm daemons run as root (SlurmUser=root) so that slurmd can start jobs
# for any user and no system account or /etc file has to be set up. Nothing is written outside DIR
# (the client tools and the daemons find everything through SLURM_CONF / -f; munge's socket is given
# to Slurm with AuthInfo=socket=...). Unix socket paths are limited to 107 bytes, so keep DIR short.
#
# Environment knobs: SLURM_START_TIMEOUT (seconds to wait for the node to be idle, default 60),
# SLURMCTLD_PORT / SLURMD_PORT (default: the first free pair from 6817/6818 upward).
set -Eeuo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
trap 'echo "slurm.sh: unexpected failure (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

readonly CLUSTER_NAME=blockspin
readonly PARTITION=debug

die() {
  echo "slurm.sh: $*" >&2
  exit 1
}

# Prints the last lines of a log file to stderr, indented, if it exists.
log_tail() {
  local file=$1
  if [ -s "$file" ]; then
    echo "--- last lines of $file ---" >&2
    tail -n 25 "$file" | sed 's/^/  /' >&2
  else
    echo "--- $file is empty or missing ---" >&2
  fi
}

cmd_check() {
  local missing=() bin
  for bin in slurmctld slurmd sbatch sinfo scontrol squeue scancel munged munge unmunge; do
    command -v "$bin" >/dev/null 2>&1 || missing+=("$bin")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "slurm.sh: missing: ${missing[*]} (Debian: apt-get install slurm-wlm munge)" >&2
    return 1
  fi
  return 0
}

# Sets the layout variables for an absolute DIR.
layout() {
  D=$1
  CONF=$D/slurm.conf
  MUNGE_DIR=$D/munge
  MUNGE_KEY=$MUNGE_DIR/munge.key
  MUNGE_SOCKET=$MUNGE_DIR/munge.socket
  MUNGE_PID=$D/run/munged.pid
  MUNGE_LOG=$D/log/munged.log
  MUNGE_SEED=$MUNGE_DIR/munged.seed
  STATE_DIR=$D/state
  SPOOL_DIR=$D/spool
  CTLD_PID=$D/run/slurmctld.pid
  SLURMD_PID=$D/run/slurmd.pid
  CTLD_LOG=$D/log/slurmctld.log
  SLURMD_LOG=$D/log/slurmd.log
}

# Resolves DIR to an absolute path (creating it when asked) and sets the layout.
resolve_dir() {
  local dir=${1:-} create=${2:-no}
  [ -n "$dir" ] || die "missing DIR argument"
  if [ "$create" = yes ]; then
    mkdir -p "$dir" || die "cannot create $dir"
  fi
  if [ ! -d "$dir" ]; then
    return 1
  fi
  layout "$(cd "$dir" && pwd -P)"
}

# pid from a pid file (DIR/run/NAME.pid) if that process is alive and is NAME, else nothing (exit 1).
live_pid() {
  local file=$1 pid comm=
  [ -s "$file" ] || return 1
  pid=$(tr -dc '0-9' <"$file")
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  read -r comm 2>/dev/null <"/proc/$pid/comm" || return 1
  [ "$comm" = "$(basename "$file" .pid)" ] || return 1
  echo "$pid"
}

# Serialises start and stop on one DIR (held until the script exits).
lock_dir() {
  exec 9>>"$D/.lock"
  flock -w 120 9 || die "another slurm.sh start/stop on $D holds $D/.lock"
}

print_env() {
  echo "SLURM_CONF=$CONF"
}

port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_ports() {
  if [ -n "${SLURMCTLD_PORT:-}" ] || [ -n "${SLURMD_PORT:-}" ]; then
    CTLD_PORT=${SLURMCTLD_PORT:-6817}
    NODE_PORT=${SLURMD_PORT:-$((CTLD_PORT + 1))}
    return 0
  fi
  local p
  for ((p = 6817; p < 6917; p += 2)); do
    if ! port_in_use "$p" && ! port_in_use "$((p + 1))"; then
      CTLD_PORT=$p
      NODE_PORT=$((p + 1))
      return 0
    fi
  done
  die "no free port pair between 6817 and 6917 for slurmctld/slurmd"
}

# Fields of `slurmd -C` (this node's real hardware) as shell variables HW_CPUs, HW_RealMemory, ...
read_hardware() {
  local line field
  line=$(slurmd -C 2>/dev/null | head -n 1) || true
  HW_CPUs=$(nproc)
  HW_Boards=1
  HW_SocketsPerBoard=1
  HW_CoresPerSocket=$HW_CPUs
  HW_ThreadsPerCore=1
  HW_RealMemory=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 }' /proc/meminfo)
  for field in $line; do
    case $field in
      CPUs=* | Boards=* | SocketsPerBoard=* | CoresPerSocket=* | ThreadsPerCore=* | RealMemory=*)
        printf -v "HW_${field%%=*}" '%s' "${field#*=}"
        ;;
    esac
  done
}

write_config() {
  local host mem_per_cpu
  host=$(hostname -s)
  read_hardware
  pick_ports
  # A job that gives no --mem gets DefMemPerCPU per CPU (without it, it would get the whole node and
  # jobs would run one at a time); a job may still ask for anything up to RealMemory.
  mem_per_cpu=$((HW_RealMemory / HW_CPUs))
  [ "$mem_per_cpu" -le 1024 ] || mem_per_cpu=1024
  [ "$mem_per_cpu" -ge 1 ] || mem_per_cpu=1
  cat >"$CONF" <<EOF
# Written by test/cli/cluster/slurm.sh start; rewritten on every start.
ClusterName=$CLUSTER_NAME
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$NODE_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$STATE_DIR
SlurmdSpoolDir=$SPOOL_DIR
SlurmctldPidFile=$CTLD_PID
SlurmdPidFile=$SLURMD_PID
SlurmctldLogFile=$CTLD_LOG
SlurmdLogFile=$SLURMD_LOG
SlurmctldDebug=info
SlurmdDebug=info
# No cgroups (containers often lack them) and no accounting database.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$D/log/jobcomp.log
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
SchedulerType=sched/backfill
# Schedule a submitted batch job at once, not up to 3 s later (the default batch_sched_delay).
SchedulerParameters=batch_sched_delay=0
# Each CPU and the memory are consumable, so jobs share the node one CPU each and --mem is honoured.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$mem_per_cpu
ReturnToService=2
SlurmdTimeout=300
InactiveLimit=0
KillWait=5
MinJobAge=300
NodeName=$host NodeAddr=127.0.0.1 CPUs=$HW_CPUs Boards=$HW_Boards SocketsPerBoard=$HW_SocketsPerBoard CoresPerSocket=$HW_CoresPerSocket ThreadsPerCore=$HW_ThreadsPerCore RealMemory=$HW_RealMemory State=UNKNOWN
PartitionName=$PARTITION Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
  # slurmd 22.05 initialises a cgroup plugin even with proctrack/linuxproc and task/none, so it needs a
  # mounted cgroup fs; on a cgroup v2 host without systemd/dbus (a container) this lets it go on.
  cat >"$D/cgroup.conf" <<EOF
# Written by test/cli/cluster/slurm.sh start.
CgroupPlugin=autodetect
IgnoreSystemdOnFailure=yes
EOF
}

start_munge() {
  if live_pid "$MUNGE_PID" >/dev/null; then
    return 0
  fi
  if [ ! -s "$MUNGE_KEY" ]; then
    rm -f "$MUNGE_KEY"
    if command -v mungekey >/dev/null 2>&1; then
      mungekey --create --keyfile="$MUNGE_KEY" >/dev/null 2>&1 || true
    fi
    [ -s "$MUNGE_KEY" ] || dd if=/dev/urandom of="$MUNGE_KEY" bs=1024 count=1 status=none
  fi
  chmod 0400 "$MUNGE_KEY"
  rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
  # --force: run as root and accept the parent directories' permissions.
  if ! munged --force --socket="$MUNGE_SOCKET" --key-file="$MUNGE_KEY" --pid-file="$MUNGE_PID" \
    --log-file="$MUNGE_LOG" --seed-file="$MUNGE_SEED" </dev/null >>"$MUNGE_LOG" 2>&1 9>&-; then
    echo "slurm.sh: munged failed to start" >&2
    log_tail "$MUNGE_LOG"
    return 1
  fi
  local i
  for ((i = 0; i < 50; i++)); do
    if munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.1
  done
  echo "slurm.sh: munged started but a munge/unmunge round trip through $MUNGE_SOCKET fails" >&2
  log_tail "$MUNGE_LOG"
  return 1
}

# Starts a Slurm daemon (which forks into the background and writes its pid file) unless it runs.
start_daemon() {
  local name=$1 pidfile=$2 logfile=$3
  shift 3
  if live_pid "$pidfile" >/dev/null; then
    return 0
  fi
  rm -f "$pidfile"
  # 9>&-: the daemons must not hold the DIR lock; no std stream of the caller stays open in them either.
  if ! SLURM_CONF=$CONF "$@" </dev/null >>"$D/log/$name.out" 2>&1 9>&-; then
    echo "slurm.sh: $name failed to start (command: $*)" >&2
    log_tail "$D/log/$name.out"
    log_tail "$logfile"
    return 1
  fi
  local i
  for ((i = 0; i < 100; i++)); do
    if live_pid "$pidfile" >/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  echo "slurm.sh: $name did not come up (no live pid in $pidfile after 10 s)" >&2
  log_tail "$D/log/$name.out"
  log_tail "$logfile"
  return 1
}

node_state() {
  SLURM_CONF=$CONF timeout 10 sinfo -h -N -o '%t' 2>/dev/null | head -n 1 || true
}

cluster_up() {
  live_pid "$MUNGE_PID" >/dev/null && live_pid "$CTLD_PID" >/dev/null && live_pid "$SLURMD_PID" >/dev/null &&
    [ -s "$CONF" ] && case $(node_state) in idle* | mix* | alloc*) true ;; *) false ;; esac
}

cmd_start() {
  [ $# -eq 1 ] || die "usage: slurm.sh start DIR"
  [ "$(id -u)" -eq 0 ] || die "start must run as root (munged and slurmd run as root)"
  cmd_check || exit 1
  case $1 in *[[:space:]]* | *'#'*) die "DIR must not contain spaces or '#' (slurm.conf cannot quote them): $1" ;; esac
  resolve_dir "$1" yes
  lock_dir
  if cluster_up; then
    print_env
    return 0
  fi
  # Anything half started from an earlier try goes first, so that the config can be rewritten.
  stop_all
  local sock=$SPOOL_DIR/${HOSTNAME:-node}_4294967294.4294967294
  if [ ${#MUNGE_SOCKET} -gt 100 ] || [ ${#sock} -gt 100 ]; then
    die "DIR $D is too long for unix socket paths (keep it under ~60 characters)"
  fi
  mkdir -p "$MUNGE_DIR" "$STATE_DIR" "$SPOOL_DIR" "$D/run" "$D/log"
  chmod 0700 "$MUNGE_DIR"
  write_config
  local started=$SECONDS timeout=${SLURM_START_TIMEOUT:-60}
  if ! start_munge; then
    stop_all
    exit 1
  fi
  local ctld_log_offset=0
  [ -f "$CTLD_LOG" ] && ctld_log_offset=$(stat -c %s "$CTLD_LOG")
  # -c: start with empty job state (a test cluster never carries jobs over). -i: ignore stale state errors.
  if ! start_daemon slurmctld "$CTLD_PID" "$CTLD_LOG" slurmctld -c -i -f "$CONF"; then
    stop_all
    exit 1
  fi
  if ! start_daemon slurmd "$SLURMD_PID" "$SLURMD_LOG" slurmd -f "$CONF"; then
    stop_all
    exit 1
  fi
  local state="" name
  while :; do
    for name in munged slurmctld slurmd; do
      if ! live_pid "$D/run/$name.pid" >/dev/null; then
        echo "slurm.sh: $name exited while waiting for the node to be idle" >&2
        if [ "$name" = munged ]; then log_tail "$MUNGE_LOG"; else log_tail "$D/log/$name.log"; fi
        stop_all
        exit 1
      fi
    done
    state=$(node_state)
    case $state in
      idle*) break ;;
      drain* | down* | fail*)
        # A node that registered with less than the configured hardware stays down: say why.
        if [ $((SECONDS - started)) -ge 10 ]; then
          echo "slurm.sh: node is $state: $(SLURM_CONF=$CONF scontrol show node 2>/dev/null | grep -o 'Reason=.*' | head -n 1)" >&2
          log_tail "$CTLD_LOG"
          log_tail "$SLURMD_LOG"
          stop_all
          exit 1
        fi
        ;;
    esac
    if [ $((SECONDS - started)) -ge "$timeout" ]; then
      echo "slurm.sh: node not idle after ${timeout}s (sinfo state: '${state:-no answer}')" >&2
      log_tail "$CTLD_LOG"
      log_tail "$SLURMD_LOG"
      stop_all
      exit 1
    fi
    sleep 0.2
  done
  # slurmctld runs its first scheduling pass ~3 s after it starts; a job submitted before that waits
  # for it. Wait for the line that pass logs, so that "started" means jobs start at once (best effort:
  # if the line never shows, carry on).
  while [ $((SECONDS - started)) -lt "$timeout" ]; do
    tail -c "+$((ctld_log_offset + 1))" "$CTLD_LOG" 2>/dev/null | grep -q 'SchedulerParameters=' && break
    [ $((SECONDS - started)) -lt 10 ] || break
    sleep 0.2
  done
  print_env
}

# Waits up to $2 seconds (tenths) for pid $1 to exit; 0 if it did.
wait_gone() {
  local pid=$1 tenths=$2 i
  for ((i = 0; i < tenths; i++)); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  ! kill -0 "$pid" 2>/dev/null
}

# Sends SIGTERM to the live processes named by the given pid files, waits up to 15 s for them to exit
# (then SIGKILL), and removes the pid files.
stop_pidfiles() {
  local file pid pids=() i
  for file in "$@"; do
    if pid=$(live_pid "$file"); then
      kill -TERM "$pid" 2>/dev/null || true
      pids+=("$pid")
    fi
  done
  for pid in "${pids[@]}"; do
    if ! wait_gone "$pid" 150; then
      echo "slurm.sh: $(cat "/proc/$pid/comm" 2>/dev/null || echo "pid $pid") (pid $pid) ignored SIGTERM for 15 s; killing it" >&2
      kill -KILL "$pid" 2>/dev/null || true
      wait_gone "$pid" 50 || echo "slurm.sh: pid $pid is still there" >&2
    fi
  done
  for file in "$@"; do
    rm -f "$file"
  done
}

# slurmstepd processes (running job steps) of this cluster: they carry SLURM_CONF=DIR/slurm.conf in their
# environment, inherited from slurmd.
cluster_stepds() {
  local p comm
  for p in /proc/[0-9]*; do
    comm=
    read -r comm 2>/dev/null <"$p/comm" || continue
    [ "$comm" = slurmstepd ] || continue
    if tr '\0' '\n' 2>/dev/null <"$p/environ" | grep -qxF "SLURM_CONF=$CONF"; then
      echo "${p#/proc/}"
    fi
  done
}

stop_all() {
  local pid i
  if live_pid "$CTLD_PID" >/dev/null; then
    SLURM_CONF=$CONF timeout 10 scancel --quiet --partition="$PARTITION" >/dev/null 2>&1 || true
  fi
  if [ -n "$(cluster_stepds)" ]; then
    for ((i = 0; i < 100; i++)); do
      [ -n "$(cluster_stepds)" ] || break
      sleep 0.1
    done
    for pid in $(cluster_stepds); do
      kill -KILL "$pid" 2>/dev/null || true
    done
  fi
  stop_pidfiles "$SLURMD_PID" "$CTLD_PID"
  stop_pidfiles "$MUNGE_PID"
  rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock"
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: slurm.sh stop DIR"
  resolve_dir "$1" no || return 0
  lock_dir
  stop_all
}

cmd_env() {
  [ $# -eq 1 ] || die "usage: slurm.sh env DIR"
  resolve_dir "$1" no || die "no such directory: $1"
  print_env
}

main() {
  local sub=${1:-}
  [ $# -gt 0 ] && shift
  case $sub in
    check) cmd_check || exit 1 ;;
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    env) cmd_env "$@" ;;
    *)
      echo "usage: slurm.sh check | start DIR | stop DIR | env DIR" >&2
      exit 2
      ;;
  esac
}

main "$@"
