# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# The tracepoints, read the ways Documentation/tracing.rst shows: tracefs
# by hand, then trace-cmd. A 32-bit paging guest must leave exits with
# real VMX exit reasons, CR3 loads onto non-zero shadow roots, shadow
# pages of both levels and page faults both fixed and injected; and since
# each event sits next to a counter, the counts must equal what
# "shadowvmm stats" reports for the same VM.
#
# Bochs formats and parses a trace slowly, and paging32 leaves some 50000
# events: 19000 exits (half of them port I/O for its console), as many
# entries, 9000 page faults (6000 fixed). So both parts keep only the
# rarer events in the buffer they read, filtered by the kernel, and the
# tracefs part counts the frequent ones in tracefs instances of their
# own: an instance's "entries" plus "overrun" is every event it was sent,
# and nothing needs formatting.
. /test/lib.sh

T=/sys/kernel/tracing
E=$T/events/shadowvmm
I=$T/instances
GUEST=$G/paging32.elf
MEM=32M
# Per CPU, in KiB: room for every rare event of paging32.
MAIN_KB=2048
# The exits and page faults worth reading one by one; the others are
# counted (reason 0 is #PF, 30 port I/O; outcome 2 is injected).
RARE_EXITS="reason != 0 && reason != 30"
RARE_FAULTS="outcome == 2"

# VMX basic exit reasons (SDM vol. 3, appendix C), as exit_reason.c
# names them: the stats call a reason exits_<name>.
REASONS="0:exception_nmi 1:external_interrupt 2:triple_fault 3:init_signal
4:sipi_signal 7:interrupt_window 8:nmi_window 9:task_switch 10:cpuid 12:hlt
13:invd 14:invlpg 15:rdpmc 16:rdtsc 18:vmcall 19:vmclear 20:vmlaunch
21:vmptrld 22:vmptrst 23:vmread 24:vmresume 25:vmwrite 26:vmoff 27:vmon
28:cr_access 29:dr_access 30:io_instruction 31:msr_read 32:msr_write
33:invalid_state 34:msr_load_fail 36:mwait_instruction
37:monitor_trap_flag 39:monitor_instruction 40:pause_instruction
41:mce_during_vmentry 43:tpr_below_threshold 44:apic_access 45:eoi_induced
46:gdtr_idtr 47:ldtr_tr 48:ept_violation 49:ept_misconfig 50:invept
51:rdtscp 52:preemption_timer 53:invvpid 54:wbinvd 55:xsetbv 56:apic_write
57:rdrand 58:invpcid 59:vmfunc 60:encls 61:rdseed 62:pml_full 63:xsaves
64:xrstors 67:umwait 68:tpause 74:bus_lock 75:notify"

# Each event and the fields trace.h gives it (tracing.rst lists them).
FIELDS="shadowvmm_entry:vm_id,rip
shadowvmm_exit:vm_id,reason,qualification,rip,intr_info,error_code
shadowvmm_cr3:vm_id,guest_cr3,root_hpa,mode,hit
shadowvmm_page_fault:vm_id,gva,error_code,gpa,outcome
shadowvmm_sp_get:vm_id,gfn,role,spt_hpa
shadowvmm_sp_zap:vm_id,gfn,role,spt_hpa
shadowvmm_sp_unsync:vm_id,gfn,role,spt_hpa
shadowvmm_sp_sync:vm_id,gfn,role,spt_hpa
shadowvmm_pte_write:vm_id,gpa,size,value
shadowvmm_inject:vm_id,vector
shadowvmm_apic:vm_id,offset,write,value
shadowvmm_apic_timer:vm_id,mode"

