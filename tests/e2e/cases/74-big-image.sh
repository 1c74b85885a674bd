# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# A 64 MiB image loads in MEM_WRITE chunks and the guest finds every chunk
# where it belongs; on a terminal the CLI draws a progress bar, elsewhere
# it prints nothing.
. /test/lib.sh

want="big: 64 MiB image, 16384 pages, 0 bad"
id=$(shadowvmm create --mem 80M 2>&1)
start=$(date +%s)
pty_setup
if command -v ptyrun >/dev/null; then
	# a pseudo-terminal for stderr: the bar, redrawn in place
	ptyrun /tmp/big.tty shadowvmm load "$id" "$G/big.elf"
	st=$?
	tty=1
else
	shadowvmm load "$id" "$G/big.elf" >/tmp/big.tty 2>&1
	st=$?
	tty=
fi
echo "load: $(($(date +%s) - start)) s"
why=
pwhy=
if [ "$st" -ne 0 ]; then
	why="load exited $st: $(tr '\r' '\n' </tmp/big.tty | tail -n 2)"
	pwhy="no load"
elif [ -n "$tty" ]; then
	grep -q 'shadowvmm: loading .*big.elf \[#* *\]' /tmp/big.tty || pwhy="no progress bar: $(head -c 200 /tmp/big.tty)"
	grep -q '\[##############################\] 100%  64.0/64.0 MiB' /tmp/big.tty || pwhy="$pwhy the bar never reached 100%;"
	grep -q "$(printf '\033')\\[K" /tmp/big.tty || pwhy="$pwhy the bar was not wiped at the end;"
fi
if [ -z "$why" ]; then
	shadowvmm start "$id" >/dev/null 2>&1
	wait_state "$id" 'state.*stopped' 150 || why="the guest did not stop"
	out=$(shadowvmm console "$id" 2>&1)
	[ "$out" = "$want" ] || why="$why guest said '$out'"
	vm_show "$id" | grep -q '^exit_status: *0$' || why="$why $(vm_show "$id" | tr '\n' ' ')"
fi
shadowvmm destroy "$id" >/dev/null 2>&1
check big-image-load "$why"
if [ -z "$tty" ]; then
	skip big-image-progress "no ptyrun (ctl/tests/ptyrun) for a terminal"
else
	check big-image-progress "$pwhy"
fi

# Not a terminal: no bar; at most run's closing line on stderr.
shadowvmm run "$G/big.elf" --mem 80M >/tmp/big.out 2>/tmp/big.err
st=$?
why=
[ "$st" -eq 0 ] || why="run exited $st: $(head -c 200 /tmp/big.err)"
! grep -q 'loading\|#' /tmp/big.err || why="$why a progress bar in a file: $(head -c 200 /tmp/big.err)"
[ "$(cat /tmp/big.out)" = "$want" ] || why="$why guest said '$(head -c 200 /tmp/big.out)'"
check big-image-run "$why"
