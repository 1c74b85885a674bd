# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# translate in a guest with paging on (guests/pagewalk.c): a mapped page,
# an unmapped one, a read-only one, one never used and the guest's page
# directory, in human and JSON output; and --mmu-pages from create to
# show, list and JSON.
. /test/lib.sh

MAPPED=0x40000000
READONLY=0x40001000
UNMAPPED=0x40002000
UNTOUCHED=0x40003000

# --- --mmu-pages -------------------------------------------------------------

why=
if ! id=$(shadowvmm create --mmu-pages 64 2>&1); then
	why="create --mmu-pages 64: $id"
else
	vm_show "$id" | grep -qE '^mmu_pages_max: +64 ' || why="show: $(vm_show "$id")"
	shadowvmm show -j "$id" | grep -q '"mmu_pages_max":64,' ||
		why="$why show -j: $(shadowvmm show -j "$id" 2>&1)"
	shadowvmm list | awk -v id="$id" '$1 == id && $4 == 64 { ok = 1 } END { exit !ok }' ||
		why="$why list: $(shadowvmm list 2>&1)"
	shadowvmm -j list | grep -q "{\"vm_id\":$id,[^}]*\"mmu_pages_max\":64" ||
		why="$why list -j: $(shadowvmm -j list 2>&1)"
	shadowvmm list | head -n 1 | grep -q 'MMU_PAGES' || why="$why list header: $(shadowvmm list | head -n 1)"
	shadowvmm destroy "$id" >/dev/null 2>&1
fi
check mmu-pages-round-trip "$why"
# The module's parameter is the ceiling; its refusal comes back in one line.
expect_error mmu-pages-over-module-max 1 shadowvmm create --mmu-pages 4000000000
grep -q 'mmu_pages_max' /tmp/ee.err || fail mmu-pages-over-module-max-says-why "$(cat /tmp/ee.err)"
expect_error mmu-pages-below-min 2 shadowvmm create --mmu-pages 15

# --- translate -----------------------------------------------------------------

id=$(new_vm "$G/pagewalk.elf" --cmdline spin) || { fail translate "create/load: $id"; exit 0; }
expect_error translate-before-start 1 shadowvmm translate "$id" "$MAPPED"
grep -q 'not started' /tmp/ee.err || fail translate-before-start-says-why "$(cat /tmp/ee.err)"
if ! err=$(shadowvmm start "$id" 2>&1); then
	fail translate "start: $err"
	shadowvmm destroy "$id" >/dev/null 2>&1
	exit 0
fi
i=0
while [ $i -lt 60 ] && ! shadowvmm console "$id" 2>/dev/null | grep -q '^pagewalk: ready'; do
	sleep 1
	i=$((i + 1))
done
if ! shadowvmm console "$id" | grep -q '^pagewalk: ready'; then
	fail translate "the guest never got ready: $(shadowvmm console "$id" 2>&1 | head -c 300)"
	shadowvmm destroy "$id" >/dev/null 2>&1
	exit 0
fi
shadowvmm console "$id" | grep -q '^not ok' && fail translate-guest-checks "$(shadowvmm console "$id" | grep '^not ok')"

# xl NAME ARGS...: translate into /tmp/tr.NAME (human) and /tmp/tr.NAME.json
xl() {
	n=$1
	shift
	shadowvmm translate "$id" "$@" >"/tmp/tr.$n" 2>&1 || echo "exit $?" >>"/tmp/tr.$n"
	shadowvmm translate -j "$id" "$@" >"/tmp/tr.$n.json" 2>&1 || echo "exit $?" >>"/tmp/tr.$n.json"
	echo "--- translate $* (VM $id)"
	cat "/tmp/tr.$n"
	cat "/tmp/tr.$n.json"
}
# has NAME REGEX...: every REGEX matches a line of /tmp/tr.NAME; prints what is missing
has() {
	f=/tmp/tr.$1
	shift
	for re in "$@"; do
		grep -qE -- "$re" "$f" || echo "no '$re' in $(basename "$f");"
	done
}
# lacks NAME REGEX: REGEX matches no line
lacks() { ! grep -qE -- "$2" "/tmp/tr.$1" || echo "'$2' in tr.$1;"; }
# The shadow walk's PTE row; its flags start after the 16-digit entry.
shadow_pte='^  PTE    0x[0-9a-f]{16}  '

xl mapped "$MAPPED" --write
why=$(has mapped "^VM $id: GVA 0x40000000, supervisor write, 32-bit paging$" \
	'^  LEVEL  ENTRY       AT GPA +P RW US PWT PCD A D PS G NX  MAPS$' \
	'^  PDE    0x[0-9a-f]{8}  0x[0-9a-f]+ +P RW .* table 0x' \
	'^  PTE    0x[0-9a-f]{8}  0x[0-9a-f]+ +P RW .* A D .* 4K page 0x' \
	'^  => GPA 0x[0-9a-f]+$' '^  PDPTE  0x[0-9a-f]{16}  P  ' \
	"${shadow_pte}P RW " '^  => HPA 0x[0-9a-f]+000$' \
	'^GVA 0x40000000 -> GPA 0x[0-9a-f]+ -> HPA 0x[0-9a-f]+$')
