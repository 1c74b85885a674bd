# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The "events" group tells every VM's life and exit status: joining it needs
# CAP_NET_ADMIN, as every operation does. An ordinary user (nobody, uid
# 65534) is refused when "shadowvmm monitor" joins, and hears nothing;
# root, at the same time, hears the VM come and go.
. /test/lib.sh

if ! su -s /bin/sh nobody -c 'test "$(id -u)" = 65534' 2>/dev/null; then
	skip events-perm "cannot run a command as nobody (su, /etc/passwd)"
	exit 0
fi

shadowvmm monitor >/tmp/ep-root.out 2>/tmp/ep-root.err &
rpid=$!
# exec: the process we signal is the monitor itself
su -s /bin/sh nobody -c 'exec /test/shadowvmm monitor' >/tmp/ep-user.out 2>/tmp/ep-user.err &
upid=$!
sleep 2
id=$(shadowvmm create --mem 2M 2>&1)
shadowvmm destroy "$id" >/dev/null 2>&1
sleep 1
kill -INT "$rpid" "$upid" 2>/dev/null
wait "$rpid"
rst=$?
wait "$upid"
ust=$?

why=
[ "$ust" -eq 1 ] || why="monitor as nobody exited $ust, want 1;"
[ "$(cat /tmp/ep-user.err)" = "shadowvmm: permission denied: need CAP_NET_ADMIN (run as root)" ] ||
	why="$why stderr as nobody: '$(head -c 200 /tmp/ep-user.err)';"
[ ! -s /tmp/ep-user.out ] || why="$why nobody heard: '$(head -c 200 /tmp/ep-user.out)';"
check events-perm-user "$why"

why=
[ "$rst" -eq 0 ] || why="monitor as root exited $rst: $(head -c 200 /tmp/ep-root.err);"
grep -q "  VM $id  created  " /tmp/ep-root.out || why="$why root heard no created event for VM $id;"
grep -q "  VM $id  destroyed$" /tmp/ep-root.out || why="$why root heard no destroyed event for VM $id;"
check events-perm-root "$why"