# summarize FILE: facts about the events in FILE, one event a line as
# "<event> vm <id> <the rest as printed>", as "key value" lines
# (ev_<event> N, exits_<reason> N, pf_<outcome> N, sp_level_<level>[d] N,
# cr3_32bit N) and "bad <why>" lines for fields that make no sense. Only
# sed, grep and sort see all of FILE: busybox awk is too slow for that
# in Bochs.
summarize() {
	cut -d' ' -f1 "$1" | sort | uniq -c | awk '{ print "ev_" $2, $1 }'
	sed -n 's/^shadowvmm_exit vm [0-9]* reason \([0-9]*\) .*/\1/p' "$1" |
		sort -n | uniq -c | awk -v reasons="$REASONS" '
		BEGIN {
			n = split(reasons, r, /[ \n]+/)
			for (i = 1; i <= n; i++) {
				split(r[i], kv, ":")
				name[kv[1]] = kv[2]
			}
		}
		$2 in name { print "exits_" name[$2], $1; next }
		{ print "bad exit reason " $2 " is no VMX exit reason (" $1 " exits)" }'
	sed -n 's/^shadowvmm_page_fault .* \([a-z]*\)$/\1/p' "$1" | sort | uniq -c |
		awk '{ print "pf_" $2, $1 }'
	sed -n 's/^shadowvmm_sp_get vm [0-9]* gfn [0-9a-fx]* level \([0-9]\)\( direct\)\{0,1\} .*/\1\2/p' "$1" |
		sort | uniq -c | awk '{ print "sp_level_" $2 ($3 == "" ? "" : "d"), $1 }'
	echo "cr3_32bit $(grep -Ec '^shadowvmm_cr3 .* cr3 0x0*[1-9a-f][0-9a-f]* root .* mode 32bit' "$1")"
	grep -E '^shadowvmm_cr3 .* root (0|0x0) ' "$1" | head -n 2 | sed 's/^/bad zero root: /'
	grep '^shadowvmm_page_fault ' "$1" | grep -Ev ' err (0|0x[0-9a-f]|0x1[0-9a-f]) ' |
		head -n 2 | sed 's/^/bad error code: /'
	# 32 MiB of RAM: frames below 0x2000, addresses below 0x2000000
	grep ' fixed$' "$1" | grep -Ev ' gpa (0|0x[0-9a-f]{1,6}|0x1[0-9a-f]{6}) ' |
		head -n 2 | sed 's/^/bad fixed beyond RAM: /'
	grep -E '^shadowvmm_sp_(get|zap) ' "$1" |
		grep -Ev ' gfn (0|0x[0-9a-f]{1,3}|0x1[0-9a-f]{3}) level [12] .* spt 0x[0-9a-f]*[1-9a-f]' |
		head -n 2 | sed 's/^/bad shadow page (a 32-bit guest has levels 1 and 2): /'
}

# val FILE KEY: the value of "KEY value" in FILE, 0 if absent
val() {
	v=$(awk -v k="$2" '$1 == k { print $2; exit }' "$1")
	echo "${v:-0}"
}

# check_events NAME SUMMARY: what every trace of paging32 must show
check_events() {
	why=
	for e in shadowvmm_exit shadowvmm_cr3 shadowvmm_page_fault \
		shadowvmm_sp_get; do
		[ "$(val "$2" "ev_$e")" -gt 0 ] || why="$why no $e event;"
	done
	[ "$(val "$2" cr3_32bit)" -gt 0 ] ||
		why="$why no cr3 event with mode 32bit and a non-zero guest CR3;"
	for o in fixed injected; do
		[ "$(val "$2" "pf_$o")" -gt 0 ] || why="$why no page fault $o;"
	done
	for l in 1 2; do
		[ "$(val "$2" "sp_level_$l")" -gt 0 ] ||
			why="$why no shadow page of level $l;"
	done
	b=$(grep '^bad ' "$2")
	[ -z "$b" ] || why="$why $b"
	check "$1" "$why"
}

# inst NAME EVENT FILTER: an instance, a ring buffer of its own, that
# records EVENT where FILTER holds
inst() {
	mkdir "$I/$1" &&
		echo 16 >"$I/$1/buffer_size_kb" &&
		echo "$3" >"$I/$1/events/shadowvmm/$2/filter" &&
		echo 1 >"$I/$1/events/shadowvmm/$2/enable"
}
# written NAME: how many events instance NAME recorded, overwritten or not
written() {
	cat "$I/$1"/per_cpu/cpu*/stats |
		awk '/^(entries|overrun):/ { n += $2 } END { print n + 0 }'
}
COUNTERS="c_entry c_exit0 c_exit_io c_fixed c_fixed_out c_spurious c_pte c_unsync"

