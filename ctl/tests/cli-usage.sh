#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The CLI's usage and input errors, which need no kernel module: each must
# exit with its documented status (0 ok, 1 runtime error, 2 usage error) and
# say why in one line on stderr that starts "shadowvmm: ". Prints one
# "PASS ctl/cli-<case>" or "FAIL ctl/cli-<case>: why" line per case.
set -u

ctl=$(cd "$(dirname "$0")/.." && pwd)
bin=$ctl/shadowvmm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0

if [ ! -x "$bin" ]; then
	echo "FAIL ctl/cli-build: $bin missing (make -C ctl)"
	exit 1
fi

fail() {
	echo "FAIL ctl/cli-$1: $2"
	failed=1
}

# expect NAME STATUS WORDS ARGS...: run the CLI, check status and stderr.
# Errors (status 1 and 2) must be one line starting "shadowvmm: ".
expect() {
	local name=$1 want=$2 words=$3 got lines
	shift 3
	"$bin" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
	got=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$got" -ne "$want" ]; then
		fail "$name" "exit status $got, want $want: $(head -n 1 "$tmp/err")"
	elif [ -n "$words" ] && ! grep -qF -- "$words" "$tmp/err" "$tmp/out"; then
		fail "$name" "output lacks '$words': $(head -n 1 "$tmp/err")"
	elif [ "$want" -ne 0 ] && [ "$lines" -ne 1 ] && [ "$name" != no-args ]; then
		fail "$name" "$lines lines on stderr, want 1: $(head -n 3 "$tmp/err" | tr '\n' '|')"
	elif [ "$want" -ne 0 ] && [ "$name" != no-args ] && ! grep -q '^shadowvmm: ' "$tmp/err"; then
		fail "$name" "stderr does not start with 'shadowvmm: ': $(head -n 1 "$tmp/err")"
	else
		echo "PASS ctl/cli-$name"
	fi
}

printf 'this is not an ELF image\n' >"$tmp/text.elf"
"$ctl/tests/unit" --write-image "$tmp/good.elf" 2>/dev/null ||
	echo "SKIP ctl/cli-image: tests/unit not built: no valid image"
head -c 40 "$tmp/good.elf" >"$tmp/trunc.elf" 2>/dev/null || : >"$tmp/trunc.elf"

expect version 0 "" --version
grep -q "^shadowvmm .* version 1)$" "$tmp/out" ||
	fail version-text "want tool and uapi versions: $(cat "$tmp/out")"
expect version-short 0 "" -V
grep -qE "^module: (not loaded|netlink family shadowvmm version [0-9]+)" "$tmp/out" ||
	fail version-module "want the module's family version or 'not loaded': $(cat "$tmp/out")"
expect help 0 "Usage: shadowvmm" help
grep -q "^  run " "$tmp/out" || fail help-lists-run "help does not list run"
expect help-option 0 "Usage: shadowvmm" --help
expect help-short 0 "Usage: shadowvmm" -h
expect help-command 0 "shadowvmm run KERNEL" help run
expect command-help 0 "shadowvmm stats" stats --help
expect help-unknown 2 "unknown command 'frobnicate'" help frobnicate
expect no-args 2 "Usage: shadowvmm"
expect unknown-command 2 "unknown command 'frobnicate'" frobnicate
expect unknown-option 2 "unknown option '--frob'" --frob
expect bad-size 2 "bad size '12Q'" create --mem 12Q
expect bad-size-run 2 "bad size '1.5G'" run --mem 1.5G "$tmp/good.elf"
expect missing-size 2 "needs an argument" create --mem
expect create-extra 2 "unexpected argument 'x'" create x
expect bad-vm-id 2 "bad VM id 'abc'" start abc
expect zero-vm-id 2 "bad VM id '0'" show 0
expect missing-vm-id 2 "missing the VM id" stop
expect extra-vm-id 2 "unexpected argument '2'" destroy 1 2
expect load-missing-image 2 "needs a VM id and a guest image" load 1
expect run-missing-image 2 "missing the guest image" run
expect run-unknown-option 2 "unknown option '--frob'" run --frob "$tmp/good.elf"
expect console-bad-option 2 "unknown option '-x'" console -x 1
expect monitor-help 0 "shadowvmm monitor [-j] [VM]" help monitor
expect monitor-bad-option 2 "unknown option '-x'" monitor -x
expect monitor-bad-vm-id 2 "bad VM id 'abc'" monitor abc
expect monitor-extra 2 "unexpected argument '2'" monitor 1 2
expect list-extra 2 "unexpected argument 'x'" list x
expect create-bad-mmu-pages 2 "bad page count '8' (at least 16)" create --mmu-pages 8
expect run-bad-mmu-pages 2 "bad page count 'x'" run --mmu-pages x "$tmp/good.elf"
expect translate-missing-gva 2 "needs a VM id and a guest virtual address" translate 1
expect translate-bad-address 2 "bad address '0xg'" translate 1 0xg
expect translate-bad-vm 2 "bad VM id 'x'" translate x 0x1000
expect translate-write-fetch 2 "--write and --fetch exclude each other" \
	translate 1 0x1000 --write --fetch
