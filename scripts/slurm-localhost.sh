#!/usr/bin/env bash
# slurm-localhost.sh: a real one-node Slurm (munged, slurmctld, slurmd on
# 127.0.0.1), started without systemd, for degen's Slurm tests and CI.
#
#   scripts/slurm-localhost.sh start    install missing packages (apt), write
#                                       slurm.conf, start the daemons, wait
#                                       until the node is idle
#   scripts/slurm-localhost.sh stop     cancel jobs, stop the daemons THIS
#                                       script started (recorded pid + start
#                                       time + executable), never by name
#   scripts/slurm-localhost.sh status
#
# Needs root (the daemons do). Tested on Debian 12 (slurm-wlm 22.05, munge
# 0.5.15) in a container without systemd or usable cgroups; see
# docs/cluster.md. Knobs: SLURM_LOCALHOST_DIR (state, default
# /var/spool/degen-slurm), SLURM_LOCALHOST_CPUS (CPUs to advertise, default
# the real count; more oversubscribes), SLURM_LOCALHOST_TIMEOUT (s, 60).
set -euo pipefail

BASE=${SLURM_LOCALHOST_DIR:-/var/spool/degen-slurm}
CONF=/etc/slurm/slurm.conf
TIMEOUT=${SLURM_LOCALHOST_TIMEOUT:-60}
MARK="# written by degen scripts/slurm-localhost.sh"
OWN=$BASE/owned
PKGS=(slurmctld slurmd slurm-client munge)
DAEMONS=(slurmd slurmctld munged) # stop order

log() { printf '[slurm-localhost] %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

node=$(hostname -s 2>/dev/null || hostname)
node=${node%%.*}

# ---- processes we own: "pid starttime" in $OWN/<name>.pid
starttime() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null; }
remember() { mkdir -p "$OWN"; echo "$2 $(starttime "$2")" >"$OWN/$1.pid"; }

# ours NAME: prints the pid if the recorded process is alive, started when
# recorded (no pid reuse) and runs /usr/sbin/NAME; else nothing.
ours() {
    local pid st exe
    [[ -r $OWN/$1.pid ]] || return 0
    read -r pid st <"$OWN/$1.pid" || return 0
    [[ $pid =~ ^[0-9]+$ && -d /proc/$pid ]] || return 0
    [[ $(starttime "$pid") == "$st" ]] || return 0
    exe=$(readlink -f "/proc/$pid/exe" 2>/dev/null || true)
    [[ $exe == "$(readlink -f "/usr/sbin/$1")" ]] || return 0
    echo "$pid"
}

