# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# A distribution's stock kernel: Debian's vmlinux (scripts/stock-vmlinux)
# booted through its PVH note with the Linux guest's initramfs, on a PC
# with no PCI, ACPI, i8042, HPET or VGA.
# - Each case of guests/linux/stock-cases prints what the project's kernel
#   prints (less the kernel's lines and its release) and what it prints
#   under QEMU, and exits with the same status.
# - Nothing it probes costs a long timeout: no initcall or driver probe of
#   a device a PC may lack (the keyboard controller, the RTC, PCI, ACPI,
#   PnP, HPET, VGA and the frame buffer, the serial ports, the floppy, the
#   parallel port) took 100 ms or more (initcall_debug, listed by init).
# - The kernel complains of nothing but what such a PC makes it say.
. /test/lib.sh

S=$G/linux-stock
L=$G/linux
if [ ! -f "$S/vmlinux" ]; then
	skip linux-stock "no stock kernel: tests/check found no /boot/vmlinuz-*-amd64 (linux-image-amd64)"
	exit 0
fi

# what_out FILE: the output the cases compare (tests/guests-qemu.sh's
# linux_output)
what_out() {
	tr -d '\r' <"$1" | grep -v -e '^\[' -e '^slow initcall: ' |
		sed 's/^linux-guest: Linux [^,]*,/linux-guest: Linux RELEASE,/'
}

while read -r name status expected cmdline; do
	case $name in '' | '#'*) continue ;; esac
	t0=$(cut -d' ' -f1 /proc/uptime)
	shadowvmm run "$S/vmlinux" --initrd "$L/initramfs.cpio.gz" --mem 128M \
		--cmdline "$cmdline" >/tmp/s.out 2>/tmp/s.err </dev/null
	got=$?
	t1=$(cut -d' ' -f1 /proc/uptime)
	what_out /tmp/s.out >/tmp/s.cmp
	what_out "$G/linux/expected/$expected" >/tmp/s.want
	tr -d '\r' </tmp/s.out | grep '^\[' >/tmp/s.kernel
	slow=$(tr -d '\r' </tmp/s.out | grep '^slow initcall: ')
	echo "linux-stock-$name: $(tail -n 1 /tmp/s.err), in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s"
	[ -z "$slow" ] || echo "$slow" | sed "s/^/linux-stock-$name: /"
	sed "s/^/linux-stock-$name: kernel: /" /tmp/s.kernel

	why=
	if [ "$got" -ne "$status" ]; then
		why="exit status $got, want $status; stderr: $(head -c 300 /tmp/s.err); output: $(tail -c 300 /tmp/s.out)"
	elif ! cmp -s /tmp/s.cmp /tmp/s.want; then
		why="output differs from guests/linux/expected/$expected: got '$(head -c 300 /tmp/s.cmp)'"
	fi
	check "linux-stock-$name" "$why"

	why=
	if ! grep -q '^linux-guest: ' /tmp/s.cmp; then
		why="init never ran: no initcall list"
	else
		why=$(echo "$slow" | grep -iE 'i8042|serio|atkbd|psmouse|rtc|cmos|pci|acpi|pnp|hpet|vga|fb|vesa|efifb|serial|8250|floppy|parport|pcspkr|input')
	fi
	check "linux-stock-$name-probes" "$why"

	# What a PC without ACPI, PCI and machine checks makes Linux say,
	# and nothing worse (a BUG, a warning, a stall, an RTC it cannot read).
	why=$(grep -E 'BUG|WARNING|Oops|Call Trace|lockup|stall|blocked for|RTC|rtc|timeout|timed out' /tmp/s.kernel)
	check "linux-stock-$name-kernel-log" "$why"
done <"$G/linux/stock-cases"
