#!/usr/bin/env bash
# slurm-local.sh - a throw-away single-node SLURM cluster (Debian 12, slurm 22.05) for tests,
# CI and a laptop, started without systemd. Recipe and traps: docs/batch.md.
#   slurm-local.sh up      install munge/slurm if missing, write slurm.conf, start munged,
#                          slurmctld and slurmd, wait until the node is idle (a no-op when up)
#   slurm-local.sh down    cancel our jobs, stop only the daemons that "up" started
#   slurm-local.sh status  which daemons run, and sinfo
# Env: SLURM_LOCAL_PARTITIONS="exfel upex" (first = default), SLURM_LOCAL_TIMEOUT=60 (s),
#      SLURM_LOCAL_CPUS=N (job slots; default: the CPUs slurmd -C detects, may be more),
#      SLURM_LOCAL_KEEP_STATE=1 (keep old jobs on start), SLURM_LOCAL_STATE=/run/slurm-local
set -euo pipefail

STATE=${SLURM_LOCAL_STATE:-/run/slurm-local}
TIMEOUT=${SLURM_LOCAL_TIMEOUT:-60}
PARTITIONS=${SLURM_LOCAL_PARTITIONS:-exfel upex}
CONF=/etc/slurm/slurm.conf
MARK='# managed by scs-toolbox scripts/slurm-local.sh'

log() { echo "slurm-local: $*" >&2; }
die() { log "$*"; exit 1; }
pid_in() { [ -s "$1" ] && tr -dc 0-9 <"$1" || true; }                       # PID in a file, or ""
alive() { [ -n "$1" ] && [ "$(cat "/proc/$1/comm" 2>/dev/null)" = "$2" ]; } # PID $1 runs $2
wait_until() { # seconds, shell condition
  local end=$((SECONDS + $1)); shift
  until eval "$*"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done
}

install_pkgs() {
  local c; for c in munged slurmctld slurmd sbatch; do
    command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || {
      log "installing munge + slurm (apt)"
      export DEBIAN_FRONTEND=noninteractive
      # another apt may hold the dpkg lock (CI installs test peers concurrently): wait for it
      apt-get -qq -o DPkg::Lock::Timeout=300 update
      apt-get -qq -o DPkg::Lock::Timeout=300 install -y --no-install-recommends \
        munge slurmctld slurmd slurm-client >/dev/null
      return; }
  done
}

start_munge() {
  install -d -o munge -g munge -m 0755 /run/munge     # systemd's RuntimeDirectory, made by hand
  [ -s /etc/munge/munge.key ] || mungekey --create --keyfile=/etc/munge/munge.key
  chown munge:munge /etc/munge/munge.key && chmod 0400 /etc/munge/munge.key
  if munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1; then
    [ -f "$STATE/munged" ] && log "munged already running" || log "munged already running (not ours: down leaves it)"
    return; fi
  runuser -u munge -- /usr/sbin/munged
  wait_until 10 'munge -n </dev/null 2>/dev/null | unmunge >/dev/null 2>&1' ||
    die "munged did not come up; see /var/log/munge/munged.log"
  pid_in /run/munge/munged.pid >"$STATE/munged"
}

