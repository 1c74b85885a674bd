# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# "shadowvmm monitor" prints every step of every VM's life, in order, with
# timestamps: one line each, or one JSON object each with -j; Ctrl-C ends
# it with status 0.
. /test/lib.sh

shadowvmm monitor >/tmp/mon.txt 2>/tmp/mon.err &
tpid=$!
shadowvmm -j monitor >/tmp/mon.json 2>/tmp/mon.jerr &
jpid=$!
sleep 2

shadowvmm run "$G/exitcode.elf" --cmdline 7 >/dev/null 2>&1	# halted
shadowvmm run "$G/triple.elf" >/dev/null 2>&1			# crashed
id=$(new_vm "$G/spin.elf")					# stopped
shadowvmm start "$id" >/dev/null 2>&1
sleep 1
shadowvmm stop "$id" >/dev/null 2>&1
shadowvmm destroy "$id" >/dev/null 2>&1
id=$(shadowvmm create --mem 2M 2>/dev/null)			# never started
shadowvmm destroy "$id" >/dev/null 2>&1
sleep 2
kill -INT "$tpid"
kill -INT "$jpid"
wait "$tpid"
tst=$?
wait "$jpid"
jst=$?

echo "monitor output:"
sed 's/^/    /' /tmp/mon.txt
head -n 4 /tmp/mon.json | sed 's/^/    /'

# Each VM's events in order, one line per life: "created started halted
# ...". Ids are reused, so a "created" begins a new life.
lives=$(awk '
	$5 == "created" && life[$4] != "" { print substr(life[$4], 2); life[$4] = "" }
	{ life[$4] = life[$4] " " $5 }
	END { for (v in life) if (life[v] != "") print substr(life[v], 2) }' /tmp/mon.txt | sort)
want=$(printf '%s\n' "created destroyed" "created started crashed destroyed" \
	"created started halted destroyed" "created started stopped destroyed" | sort)
why=
[ "$tst" -eq 0 ] || why="monitor exited $tst after SIGINT: $(cat /tmp/mon.err);"
[ "$lives" = "$want" ] || why="$why events per VM: '$(echo "$lives" | tr '\n' '|')', want '$(echo "$want" | tr '\n' '|')';"
grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}  VM [0-9]+  created  +mem 32M$' /tmp/mon.txt ||
	why="$why no timestamped created line;"
grep -q '  halted  *exited with status 7$' /tmp/mon.txt || why="$why halted line lacks the status;"
grep -q '  crashed  *triple fault at rip 0x' /tmp/mon.txt || why="$why crashed line lacks the reason;"
grep -q '  stopped  *stopped by user$' /tmp/mon.txt || why="$why stopped line lacks 'by user';"
[ ! -s /tmp/mon.err ] || why="$why stderr: $(cat /tmp/mon.err)"
check monitor-text "$why"

why=
[ "$jst" -eq 0 ] || why="monitor -j exited $jst after SIGINT: $(cat /tmp/mon.jerr);"
n=$(wc -l </tmp/mon.txt)
[ "$(wc -l </tmp/mon.json)" -eq "$n" ] || why="$why $(wc -l </tmp/mon.json) JSON lines, $n text lines;"
bad=$(grep -vE '^\{"timestamp":[0-9]+,"event":"(created|started|halted|crashed|stopped|destroyed)","vm_id":[0-9]+,"vm_serial":[0-9]+,"vm_state":"[a-z]+",.*\}$' /tmp/mon.json | head -n 2)
[ -z "$bad" ] || why="$why malformed: $bad;"
grep -q '"event":"halted",.*"stop_reason":"debug_exit".*"exit_status":7' /tmp/mon.json || why="$why no halted object with exit_status 7;"
grep -q '"event":"crashed",.*"stop_reason":"triple_fault"' /tmp/mon.json || why="$why no crashed object;"
check monitor-json "$why"

# One VM only: its events and no other's.
shadowvmm monitor 4000000 >/tmp/mon1.txt 2>&1 &
pid=$!
sleep 2
shadowvmm create --mem 2M >/tmp/mon1.id 2>&1
shadowvmm destroy "$(cat /tmp/mon1.id)" >/dev/null 2>&1
sleep 1
kill -TERM "$pid"
wait "$pid"
st=$?
check monitor-one-vm "$([ "$st" -eq 0 ] && [ ! -s /tmp/mon1.txt ] || echo "exit $st, printed '$(cat /tmp/mon1.txt)'")"
