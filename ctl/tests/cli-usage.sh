#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's usage and input errors, which need no module: each must exit
# with its documented status and say why in one line on stderr.
set -u

ctl=$(cd "$(dirname "$0")/.." && pwd)
bin=$ctl/shadowvmm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

# case NAME STATUS STDERR-WORDS -- ARGS...
case_() {
	local name=$1 want=$2 words=$3 got lines
	shift 4
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err"
	got=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$got" -ne "$want" ]; then
		echo "FAIL ctl/cli-$name: exit status $got, want $want: $(head -1 "$tmp/err")"
		failed=1
	elif [ -n "$words" ] && ! grep -q -- "$words" "$tmp/err"; then
		echo "FAIL ctl/cli-$name: stderr lacks '$words': $(head -1 "$tmp/err")"
		failed=1
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ] && [ "$want" -ne 2 ]; then
		echo "FAIL ctl/cli-$name: $lines lines on stderr, want one"
		failed=1
	else
		echo "PASS ctl/cli-$name"
	fi
}

head -c 200 /dev/zero | tr '\0' 'x' >"$tmp/text.elf"
head -c 100 "$ctl/../guests/hello.elf" >"$tmp/trunc.elf" 2>/dev/null || : >"$tmp/trunc.elf"

case_ version 0 "" -- --version
grep -q "shadowvmm .* version 1" "$tmp/out" || { echo "FAIL ctl/cli-version-text: $(cat "$tmp/out")"; failed=1; }
case_ help 0 "" -- help
case_ help-command 0 "" -- help run
case_ help-unknown 2 "unknown command" -- help frobnicate
case_ no-args 2 "usage" --
case_ unknown-command 2 "unknown command 'frobnicate'" -- frobnicate
case_ unknown-option 2 "unknown option" -- --frob
case_ bad-size 2 "bad size '12Q'" -- create --mem 12Q
case_ bad-vm-id 2 "'abc' is not a VM id" -- start abc
case_ missing-vm-id 2 "expects exactly one VM id" -- stop
case_ run-missing-file 1 "/nonexistent.elf: No such file or directory" -- run /nonexistent.elf
case_ run-not-elf 1 "not an ELF file" -- run "$tmp/text.elf"
case_ run-truncated 1 "truncated" -- run "$tmp/trunc.elf"
# A real image is needed here; the e2e and unit tests cover it otherwise.
if [ -f "$ctl/../guests/hello.elf" ]; then
	case_ run-too-big 1 "larger than guest RAM" -- run --mem 1M "$ctl/../guests/hello.elf"
else
	echo "SKIP ctl/cli-run-too-big: guests/hello.elf not built"
fi
if [ ! -d /sys/module/shadowvmm ]; then
	case_ list-no-module 1 "module is not loaded" -- list
fi
exit $failed
