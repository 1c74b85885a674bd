# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# While KVM holds VMX (a VM open), insmod refuses with EBUSY and says so
# in dmesg; once KVM lets go, insmod works again; rmmod at the end.
. /test/lib.sh

module_loaded && rmmod "$MOD" 2>/dev/null
kvm-probe --hold 60 >/tmp/hold.out 2>&1 &
hold=$!
i=0
while [ $i -lt 30 ] && ! grep -q vmx-held /tmp/hold.out; do
	kill -0 $hold 2>/dev/null || break
	sleep 1
	i=$((i + 1))
done
if ! grep -q vmx-held /tmp/hold.out; then
	kill $hold 2>/dev/null
	wait $hold 2>/dev/null
	skip insmod-while-kvm "KVM could not hold VMX: $(cat /tmp/hold.out)"
	skip reinsmod-after-kvm "KVM could not hold VMX"
	exit 0
fi

dmesg_mark
why=
if out=$(insmod "$KO" 2>&1); then
	why="insmod succeeded while KVM holds VMX"
	rmmod "$MOD" 2>/dev/null
else
	echo "$out" | grep -qiE 'busy' || why="insmod failed, but not with EBUSY: $out"
	dmesg_new | grep -i shadowvmm | grep -qiE 'vmx|busy|kvm|in use' ||
		why="$why no shadowvmm line in dmesg explaining it: $(dmesg_new | tail -n 3)"
fi
check insmod-while-kvm "$why"

kill $hold 2>/dev/null
wait $hold 2>/dev/null
dmesg_mark
why=
if ! out=$(insmod "$KO" 2>&1); then
	why="insmod after KVM let go failed: $out; $(dmesg_new | tail -n 3)"
else
	err=$(shadowvmm run "$G/hello.elf" --mem 32M 2>&1 >/dev/null) || why="run after reload failed: $err"
	out=$(rmmod "$MOD" 2>&1) || why="$why rmmod failed: $out"
fi
check reinsmod-after-kvm "$why"
