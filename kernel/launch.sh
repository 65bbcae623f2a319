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
  exec "$node" --snapshot-blob "$SCS_KERNEL_SNAPSHOT_DIR/node-$id.blob" "$main" "$@"
fi
exec "$node" "$main" "$@"