# --- tracefs ----------------------------------------------------------------

if [ ! -d "$T/events" ]; then
	skip tracing-tracefs "no tracefs at $T (the kernel lacks CONFIG_EVENT_TRACING?)"
	skip tracing-trace-cmd "no tracefs at $T"
	exit 0
fi
if ! require_module; then
	fail tracing-tracefs "shadowvmm.ko is not loaded and insmod failed"
	exit 0
fi
if [ ! -d "$E" ]; then
	skip tracing-tracefs "$E missing: the module was built without tracepoints"
	skip tracing-trace-cmd "$E missing"
	exit 0
fi

# Every event, with the fields the documentation promises.
why=
for ef in $FIELDS; do
	e=${ef%%:*}
	if [ ! -f "$E/$e/format" ]; then
		why="$why no $e;"
		continue
	fi
	for fld in $(echo "${ef#*:}" | tr , ' '); do
		grep -qE "field:[a-z0-9_ ]+ $fld;" "$E/$e/format" ||
			why="$why $e lacks field $fld;"
	done
done
check tracing-format "$why"

why=
id=$(shadowvmm create --mem "$MEM" 2>/tmp/tr.err | tail -n 1)
case $id in '' | *[!0-9]*)
	fail tracing-tracefs "create printed '$id': $(head -c 200 /tmp/tr.err)"
	exit 0
	;;
esac
if ! err=$(shadowvmm load "$id" "$GUEST" 2>&1); then
	fail tracing-tracefs "load: $err"
	shadowvmm destroy "$id" >/dev/null 2>&1
	exit 0
fi

# "7 (expanded: 1408)" until first use: put back the size it will have.
old_kb=$(sed -n 's/.*expanded: *\([0-9]*\).*/\1/p; t; s/^\([0-9]*\).*/\1/p' "$T/buffer_size_kb")
echo 0 >"$T/tracing_on"
echo "$MAIN_KB" >"$T/buffer_size_kb"
: >"$T/trace"
V="vm_id == $id"
echo "$V && $RARE_EXITS" >"$E/shadowvmm_exit/filter"
echo "$V && $RARE_FAULTS" >"$E/shadowvmm_page_fault/filter"
for e in shadowvmm_cr3 shadowvmm_sp_get shadowvmm_sp_zap; do
	echo "$V" >"$E/$e/filter"
done
for e in shadowvmm_exit shadowvmm_page_fault shadowvmm_cr3 \
	shadowvmm_sp_get shadowvmm_sp_zap; do
	echo 1 >"$E/$e/enable"
done
inst c_entry shadowvmm_entry "$V" &&
	inst c_exit0 shadowvmm_exit "$V && reason == 0" &&
	inst c_exit_io shadowvmm_exit "$V && reason == 30" &&
	inst c_fixed shadowvmm_page_fault "$V && outcome == 0" &&
	inst c_fixed_out shadowvmm_page_fault "$V && outcome == 0 && gpa >= 0x2000000" &&
	inst c_spurious shadowvmm_page_fault "$V && outcome == 1" &&
	inst c_pte shadowvmm_pte_write "$V" &&
	inst c_unsync shadowvmm_sp_unsync "$V" ||
	why="could not set up the tracefs instances;"
echo 1 >"$T/tracing_on"

if [ -z "$why" ] && ! err=$(shadowvmm start "$id" 2>&1); then
	why="start: $err"
elif [ -z "$why" ] && ! wait_state "$id" 'state.*stopped' 90; then
	why="paging32 still running after 90 s"
