#!/bin/sh
# Runs a command of the real node (containerd) inside the node's private mount namespace, which the
# caller made (`unshare --mount --propagation private`) inside the node's network namespace.
# containerd and the kubelet hard-code paths under /run, /var/lib and /var/log: fresh tmpfs mounts
# over those three, seen only in this namespace, hold them, with the node's own directories
# bind-mounted where the data is large (images, volumes). The kernel settings the kubelet checks
# are fake files mounted read-only, so the host's are never read as the node's or written.
#
#   node-namespace.sh <node dir> <sysctl dir> <command> [args...]
set -eu
node=$1 sysctls=$2
shift 2

for d in /run /var/lib /var/log; do mount -t tmpfs -o mode=0755 verdict-node "$d"; done
mkdir -p /var/log/pods /var/log/containers /var/lib/cni /run/netns
for d in kubelet containerd; do
  mkdir -p "/var/lib/$d" "$node/$d"
  mount --bind "$node/$d" "/var/lib/$d"
done
for f in "$sysctls"/*; do
  mount --bind -o ro "$f" "/proc/sys/$(basename "$f" | tr . /)"
done
exec "$@"