install_packages() {
    local missing=() p
    for p in "${PKGS[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
    done
    ((${#missing[@]})) || return 0
    log "installing ${missing[*]}"
    local apt=(apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends)
    export DEBIAN_FRONTEND=noninteractive
    "${apt[@]}" "${missing[@]}" >/dev/null || { apt-get update -qq && "${apt[@]}" "${missing[@]}" >/dev/null; } ||
        die "apt-get install ${missing[*]} failed"
}

# The node line copies slurmd -C's layout and asks for 90 % of its memory:
# more than slurmd detects leaves the node "inval".
node_line() {
    local hw cpus mem sockets cores threads
    hw=$(slurmd -C | head -n1)
    cpus=$(grep -o 'CPUs=[0-9]*' <<<"$hw" | cut -d= -f2)
    sockets=$(grep -o 'SocketsPerBoard=[0-9]*' <<<"$hw" | cut -d= -f2)
    cores=$(grep -o 'CoresPerSocket=[0-9]*' <<<"$hw" | cut -d= -f2)
    threads=$(grep -o 'ThreadsPerCore=[0-9]*' <<<"$hw" | cut -d= -f2)
    mem=$(grep -o 'RealMemory=[0-9]*' <<<"$hw" | cut -d= -f2)
    if [[ -n ${SLURM_LOCALHOST_CPUS:-} ]]; then
        cpus=$SLURM_LOCALHOST_CPUS sockets=1 cores=$SLURM_LOCALHOST_CPUS threads=1
    fi
    echo "NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus Sockets=$sockets CoresPerSocket=$cores ThreadsPerCore=$threads RealMemory=$((mem * 9 / 10)) State=UNKNOWN"
}

# Why each non-default line: proctrack/linuxproc, task/none and no
# jobacct_gather because containers lack writable cgroups (with cgroup
# plugins batch jobs "complete" without running); batch_sched_delay=0 for 1 s
# dispatch waves, and bf_interval/sched_interval so that a requeued task
# starts within 1-2 s of becoming eligible, not at the next 30 s pass;
# cred_expire=5 makes a requeued task eligible after 5 s instead of 120 (one
# relaunched sooner is killed: "Job credential revoked"); MaxArraySize above
# degen's chunking tests; MinJobAge keeps finished jobs visible to scontrol
# (there is no slurmdbd, so no sacct).
write_conf() {
    local tmp
    tmp=$(mktemp)
    cat >"$tmp" <<EOF
$MARK
ClusterName=degenci
SlurmctldHost=$node(127.0.0.1)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=5
CredType=cred/munge
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
SchedulerParameters=batch_sched_delay=0,bf_interval=1,sched_interval=2
ReturnToService=2
MaxArraySize=10001
MinJobAge=600
MailProg=/bin/true
StateSaveLocation=$BASE/state
SlurmdSpoolDir=$BASE/spool
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
EOF
    if [[ -n ${SLURM_LOCALHOST_CPUS:-} ]]; then echo "SlurmdParameters=config_overrides" >>"$tmp"; fi
    node_line >>"$tmp"
    echo "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP" >>"$tmp"
    if [[ -f $CONF ]] && ! grep -qxF "$MARK" "$CONF"; then
        rm -f "$tmp"
        die "$CONF exists and was not written by this script; move it away first"
    fi
    mkdir -p "$(dirname "$CONF")"
    install -m 0644 "$tmp" "$CONF"
    rm -f "$tmp"
}

# wait_pidfile FILE: the daemons fork, so their pid comes from the file.
wait_pidfile() {
    local i
    for ((i = 0; i < TIMEOUT * 10; i++)); do
        [[ -s $1 ]] && { head -n1 "$1"; return 0; }
        sleep 0.1
    done
    return 1
}

munge_ok() { munge -n 2>/dev/null | unmunge >/dev/null 2>&1; }

start_munged() {
    if munge_ok; then log "munged already answers: reused, left alone"; return 0; fi
    [[ -s /etc/munge/munge.key ]] || mungekey --create --keyfile=/etc/munge/munge.key
    # munged refuses keys and directories others can read, and needs
    # /run/munge, which systemd would have made.
    mkdir -p /run/munge /var/lib/munge /var/log/munge
    chown munge:munge /etc/munge /etc/munge/munge.key /run/munge /var/lib/munge /var/log/munge
    chmod 0700 /etc/munge /var/log/munge
    chmod 0400 /etc/munge/munge.key
    chmod 0755 /run/munge
    rm -f /run/munge/munged.pid
    runuser -u munge -- /usr/sbin/munged || die "munged failed (see /var/log/munge/munged.log)"
    local pid i
    pid=$(wait_pidfile /run/munge/munged.pid) || die "munged wrote no pid file"
    remember munged "$pid"
    for ((i = 0; i < TIMEOUT * 10; i++)); do munge_ok && return 0; sleep 0.1; done
    die "munged does not answer"
}

start_slurm_daemon() { # NAME ARGS...
    local name=$1 pid
    shift
    if [[ -n $(ours "$name") ]]; then return 0; fi
    rm -f "$BASE/run/$name.pid"
    "/usr/sbin/$name" "$@" || die "$name failed (see $BASE/log/$name.log)"
    pid=$(wait_pidfile "$BASE/run/$name.pid") || die "$name wrote no pid file (see $BASE/log/$name.log)"
    remember "$name" "$pid"
}

wait_idle() {
    local i st=
    for ((i = 0; i < TIMEOUT * 5; i++)); do
        st=$(sinfo -h -N -n "$node" -o %T 2>/dev/null | head -n1 || true)
        case $st in idle | mixed | allocated) log "node $node is $st"; return 0 ;; esac
        sleep 0.2
    done
    die "node $node is '$st' after ${TIMEOUT}s; see $BASE/log/"
}

cmd_start() {
    [[ $(id -u) == 0 ]] || die "run as root: the daemons need it"
    local t0=$SECONDS
    install_packages
    mkdir -p "$BASE"/{state,spool,log,run}
    if [[ -z $(ours slurmctld) ]]; then write_conf; fi
    start_munged
    # -c: forget jobs left by an earlier run; -N: our node name, whatever
    # /etc/hosts says.
    start_slurm_daemon slurmctld -c
    start_slurm_daemon slurmd -N "$node"
    wait_idle
    log "up in $((SECONDS - t0)) s"
}

cmd_stop() {
    local name pid i alive
    if [[ -n $(ours slurmctld) ]]; then
        # Cancel first, so no slurmstepd outlives slurmd.
        scancel --full --quiet --user="$(id -un)" 2>/dev/null || true
        scancel --full --quiet 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do [[ -z $(squeue -h -o %A 2>/dev/null) ]] && break; sleep 0.2; done
    fi
    local pids=()
    for name in "${DAEMONS[@]}"; do
        pid=$(ours "$name")
        [[ -n $pid ]] || continue
        log "stopping $name (pid $pid)"
        kill -TERM "$pid" 2>/dev/null || true
        pids+=("$name:$pid")
    done
    for ((i = 0; i < 100; i++)); do
        alive=0
        for name in "${pids[@]}"; do [[ -d /proc/${name#*:} ]] && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for name in "${pids[@]}"; do
        pid=$(ours "${name%%:*}")
        [[ -n $pid ]] && { log "${name%%:*} ignored SIGTERM: SIGKILL $pid"; kill -KILL "$pid" 2>/dev/null || true; }
        rm -f "$OWN/${name%%:*}.pid"
    done
    return 0
}

cmd_status() {
    local name pid rc=0
    for name in munged slurmctld slurmd; do
        pid=$(ours "$name")
        if [[ -n $pid ]]; then echo "$name: running, pid $pid"; else echo "$name: not started by this script"; rc=1; fi
    done
    return $rc
}

case ${1:-} in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
*) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
