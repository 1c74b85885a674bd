# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# stats as kvm_stat users expect it: -f, --csv, -j, all VMs, exits by
# reason with their cycles, --watch in batch mode; run's summary line and
# its Ctrl-C; --version with the module loaded.
. /test/lib.sh

module_loaded || insmod "$KO"
shadowvmm --version | grep -qE '^module: netlink family shadowvmm version [0-9]+$' ||
	fail version-module-loaded "$(shadowvmm --version 2>&1)"

id=$(new_vm "$G/spin.elf") || { fail stats-cli "create/load: $id"; exit 0; }
if ! err=$(shadowvmm start "$id" 2>&1); then
	fail stats-cli "start: $err"
	shadowvmm destroy "$id" >/dev/null 2>&1
	exit 0
fi
sleep 2

# Human: "NAME TOTAL RATE" rows, then the exits by reason.
shadowvmm stats "$id" >/tmp/st.human 2>&1
echo "--- stats $id"
cat /tmp/st.human
why=
head -n 1 /tmp/st.human | grep -qE '^Event +Total +Rate/s$' || why="header: $(head -n 1 /tmp/st.human)"
grep -qE '^exits +[1-9][0-9]* +[0-9]+\.[0-9]$' /tmp/st.human || why="$why no exits row with a rate;"
grep -qE '^mmu_shadow_pages +[0-9]+ +\(instant\)$' /tmp/st.human || why="$why instant counter without its kind;"
grep -qE '^Exits by reason +Count +%Exits +Rate/s +Avg cycles$' /tmp/st.human || why="$why no exits by reason;"
awk '/^Exits by reason/ { on = 1; next }
	on && $1 ~ /^exits_/ && $3 ~ /%$/ && $5 ~ /^[0-9]+$/ && $5 > 0 { ok = 1 }
	END { exit !ok }' /tmp/st.human || why="$why no reason row with its average cycles;"
check stats-human "$why"

# -f: only what the regex lets through; no reasons table without exits_.
shadowvmm stats "$id" -f '^pf_' >/tmp/st.f 2>&1
why=
[ "$(sed 1d /tmp/st.f | grep -cv '^pf_')" -eq 0 ] || why="other rows: $(cat /tmp/st.f)"
grep -q '^pf_fixed ' /tmp/st.f || why="$why no pf_fixed: $(cat /tmp/st.f)"
shadowvmm stats "$id" -f 'exits_' >/tmp/st.f2 2>&1
grep -q '^Exits by reason' /tmp/st.f2 || why="$why -f exits_ lost the reasons: $(head -c 200 /tmp/st.f2)"
check stats-filter "$why"

# CSV: one header, then timestamp,vm_id,name,kind,value,rate rows.
shadowvmm stats "$id" --csv >/tmp/st.csv 2>&1
why=
[ "$(head -n 1 /tmp/st.csv)" = "timestamp,vm_id,stat_name,stat_kind,stat_value,rate" ] ||
	why="header: $(head -n 1 /tmp/st.csv)"
bad=$(sed 1d /tmp/st.csv | grep -vE "^[0-9]+\.[0-9]{3},$id,[a-z0-9_]+,(cumulative,[0-9]+,[0-9]+\.[0-9]{3}|(instant|peak),[0-9]+,)\$")
[ -z "$bad" ] || why="$why bad rows: $bad"
sed -n 's/^[^,]*,[^,]*,exits_\([a-z_]*\),.*/\1/p' /tmp/st.csv >/tmp/st.reasons
while read -r x; do
	grep -q ",exit_cycles_$x,cumulative," /tmp/st.csv || why="$why exits_$x without exit_cycles_$x;"
done </tmp/st.reasons
grep -q ',exits_' /tmp/st.csv || why="$why no exits_<reason> rows;"
check stats-csv "$why"

# JSON: one object for one VM, a list for all of them.
j=$(shadowvmm stats -j "$id" 2>&1)
why=
echo "$j" | grep -qE "^\\{\"vm_id\":$id,\"vm_state\":\"running\",\"timestamp\":[0-9.]+,\"interval\":[0-9.]+,\"stats\":\\[\\{\"stat_name\":\"exits\",\"stat_value\":[0-9]+,\"stat_kind\":\"cumulative\",\"stat_unit\":\"none\",\"rate\":[0-9.]+\\}," ||
	why="stats -j: $(echo "$j" | head -c 300)"
