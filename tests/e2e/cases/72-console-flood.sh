# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# A guest prints faster than its reader takes it: the reader gets every
# byte, or is told in one line on stderr how many it lost, and the two add
# up to what the guest printed.
. /test/lib.sh

LINES=2500
# 64 bytes a line, then "flood: done, 2500 lines\n"
TOTAL=$((LINES * 64 + 24))

# dropped FILE: the count in "shadowvmm: console: N bytes dropped (...)"
dropped() {
	sed -n 's/^shadowvmm: console: \([0-9]*\) bytes dropped (reader too slow)$/\1/p' "$1"
}

# accounted NAME OUT ERR: bytes read + bytes dropped = TOTAL, and the
# guest's last line arrived; on stderr nothing else about the console
# (run's closing line about the VM may follow)
accounted() {
	got=$(wc -c <"$2")
	d=$(dropped "$3")
	other=$(grep -v '^shadowvmm: VM [0-9]* exited with status 0' "$3" | grep -vc 'bytes dropped (reader too slow)$')
	echo "$1: read $got bytes, ${d:-0} dropped"
	if [ "$(grep -c 'bytes dropped' "$3")" -gt 1 ] || [ "$other" -ne 0 ]; then
		echo "stderr is not one 'bytes dropped' line: $(head -c 200 "$3")"
	elif [ $((got + ${d:-0})) -ne "$TOTAL" ]; then
		echo "$got read + ${d:-0} dropped != $TOTAL printed"
	elif [ "$(tail -n 1 "$2")" != "flood: done, $LINES lines" ]; then
		echo "the last line is '$(tail -n 1 "$2" | head -c 80)'"
	fi
}

# console --follow into a reader that takes nothing until the guest is done
id=$(new_vm "$G/flood.elf" --cmdline "$LINES") || { fail console-flood "create/load: $id"; exit 0; }
shadowvmm start "$id" >/dev/null 2>&1
shadowvmm console "$id" --follow 2>/tmp/cf.err | {
	wait_state "$id" 'state.*stopped' 150
	cat
} >/tmp/cf.out
why=$(accounted follow /tmp/cf.out /tmp/cf.err)
echo "$why" | head -n 1
why=$(echo "$why" | tail -n +2)
[ -n "$why" ] || [ -n "$(dropped /tmp/cf.err)" ] || why="a reader this slow should have lost output"
check console-flood-follow "$why"

# the whole stream after the fact: the ring's last 64 KiB, the rest dropped
shadowvmm console "$id" >/tmp/ca.out 2>/tmp/ca.err
why=$(accounted after /tmp/ca.out /tmp/ca.err | tail -n +2)
[ -n "$why" ] || [ "$(wc -c </tmp/ca.out)" -eq 65536 ] || why="read $(wc -c </tmp/ca.out) bytes, want the 65536 the ring holds"
check console-flood-after "$why"
shadowvmm destroy "$id" >/dev/null 2>&1

# run: the same accounting, and the guest's status
{
	shadowvmm run "$G/flood.elf" --cmdline "$LINES" 2>/tmp/cr.err
	echo $? >/tmp/cr.rc
} | {
	sleep 10
	cat
} >/tmp/cr.out
why=$(accounted run /tmp/cr.out /tmp/cr.err)
echo "$why" | head -n 1
why=$(echo "$why" | tail -n +2)
[ "$(cat /tmp/cr.rc)" = 0 ] || why="$why run exited $(cat /tmp/cr.rc)"
check console-flood-run "$why"
