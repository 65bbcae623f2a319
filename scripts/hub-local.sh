#!/usr/bin/env bash
# hub-local.sh - a throw-away JupyterHub on 127.0.0.1 for tests, CI and a laptop: Debian's
# jupyterhub (3.0), this repository's pinned configurable-http-proxy, a dummy authenticator
# with a generated password (no system users), single-user servers from Debian's classic
# notebook (6.4) under the hub's own user. Config: scripts/hub/jupyterhub_config.py;
# operator guide: docs/jupyterhub.md.
#   hub-local.sh up      install the Debian packages if missing (root), start the hub, wait until
#                        its API answers (a no-op when up), print where it is
#   hub-local.sh down    stop the hub, its proxy and the single-user servers it started
#   hub-local.sh status  whether it runs, and the URL/credentials file
# Env: HUB_LOCAL_STATE=/tmp/scs-hub-local-<uid>  HUB_LOCAL_PORT=8765 (uses it and the next two)
#      HUB_LOCAL_TIMEOUT=60 (s)  HUB_LOCAL_JUPYTER_PATH (more kernel folders for every user)
# After "up", $HUB_LOCAL_STATE/hub.env holds HUB_URL, HUB_API_TOKEN, HUB_PASSWORD (mode 600).
set -euo pipefail

STATE=${HUB_LOCAL_STATE:-/tmp/scs-hub-local-$(id -u)}
PORT=${HUB_LOCAL_PORT:-8765}
TIMEOUT=${HUB_LOCAL_TIMEOUT:-60}
REPO=$(cd "$(dirname "$0")/.." && pwd)
PACKAGES=(jupyterhub jupyter-notebook python3-notebook)

log() { echo "hub-local: $*" >&2; }
die() { log "$*"; exit 1; }
pid_in() { [ -s "$1" ] && tr -dc 0-9 <"$1" || true; }
alive() { [ -n "$1" ] && kill -0 "$1" 2>/dev/null; }
wait_until() { # seconds, shell condition
  local end=$((SECONDS + $1)); shift
  until eval "$*"; do [ "$SECONDS" -lt "$end" ] || return 1; sleep 0.2; done
}
api_ok() { /usr/bin/python3 -c 'import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$PORT/hub/api/" 2>/dev/null; }

install_pkgs() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  [ "$(id -u)" = 0 ] || die "missing Debian packages: ${missing[*]}; install them as root (sudo $0 up)"
  log "installing ${missing[*]} (apt)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -qq -o DPkg::Lock::Timeout=300 update
  apt-get -qq -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}" >/dev/null
}

port_free() { # can a listener bind 127.0.0.1:$1 (the way the hub will)?
  /usr/bin/python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try: s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError: sys.exit(1)' "$1"
}

port_user() { # "pid command" of the listener on port $1 when ss can tell (iproute2), or ""
  command -v ss >/dev/null || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 |
    { read -r pid && echo "$pid ($(tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | cut -c1-80))" || true; }
}

check_ports() {
  local p used
  for p in "$PORT" $((PORT + 1)) $((PORT + 2)); do
    port_free "$p" && continue
    used=$(port_user "$p")
    die "port $p on 127.0.0.1 is already in use${used:+ by pid ${used}}; stop that program or choose free ports with HUB_LOCAL_PORT=N (the hub uses N, N+1 and N+2)"
  done
}

secret() { [ -s "$STATE/$1" ] || { umask 077; head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$STATE/$1"; }; cat "$STATE/$1"; }

up() {
  local pid
  pid=$(pid_in "$STATE/hub.pid")
  if alive "$pid" && api_ok; then log "already up at http://127.0.0.1:$PORT (pid $pid)"; return; fi
  install_pkgs
  [ -x "$REPO/node_modules/.bin/configurable-http-proxy" ] ||
    die "configurable-http-proxy is not installed in $REPO/node_modules; run npm ci there first"
  check_ports
  mkdir -p "$STATE/home" "$STATE/sys-prefix/share/jupyter/kernels" && chmod 700 "$STATE"
  rm -f "$STATE/hub.pid" "$STATE/proxy.pid" "$STATE/jupyterhub.sqlite"   # a fresh hub each time
  export HUB_LOCAL_STATE=$STATE HUB_LOCAL_PORT=$PORT HUB_LOCAL_REPO=$REPO
  HUB_LOCAL_PASSWORD=$(secret password) HUB_LOCAL_API_TOKEN=$(secret api_token) \
  HUB_LOCAL_PROXY_TOKEN=$(secret proxy_token) \
    setsid /usr/bin/jupyterhub -f "$REPO/scripts/hub/jupyterhub_config.py" \
      >"$STATE/hub.log" 2>&1 </dev/null &
  echo $! >"$STATE/hub.pid.launch"
  wait_until "$TIMEOUT" 'api_ok || ! alive "$(pid_in "$STATE/hub.pid.launch")"'
  if ! api_ok; then
    tail -n 20 "$STATE/hub.log" >&2
    down_quiet; die "the hub did not come up in ${TIMEOUT}s; log above and in $STATE/hub.log"
  fi
  pid_in "$STATE/hub.pid.launch" >"$STATE/hub.pid"; rm -f "$STATE/hub.pid.launch"
  { umask 077
    printf 'HUB_URL=http://127.0.0.1:%s\nHUB_API_TOKEN=%s\nHUB_PASSWORD=%s\nHUB_STATE=%s\n' \
      "$PORT" "$(secret api_token)" "$(secret password)" "$STATE" >"$STATE/hub.env"; }
  log "up at http://127.0.0.1:$PORT (any user name, password in $STATE/password; log $STATE/hub.log)"
}

down_quiet() {
  local pid f
  for f in hub.pid hub.pid.launch; do
    pid=$(pid_in "$STATE/$f")
    if alive "$pid"; then
      kill -TERM "$pid" 2>/dev/null || true          # the hub stops its servers and proxy
      wait_until 20 '! alive "$pid"' || kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$STATE/$f"
  done
  pid=$(pid_in "$STATE/proxy.pid")                   # a proxy left by a hub that was killed
  if alive "$pid" && grep -q configurable-http-proxy "/proc/$pid/cmdline" 2>/dev/null; then kill "$pid" || true; fi
  rm -f "$STATE/proxy.pid" "$STATE/hub.env"
}

down() {
  if [ ! -d "$STATE" ]; then log "not up (no $STATE)"; return; fi
  down_quiet; log "down"
}

status() {
  local pid; pid=$(pid_in "$STATE/hub.pid")
  if alive "$pid" && api_ok; then
    echo "hub: running (pid $pid) at http://127.0.0.1:$PORT; credentials in $STATE/hub.env; log $STATE/hub.log"
  else echo "hub: not running (state $STATE)"; return 3; fi
}

case ${1:-} in
  up) up ;; down) down ;; status) status ;;
  *) echo "usage: $0 up|down|status" >&2; exit 2 ;;
esac