write_conf() {
  local cpus mem new part def=Default=YES detected
  detected=$(/usr/sbin/slurmd -C | head -n1)
  # the real CPU count and memory, exactly as slurmd detects them (else the node drains)
  cpus=${SLURM_LOCAL_CPUS:-$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$detected")}
  mem=$(sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p' <<<"$detected")
  [ -n "$cpus" ] && [ -n "$mem" ] || die "cannot read CPUs/RealMemory from 'slurmd -C': $detected"
  if [ -e "$CONF" ] && ! grep -qF "$MARK" "$CONF"; then
    die "$CONF exists and was not written by this script; move it away first"; fi
  mkdir -p "$(dirname "$CONF")"
  new=$(mktemp)
  cat >"$new" <<CONF
$MARK
ClusterName=local
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/run/slurmctld.pid
SlurmdPidFile=/run/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
MinJobAge=300
SlurmdParameters=config_overrides
NodeName=localhost CPUs=$cpus RealMemory=$mem State=UNKNOWN
CONF
  for part in $PARTITIONS; do
    echo "PartitionName=$part Nodes=ALL $def MaxTime=INFINITE State=UP" >>"$new"; def=Default=NO
  done
  if cmp -s "$new" "$CONF"; then rm -f "$new"; return; fi
  install -m 0644 "$new" "$CONF" && rm -f "$new"
  log "wrote $CONF (CPUs=$cpus RealMemory=$mem, partitions: $PARTITIONS)"
  if scontrol ping >/dev/null 2>&1; then scontrol reconfigure || true; fi
}

start_daemon() { # name pidfile command...
  local name=$1 pidf=$2 pid; shift 2
  pid=$(pid_in "$pidf")
  if alive "$pid" "$name"; then log "$name already running (pid $pid)"; return; fi
  "$@" || die "$name failed to start; see /var/log/slurm/$name.log"   # daemonizes itself
  wait_until 10 'alive "$(pid_in "$pidf")" "$name"' || die "$name exited; see /var/log/slurm/$name.log"
  pid_in "$pidf" >"$STATE/$name"
}

node_state() { sinfo -h -n localhost -o %T 2>/dev/null | head -n1; }

up() {
  install_pkgs
  mkdir -p "$STATE" /var/spool/slurmctld /var/spool/slurmd /var/log/slurm
  write_conf
  start_munge
  local clean=-c; [ "${SLURM_LOCAL_KEEP_STATE:-0}" = 1 ] && clean=
  start_daemon slurmctld /run/slurmctld.pid /usr/sbin/slurmctld $clean
  start_daemon slurmd /run/slurmd.pid /usr/sbin/slurmd -N localhost
  wait_until "$TIMEOUT" '
    case $(node_state) in idle|mixed|allocated|completing|reserved) true ;;
      down*|drain*) scontrol update nodename=localhost state=resume 2>/dev/null; false ;;
      *) false ;; esac' || { sinfo -R >&2; die "node not ready after ${TIMEOUT}s: '$(node_state)'"; }
  log "ready: $(sinfo -h -o '%P %a %T' | tr '\n' ' ')"
}

down() {
  local name pid jobs
  if [ -f "$STATE/slurmctld" ]; then                  # our cluster: drop its jobs first (no stray slurmstepd)
    jobs=$(squeue -h -o %i 2>/dev/null || true)
    if [ -n "$jobs" ]; then
      # shellcheck disable=SC2086
      scancel $jobs 2>/dev/null || true
      wait_until 15 '[ -z "$(squeue -h -t PD,R,CG,S 2>/dev/null)" ]' || log "jobs still listed"
    fi
  fi
  for name in slurmd slurmctld munged; do             # TERM all of ours at once ...
    pid=$(pid_in "$STATE/$name" 2>/dev/null)
    if alive "$pid" "$name"; then kill "$pid" && log "stopping $name ($pid)"; fi
  done
  for name in slurmd slurmctld munged; do             # ... then wait for each (bounded)
    [ -f "$STATE/$name" ] || continue
    pid=$(pid_in "$STATE/$name")
    if alive "$pid" "$name"; then wait_until 15 '! alive "$pid" "$name"' || kill -9 "$pid"; fi
    rm -f "$STATE/$name"
  done
}

status() {
  local name pid; for name in munged slurmctld slurmd; do
    pid=$(pid_in "$STATE/$name")
    if alive "$pid" "$name"; then echo "$name: running, ours (pid $pid)"; else echo "$name: not started by us"; fi
  done
  sinfo 2>/dev/null || echo "sinfo: no cluster reachable"
}

[ "$(id -u)" = 0 ] || die "run as root (e.g. sudo $0 ${*:-up})"
case ${1:-} in
  up) up ;; down) down ;; status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