why="$why$(lacks mapped 'read-only in the shadow')"
gpa=$(sed -n 's/^  => GPA \(0x[0-9a-f]*\)$/\1/p' /tmp/tr.mapped)
grep -q "4K page $gpa\$" /tmp/tr.mapped || why="$why the PTE's frame is not the GPA $gpa;"
why="$why$(has mapped.json "^\\{\"vm_id\":$id,\"gva\":1073741824,\"access\":2,\"paging_mode\":\"32\",\"guest_walk\":\\[\\{\"walk_level\":2,\"walk_value\":[0-9]+,\"walk_addr\":[0-9]+\\},\\{\"walk_level\":1,[^]]*\\],\"gpa\":$((gpa)),\"shadow_walk\":\\[\\{\"walk_level\":3,\"walk_value\":[0-9]+\\},.*\\],\"hpa\":[0-9]+\\}$")"
why="$why$(lacks mapped.json pf_error_code)"
check translate-mapped "$why"

# The page directory: the guest may write it, the shadow never lets it.
pde_at=$(awk '$1 == "PDE" { print $3; exit }' /tmp/tr.mapped)
pd=$(printf '0x%x' $((pde_at & ~0xfff)))
xl pagedir "$pd" --write
why=$(has pagedir "^  => GPA $pd\$" '^  PTE    0x[0-9a-f]{8}  0x[0-9a-f]+ +P RW .* A D ' \
	"${shadow_pte}P -  " '^  => HPA 0x' \
	'read-only in the shadow: the page holds a guest page table, whose writes the VMM carries out')
why="$why$(has pagedir.json "\"gpa\":$((pd)),\"shadow_walk\"" '"hpa":[0-9]+\}$')"
check translate-write-protected-page-table "$why"

xl unmapped "$UNMAPPED"
why=$(has unmapped '^  PTE    0x00000000  0x[0-9a-f]+ +not present$' \
	'^  => guest #PF, error code 0x0: page not present on a supervisor read$' \
	'^GVA 0x40002000 -> guest #PF, error code 0x0$' \
	'^  => not mapped in the shadow at level 1 \(PTE\): the next access exits to the VMM')
why="$why$(has unmapped.json '"guest_walk":\[\{"walk_level":2,[^]]*\{"walk_level":1,"walk_value":0,"walk_addr":[0-9]+\}\],"pf_error_code":0,"shadow_walk"')"
why="$why$(lacks unmapped.json '"gpa"')$(lacks unmapped.json '"hpa"')"
xl unmapped-write "$UNMAPPED" --write
why="$why$(has unmapped-write '^  => guest #PF, error code 0x2 \(W\): page not present on a supervisor write$')"
why="$why$(has unmapped-write.json '"access":2,' '"pf_error_code":2,')"
check translate-unmapped "$why"

xl readonly "$READONLY"
why=$(has readonly '^  PTE    0x[0-9a-f]{8}  0x[0-9a-f]+ +P -  ' '^  => GPA 0x' \
	"${shadow_pte}P -  " '^  => HPA 0x')
xl readonly-write "$READONLY" --write
why="$why$(has readonly-write '^  => guest #PF, error code 0x3 \(P W\): protection violation on a supervisor write$' \
	'the CPU faults here too, and the VMM passes the guest its #PF')"
why="$why$(has readonly-write.json '"pf_error_code":3,' '"hpa":')$(lacks readonly-write.json '"gpa"')"
xl readonly-user "$READONLY" --user
why="$why$(has readonly-user '^VM [0-9]+: GVA 0x40001000, user read,' \
	'^  => guest #PF, error code 0x5 \(P U\): protection violation on a user read$')"
check translate-read-only "$why"

xl untouched "$UNTOUCHED"
why=$(has untouched '^  => GPA 0x' \
	'^  => not mapped in the shadow at level 1 \(PTE\) \(filled on the next access\)$' \
	'^GVA 0x40003000 -> GPA 0x[0-9a-f]+ -> not in the shadow yet$')
why="$why$(has untouched.json '"gpa":[0-9]+,"shadow_walk"')$(lacks untouched.json '"hpa"')"
check translate-not-yet-shadowed "$why"

expect_error translate-no-such-vm 1 shadowvmm translate 99999 "$MAPPED"
grep -q 'no such VM' /tmp/ee.err || fail translate-no-such-vm-says-so "$(cat /tmp/ee.err)"

shadowvmm destroy "$id" >/dev/null 2>&1