fi
echo 0 >"$T/tracing_on"
echo 0 >"$E/enable"
echo 0 >"$E/filter"
if [ -z "$why" ]; then
	shadowvmm show "$id" >/tmp/tr.show 2>&1
	grep -q 'exit_status: *0$' /tmp/tr.show ||
		echo "note: paging32 did not exit 0 (guest-paging32 says why): $(grep -E 'stop_reason|exit_status' /tmp/tr.show | tr '\n' ' ')"
	shadowvmm stats "$id" >/tmp/tr.stats 2>&1 || why="stats: $(head -c 200 /tmp/tr.stats)"
fi
shadowvmm destroy "$id" >/dev/null 2>&1
sed -n "s/^.*\(shadowvmm_[a-z0-9_]*\): *\(vm $id \)/\1 \2/p" "$T/trace" >/tmp/tr.ev
overrun=$(cat "$T"/per_cpu/cpu*/stats | awk '/^overrun:/ { n += $2 } END { print n + 0 }')
for c in $COUNTERS; do
	echo "$c $(written "$c")"
done >/tmp/tr.count
fixed_sample=$(grep -v '^#' "$I/c_fixed/trace" | head -n 1)
for c in $COUNTERS; do
	rmdir "$I/$c" 2>/dev/null
done
: >"$T/trace"
echo "${old_kb:-1408}" >"$T/buffer_size_kb"
echo 1 >"$T/tracing_on"

if [ -n "$why" ]; then
	fail tracing-tracefs "$why"
elif [ "$overrun" -ne 0 ]; then
	fail tracing-tracefs "the main ring buffer overran ($overrun events lost): raise MAIN_KB"
else
	{
		summarize /tmp/tr.ev
		# The frequent events, counted in their instances.
		echo "ev_shadowvmm_entry $(val /tmp/tr.count c_entry)"
		echo "exits_io_instruction $(val /tmp/tr.count c_exit_io)"
		echo "pf_fixed $(val /tmp/tr.count c_fixed)"
		echo "pf_spurious $(val /tmp/tr.count c_spurious)"
		echo "ev_shadowvmm_sp_unsync $(val /tmp/tr.count c_unsync)"
		n=$(val /tmp/tr.count c_fixed_out)
		[ "$n" -eq 0 ] || echo "bad $n faults fixed beyond guest RAM"
	} >/tmp/tr.sum
	echo "tracefs, VM $id: $(grep -E '^(ev_|pf_|cr3_|sp_level)' /tmp/tr.sum | sort | tr '\n' ' ')"
	echo "a fixed fault: ${fixed_sample#*: }"
	check_events tracing-tracefs /tmp/tr.sum

	# The same happenings, counted twice: by the events and the stats.
	why=
	exits=$(($(val /tmp/tr.count c_exit0) + $(awk '$1 ~ /^exits_/ { n += $2 } END { print n + 0 }' /tmp/tr.sum)))
	[ "$exits" = "$(val /tmp/tr.stats exits)" ] ||
		why="$why $exits shadowvmm_exit events but exits=$(val /tmp/tr.stats exits);"
	[ "$(val /tmp/tr.count c_entry)" = "$exits" ] ||
		why="$why $(val /tmp/tr.count c_entry) entries but $exits exits;"
	[ "$(val /tmp/tr.count c_exit0)" = "$(val /tmp/tr.stats exits_exception_nmi)" ] ||
		why="$why $(val /tmp/tr.count c_exit0) exits with reason 0 but exits_exception_nmi=$(val /tmp/tr.stats exits_exception_nmi);"
	for pair in pf_fixed:pf_fixed pf_injected:pf_guest \
		pf_spurious:pf_spurious ev_shadowvmm_sp_get:mmu_cache_miss \
		ev_shadowvmm_sp_zap:mmu_shadow_zapped; do
		a=$(val /tmp/tr.sum "${pair%%:*}")
		b=$(val /tmp/tr.stats "${pair#*:}")
		[ "$a" = "$b" ] || why="$why ${pair%%:*}=$a but ${pair#*:}=$b;"
	done
	[ "$(val /tmp/tr.count c_pte)" = "$(val /tmp/tr.stats mmu_pte_write)" ] ||
		why="$why $(val /tmp/tr.count c_pte) pte_write events but mmu_pte_write=$(val /tmp/tr.stats mmu_pte_write);"
	[ "$(val /tmp/tr.count c_unsync)" = "$(val /tmp/tr.stats mmu_unsync)" ] ||
		why="$why $(val /tmp/tr.count c_unsync) sp_unsync events but mmu_unsync=$(val /tmp/tr.stats mmu_unsync);"
	# exits by reason other than 0, both ways
	for x in $(awk '$1 ~ /^exits_./ && $1 != "exits_exception_nmi" { print $1 }' /tmp/tr.sum /tmp/tr.stats | sort -u); do
		a=$(val /tmp/tr.sum "$x")
		b=$(val /tmp/tr.stats "$x")
		[ "$a" = "$b" ] || why="$why $a exit events for $x but stats say $b;"
	done
	check tracing-matches-stats "$why"