echo "$j" | grep -q '"stat_name":"mmu_shadow_pages","stat_value":[0-9]*,"stat_kind":"instant","stat_unit":"pages"}' ||
	why="$why instant counter: $(echo "$j" | head -c 300)"
j=$(shadowvmm stats -j 2>&1)
echo "$j" | grep -qE "^\\[(.*,)?\\{\"vm_id\":$id,.*\\]\$" || why="$why all VMs: $(echo "$j" | head -c 300)"
check stats-json "$why"

# --watch in a pipe: one block per refresh, each with its title and rates.
shadowvmm stats "$id" --watch 1 --count 2 >/tmp/st.watch 2>&1
st=$?
echo "--- stats $id --watch 1 --count 2"
cat /tmp/st.watch
why=
[ "$st" -eq 0 ] || why="exit $st: $(head -c 200 /tmp/st.watch)"
[ "$(grep -c "^shadowvmm stats, VM $id, every 1s: " /tmp/st.watch)" -eq 2 ] || why="$why want 2 titles;"
[ "$(grep -cE '^exits +[0-9]+ +[0-9]+\.[0-9]$' /tmp/st.watch)" -eq 2 ] || why="$why want 2 exits rows with rates;"
grep -q "$(printf '\033')" /tmp/st.watch && why="$why terminal escapes in a pipe;"
shadowvmm stats "$id" --watch 0.5 --count 3 --csv >/tmp/st.wcsv 2>&1
[ "$(grep -c '^timestamp,' /tmp/st.wcsv)" -eq 1 ] || why="$why --csv: want one header;"
[ "$(grep ",exits,cumulative," /tmp/st.wcsv | cut -d, -f1 | sort -u | wc -l)" -eq 3 ] ||
	why="$why --csv: want 3 timestamps: $(head -c 200 /tmp/st.wcsv)"
shadowvmm stats --watch 0.5 --count 2 -j >/tmp/st.wjson 2>&1
[ "$(grep -c '^\[.*\]$' /tmp/st.wjson)" -eq 2 ] || why="$why -j all VMs: $(head -c 200 /tmp/st.wjson)"
check stats-watch-batch "$why"

shadowvmm stop "$id" >/dev/null 2>&1
wait_state "$id" 'state.*stopped' 10
# A VM that stands still needs no second sample: its rates are 0.
why=
shadowvmm stats "$id" >/tmp/st.stopped 2>&1 || why="stats of a stopped VM: $(cat /tmp/st.stopped)"
grep -qE '^exits +[0-9]+ +0\.0$' /tmp/st.stopped || why="$why rate not 0: $(head -n 3 /tmp/st.stopped)"
check stats-stopped-vm "$why"
expect_error stats-no-such-vm 1 shadowvmm stats 99999
shadowvmm destroy "$id" >/dev/null 2>&1

# run ends with one line: how the guest ended, exits, page faults, cycles.
shadowvmm run "$G/exitcode.elf" --cmdline 3 >/tmp/run.out 2>/tmp/run.err
st=$?
why=
[ "$st" -eq 3 ] || why="exit status $st"
[ "$(wc -l </tmp/run.err)" -eq 1 ] || why="$why stderr is not one line: $(cat /tmp/run.err)"
grep -qE '^shadowvmm: VM [0-9]+ exited with status 3: [1-9][0-9]* exits, [0-9]+ page faults \([0-9]+ fixed \+ [0-9]+ guest\), [1-9][0-9]* guest cycles$' /tmp/run.err ||
	why="$why summary: $(cat /tmp/run.err)"
check run-summary "$why"

# Ctrl-C stops and destroys the VM, still with the summary.
shadowvmm run "$G/spin.elf" >/tmp/run.out 2>/tmp/run.err &
pid=$!
i=0
while [ $i -lt 30 ] && ! grep -q '^spin: spinning' /tmp/run.out; do
	sleep 1
	i=$((i + 1))
done
kill -INT "$pid"
wait "$pid"
st=$?
why=
[ "$st" -eq 130 ] || why="exit status $st, want 130"
grep -qE '^shadowvmm: Interrupt: VM [0-9]+ stopped and destroyed; [0-9]+ exits, [0-9]+ page faults' /tmp/run.err ||
	why="$why stderr: $(cat /tmp/run.err)"
vm=$(sed -n 's/^shadowvmm: Interrupt: VM \([0-9]*\) .*/\1/p' /tmp/run.err)
[ -n "$vm" ] && shadowvmm list | grep -qE "^ *$vm " && why="$why VM $vm left behind"
check run-ctrl-c "$why"
