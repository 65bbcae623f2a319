#!/bin/sh
# Starts the scs-toolbox kernel (kernel.json's argv, written by `scs kernel install`):
#   sh launch.sh NODE MAIN_JS SNAPSHOT_DIR {connection_file}
# With a startup snapshot built for exactly this node binary (its device, inode, size and mtime
# name the blob; see kernel/snapshot/snapshot.ts) node starts from it; otherwise, or when `stat`
# fails, or with SCS_KERNEL_SNAPSHOT=off, the kernel starts as before. `exec` keeps this process's pid, so Jupyter's interrupts
# and kills reach node itself.
node=$1
main=$2
SCS_KERNEL_SNAPSHOT_DIR=$3
export SCS_KERNEL_SNAPSHOT_DIR
shift 3
# A broken install (node moved or removed, a checkout deleted or not built) fails here with one
# line naming the missing file: Jupyter puts the kernel's stderr into the server's log (the hub
# log), and the exit code tells it apart from a kernel that crashed later.
fail() {
  echo "scs-toolbox kernel: cannot start: $1; reinstall the kernelspec with 'scs kernel install' (or 'scs env activate' for a proposal environment)" >&2
  exit 127
}
case $node in */*) ;; *) found=$(command -v "$node") || fail "node '$node' is not on PATH"; node=$found;; esac
[ -x "$node" ] && [ ! -d "$node" ] || fail "node '$node' does not exist or is not executable"
[ -f "$main" ] || fail "the kernel entry '$main' does not exist (toolbox installation removed or not built)"
if [ "$SCS_KERNEL_SNAPSHOT" != off ] && id=$(stat -L -c '%d-%i-%s-%Y' "$node" 2>/dev/null) && [ -f "$SCS_KERNEL_SNAPSHOT_DIR/node-$id.blob" ]; then
  # The snapshot process binds its sockets only after deserialising (~0.3 s): a plain node
  # process, the io relay, binds them at once and hands them over to the kernel's io thread
  # (kernel/transport/io-relay.ts). $$ is the kernel's pid after the exec below.
  relay="${main%/*}/relay.js"
  # SCS_KERNEL_IO_RELAY=off keeps the sockets in the kernel's own io thread.
  if [ "$SCS_KERNEL_IO_RELAY" != off ] && [ -f "$relay" ]; then
    SCS_KERNEL_IO_RELAY="scs-kernel-io-$$"
    export SCS_KERNEL_IO_RELAY
    "$node" "$relay" "$@" &
  else
    unset SCS_KERNEL_IO_RELAY
  fi
  exec "$node" --snapshot-blob "$SCS_KERNEL_SNAPSHOT_DIR/node-$id.blob" "$main" "$@"
fi
unset SCS_KERNEL_IO_RELAY
exec "$node" "$main" "$@"
