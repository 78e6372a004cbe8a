#!/bin/bash
# PID 1 of one lab node.
#
# Started by the lab as
#   ip netns exec NS unshare --mount --uts --ipc --pid --fork --kill-child --mount-proc \
#       --propagation private node-init.sh NAME LAB_DIR
# so everything below happens inside the node's own mount, UTS, IPC and PID
# namespaces; nothing here is visible on the host.
#
# The node's persistent "disk" is LAB_DIR/nodes/NAME/fs (survives a crash);
# /run, /dev/shm and /tmp are fresh tmpfs on every boot, like a real machine.
# Killing this process with SIGKILL from the host kills the whole node.
set -eu

name=$1
lab=$2
node=$lab/nodes/$name
fs=$node/fs

hostname "$name"

# Keep a handle on the lab folder before /run (or /tmp) is covered by a
# private tmpfs: the cwd still points at the real folder afterwards (hence
# --no-canonicalize: resolving "." to a path name would find the new, empty one).
cd "$lab"
mount -t tmpfs -o mode=0755,size=64m ka2pcmk-run /run
# libqb names its shared-memory files by pid, and pids repeat across PID
# namespaces: each node needs its own /dev/shm.
mount -t tmpfs -o mode=1777,size=64m ka2pcmk-shm /dev/shm
mount -t tmpfs -o mode=1777,size=64m ka2pcmk-tmp /tmp
case "$lab/" in
  /run/*|/tmp/*|/dev/shm/*) mkdir -p "$lab"; mount --no-canonicalize --bind . "$lab" ;;
esac
cd /

# The node's own copies of everything a migration reads or writes.
bind() { mount --bind "$1" "$2"; }
bind "$fs/etc-corosync" /etc/corosync
bind "$fs/etc-keepalived" /etc/keepalived
bind "$fs/etc-pacemaker" /etc/pacemaker
bind "$fs/var-lib-pacemaker" /var/lib/pacemaker
bind "$fs/var-lib-corosync" /var/lib/corosync
bind "$fs/var-log" /var/log
bind "$fs/root" /root
bind "$lab/hosts" /etc/hosts

# Node-local control folder (enabled units, sshd config, host key, env).
mkdir -p /run/ka2pcmk-node /run/ka2pcmk-units /run/sshd /run/systemd/system
bind "$node/lab" /run/ka2pcmk-node
# pcs and other tools call /usr/bin/systemctl by absolute path; there is no
# systemd here, so the lab's stand-in takes its place inside the node only.
if [ -e /usr/bin/systemctl ]; then
  bind "$node/lab/bin/systemctl" /usr/bin/systemctl
fi
export PATH=/run/ka2pcmk-node/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

# Boot: start every enabled unit, like a real machine would.
status=0
while read -r unit; do
  [ -n "$unit" ] || continue
  echo "$(date -u +%T.%N) start $unit" >>/var/log/ka2pcmk-boot.log
  if ! systemctl start "$unit" >>/var/log/ka2pcmk-boot.log 2>&1; then
    echo "start $unit FAILED" >>/var/log/ka2pcmk-boot.log
    status=1
  fi
done < /run/ka2pcmk-node/enabled
# Written whole, then renamed: the host polls for this file and must never
# read it between its creation and its content.
echo "$status" > /run/ka2pcmk-node/booted.tmp
mv /run/ka2pcmk-node/booted.tmp /run/ka2pcmk-node/booted

# Reap orphans forever: bash's SIGCHLD handler waits for any child,
# including the daemons re-parented to us. SIGTERM is ignored on purpose;
# the lab ends a node with SIGKILL from the host.
trap '' TERM INT HUP
set +e
while :; do
  sleep 3600 &
  wait $!
done