expect translate-extra 2 "unexpected argument 'z'" translate 1 0x1000 z
expect stats-bad-regex 2 "bad regex '('" stats -f '('
expect stats-bad-interval 2 "bad interval '0'" stats --watch 0
expect stats-missing-interval 2 "needs an argument" stats 1 --watch
expect stats-count-needs-watch 2 "--count needs --watch" stats --count 2
expect stats-bad-count 2 "bad count '0'" stats --watch 1 --count 0
expect stats-csv-json 2 "--csv and --json exclude each other" stats --csv -j
expect stats-extra 2 "unexpected argument '2'" stats 1 2
expect stats-bad-vm 2 "bad VM id '0'" stats 0
expect run-missing-file 1 "/nonexistent.elf: No such file or directory" run /nonexistent.elf
expect run-not-elf 1 "$tmp/text.elf: not an ELF file" run "$tmp/text.elf"
expect run-truncated 1 "truncated" run "$tmp/trunc.elf"
expect run-directory 1 "not a regular file" run "$tmp"
if [ -s "$tmp/good.elf" ]; then
	# The image is linked at 1 MiB: 1 MiB of RAM cannot hold it.
	expect run-too-big 1 "larger than guest RAM: segment 0x100000-0x102000 does not fit in 1 MiB" \
		run --mem 1M "$tmp/good.elf"
	expect run-cmdline-too-long 2 "command line" \
		run --cmdline "$(head -c 5000 /dev/zero | tr '\0' x)" "$tmp/good.elf"
	expect run-initrd-missing 1 "/nonexistent.img: No such file or directory" \
		run --initrd /nonexistent.img "$tmp/good.elf"
	expect run-module-missing 1 "/nonexistent.bin: No such file or directory" \
		run --module /nonexistent.bin,x "$tmp/good.elf"
	: >"$tmp/empty.img"
	expect run-module-empty 1 "$tmp/empty.img: empty file" \
		run --module "$tmp/empty.img" "$tmp/good.elf"
	head -c 1048576 /dev/zero >"$tmp/1m.img"
	# The image ends at 0x102000: a 1 MiB module cannot follow it in 2 MiB.
	expect run-initrd-too-big 1 "$tmp/1m.img: 1048576 bytes do not fit in guest RAM (2 MiB) beside the kernel image" \
		run --mem 2M --initrd "$tmp/1m.img" "$tmp/good.elf"
fi
expect run-module-no-file 2 "--module ',x': no file name" run --module ,x x.elf
expect run-too-many-modules 2 "more than 8 modules" run --module a --module a \
	--module a --module a --module a --module a --module a --module a --module a x.elf
if [ ! -d /sys/module/shadowvmm ]; then
	expect list-no-module 1 "the shadowvmm module is not loaded (modprobe shadowvmm)" list
	expect show-no-module 1 "module is not loaded" show 1
	expect stats-no-module 1 "module is not loaded" stats
	expect translate-no-module 1 "module is not loaded" translate 1 0x1000
	"$bin" --version | grep -q "^module: not loaded$" ||
		fail version-no-module "--version does not say 'module: not loaded'"
	if [ -s "$tmp/good.elf" ]; then
		expect run-no-module 1 "module is not loaded" run "$tmp/good.elf"
	fi
else
	echo "SKIP ctl/cli-list-no-module: the module is loaded"
fi
exit $failed