fi

# --- trace-cmd ----------------------------------------------------------------

if ! command -v trace-cmd >/dev/null 2>&1; then
	skip tracing-trace-cmd "trace-cmd is not in the initramfs (scripts/mkinitramfs takes it from the host: apt-get install trace-cmd)"
	exit 0
fi
cd /tmp || exit 0
trace-cmd list -e shadowvmm >/tmp/tc.list 2>&1
why=
for ef in $FIELDS; do
	grep -qx "shadowvmm:${ef%%:*}" /tmp/tc.list || why="$why ${ef%%:*}"
done
if [ -n "$why" ]; then
	fail tracing-trace-cmd "trace-cmd list -e shadowvmm lacks$why: $(head -c 200 /tmp/tc.list)"
	exit 0
fi
# All of shadowvmm, as tracing.rst shows it, would be 50000 events; the
# fixed faults kept are the few dozen below 0x110000 (low memory and the
# start of the guest's image).
trace-cmd record -q -o /tmp/tc.dat \
	-e shadowvmm:shadowvmm_exit -f "$RARE_EXITS" \
	-e shadowvmm:shadowvmm_page_fault \
	-f "$RARE_FAULTS || (outcome == 0 && gva < 0x110000)" \
	-e shadowvmm:shadowvmm_cr3 -e shadowvmm:shadowvmm_sp_get \
	-e shadowvmm:shadowvmm_sp_zap \
	shadowvmm run "$GUEST" --mem "$MEM" >/tmp/tc.out 2>&1
st=$?
trace-cmd report -i /tmp/tc.dat >/tmp/tc.txt 2>/tmp/tc.err
rst=$?
rm -f /tmp/tc.dat
trace-cmd reset >/dev/null 2>&1
echo "${old_kb:-1408}" >"$T/buffer_size_kb"
if [ "$rst" -ne 0 ] || [ ! -s /tmp/tc.txt ]; then
	fail tracing-trace-cmd "trace-cmd report exited $rst (record: $st): $(head -c 300 /tmp/tc.err) $(tail -c 200 /tmp/tc.out)"
	exit 0
fi
# An excerpt of the report in the serial log, for whoever reads it.
grep -m 12 -E 'shadowvmm_(cr3|page_fault|sp_get|exit)' /tmp/tc.txt
# One VM ran: keep the events that name it.
sed -n 's/^.*\(shadowvmm_[a-z0-9_]*\): *\(vm [1-9][0-9]* \)/\1 \2/p' /tmp/tc.txt >/tmp/tc.ev
summarize /tmp/tc.ev >/tmp/tc.sum
n=$(grep -c 'FAILED TO PARSE' /tmp/tc.txt)
[ "$n" -eq 0 ] || echo "bad trace-cmd report could not parse $n events" >>/tmp/tc.sum
echo "trace-cmd, VM $(awk '{ print $3; exit }' /tmp/tc.ev): $(grep -E '^(ev_|pf_|cr3_|sp_level)' /tmp/tc.sum | sort | tr '\n' ' ')"
check_events tracing-trace-cmd /tmp/tc.sum
