# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh disable=SC1091
# Bad input: status 1 and one line on stderr starting "shadowvmm: ".
. /test/lib.sh

expect_error error-missing-file 1 shadowvmm run /nonexistent.elf
printf 'this is not an ELF image\n' >/tmp/not-elf.elf
expect_error error-not-elf 1 shadowvmm run /tmp/not-elf.elf
# hello is linked at 1 MiB: it cannot fit in 1 MiB of guest RAM
expect_error error-image-too-big 1 shadowvmm run "$G/hello.elf" --mem 1M
expect_error error-unknown-vm-show 1 shadowvmm show 999
expect_error error-unknown-vm-start 1 shadowvmm start 999
expect_error error-unknown-vm-destroy 1 shadowvmm destroy 999
expect_error error-unknown-vm-load 1 shadowvmm load 999 "$G/hello.elf"
expect_error error-usage 2 shadowvmm no-such-command

# --- the netlink policies, broken one rule at a time ---------------------
#
# nlreq sends what the CLI never would and prints what the kernel said,
#   error=ERANGE msg='integer out of range' bad=VM_ID missing=- allowed='...'
# and on stderr the line the CLI prints for it (svmm_perror).

# refused NAME ERRNO WORDS CMD ATTR...: nlreq CMD ATTR... must be refused
# with ERRNO and an extack message holding WORDS, and the CLI's one line
# on stderr must carry the message.
refused() {
	n=$1 want=$2 words=$3
	shift 3
	nlreq "$@" >/tmp/nl.out 2>/tmp/nl.err
	st=$?
	got=$(sed -n 's/^error=\([A-Z]*\) .*/\1/p' /tmp/nl.out)
	msg=$(sed -n "s/^error=[A-Z]* msg='\([^']*\)'.*/\1/p" /tmp/nl.out)
	if [ "$st" -ne 1 ] || [ "$got" != "$want" ]; then
		fail "$n" "nlreq $* exited $st with '$(cat /tmp/nl.out)', want $want; $(head -c 200 /tmp/nl.err)"
	elif ! grep -qF -- "$words" /tmp/nl.out; then
		fail "$n" "extack lacks '$words': $(cat /tmp/nl.out)"
	elif [ -z "$msg" ]; then
		fail "$n" "no extack message: $(cat /tmp/nl.out)"
	elif [ "$(wc -l </tmp/nl.err)" -ne 1 ] || ! grep -q "^shadowvmm: $1: " /tmp/nl.err ||
		! grep -qF -- "$msg" /tmp/nl.err; then
		fail "$n" "the CLI's line does not say '$msg': $(head -c 300 /tmp/nl.err)"
	else
		pass "$n"
	fi
}

# Every operation refuses attributes it does not take, attributes the
# family does not have, and requests that lack a required attribute.
vm=$(shadowvmm create --mem 2M 2>/dev/null)
for op in VM_DESTROY VM_GET VM_START VM_STOP STATS_GET; do
	refused "nl-$op-unsupported" EINVAL "bad=MEM_SIZE" $op VM_ID=u32:"$vm" MEM_SIZE=u64:4194304
	refused "nl-$op-unknown-type" EINVAL "Unknown attribute type" $op VM_ID=u32:"$vm" 200=u32:1
	refused "nl-$op-missing-vm-id" EINVAL "missing=VM_ID" $op
done
refused nl-VM_CREATE-unsupported EINVAL "Unsupported attribute" VM_CREATE MEM_SIZE=u64:4194304 VM_ID=u32:1
refused nl-VM_CREATE-unknown-type EINVAL "Unknown attribute type" VM_CREATE MEM_SIZE=u64:4194304 999=u8:1
refused nl-VM_CREATE-missing-mem-size EINVAL "missing attribute MEM_SIZE" VM_CREATE
refused nl-MEM_WRITE-unsupported EINVAL "bad=BOOT_ENTRY" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:0 DATA=fill:4 BOOT_ENTRY=u32:1
refused nl-MEM_WRITE-missing-data EINVAL "missing=DATA" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:0
refused nl-MEM_WRITE-missing-gpa EINVAL "missing=GPA" MEM_WRITE VM_ID=u32:"$vm" DATA=fill:4
refused nl-MEM_WRITE-missing-vm-id EINVAL "missing=VM_ID" MEM_WRITE GPA=u64:0 DATA=fill:4
refused nl-BOOT_SET-unsupported EINVAL "bad=GPA" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:1048576 GPA=u64:0
refused nl-BOOT_SET-missing-entry EINVAL "missing=BOOT_ENTRY" BOOT_SET VM_ID=u32:"$vm"
refused nl-CONSOLE_READ-unsupported EINVAL "bad=DATA" CONSOLE_READ VM_ID=u32:"$vm" DATA=fill:1
refused nl-CONSOLE_READ-missing-vm-id EINVAL "missing=VM_ID" CONSOLE_READ CONSOLE_OFFSET=u64:0
refused nl-TRANSLATE-unsupported EINVAL "bad=GPA" TRANSLATE VM_ID=u32:"$vm" GVA=u64:0 GPA=u64:0
refused nl-TRANSLATE-missing-gva EINVAL "missing=GVA" TRANSLATE VM_ID=u32:"$vm"
refused nl-reply-only-attribute EINVAL "bad=STATS" VM_GET VM_ID=u32:"$vm" STATS=empty:
refused nl-pad EINVAL "bad=PAD" VM_GET VM_ID=u32:"$vm" PAD=empty:

# Types, ranges, lengths, flags: the policy says what is allowed.
refused nl-vm-id-zero ERANGE "msg='integer out of range' bad=VM_ID missing=- allowed='1..4294967295'" VM_GET VM_ID=u32:0
refused nl-vm-id-u16 EINVAL "msg='invalid attribute length' bad=VM_ID" VM_GET VM_ID=u16:1
refused nl-vm-id-u64 EINVAL "msg='invalid attribute length' bad=VM_ID" VM_START VM_ID=u64:1
refused nl-mem-size-small ERANGE "bad=MEM_SIZE missing=- allowed='2097152..3221225472'" VM_CREATE MEM_SIZE=u64:2093056
refused nl-mem-size-large ERANGE "msg='integer out of range' bad=MEM_SIZE" VM_CREATE MEM_SIZE=u64:3221229568
refused nl-mem-size-u32 EINVAL "msg='invalid attribute length' bad=MEM_SIZE" VM_CREATE MEM_SIZE=u32:4194304
refused nl-mmu-pages-small ERANGE "bad=MMU_PAGES_MAX missing=- allowed='16..4294967295'" VM_CREATE MEM_SIZE=u64:4194304 MMU_PAGES_MAX=u32:15
refused nl-gpa-large ERANGE "msg='integer out of range' bad=GPA" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:3221225472 DATA=fill:1
refused nl-data-large ERANGE "msg='binary attribute size out of range' bad=DATA missing=- allowed='length 1..16384'" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:0 DATA=fill:16385
refused nl-data-empty ERANGE "msg='binary attribute size out of range' bad=DATA" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:0 DATA=empty:
refused nl-cmdline-unterminated EINVAL "msg='Attribute failed policy validation' bad=BOOT_CMDLINE" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:1048576 BOOT_CMDLINE=strn:abc
refused nl-cmdline-long EINVAL "bad=BOOT_CMDLINE missing=- allowed='length 0..4095'" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:1048576 BOOT_CMDLINE=fill:4097
refused nl-access-reserved EINVAL "msg='reserved bit set' bad=ACCESS" TRANSLATE VM_ID=u32:"$vm" GVA=u64:0 ACCESS=u32:1
refused nl-offset-u32 EINVAL "msg='invalid attribute length' bad=CONSOLE_OFFSET" CONSOLE_READ VM_ID=u32:"$vm" CONSOLE_OFFSET=u32:0

# What only the handlers can judge: the module's limits and the VM's state.
refused nl-mem-size-unaligned EINVAL "msg='MEM_SIZE must be a multiple of 4 KiB' bad=MEM_SIZE" VM_CREATE MEM_SIZE=u64:2097153
refused nl-mem-size-param EINVAL "msg='MEM_SIZE exceeds the max_mem_mb module parameter' bad=MEM_SIZE" VM_CREATE MEM_SIZE=u64:3221225472
refused nl-mmu-pages-param EINVAL "exceeds the mmu_pages_max module parameter' bad=MMU_PAGES_MAX" VM_CREATE MEM_SIZE=u64:4194304 MMU_PAGES_MAX=u32:4294967295
refused nl-no-such-vm ENOENT "msg='VM_ID: no such VM' bad=VM_ID" VM_START VM_ID=u32:4000000
refused nl-data-beyond-ram ERANGE "msg='GPA: DATA reaches beyond guest RAM' bad=GPA" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:2097150 DATA=fill:4
refused nl-entry-outside-ram EINVAL "bad=BOOT_ENTRY" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:4194304
refused nl-start-unloaded EINVAL "msg='VM_ID: no boot state yet (BOOT_SET comes first)' bad=VM_ID" VM_START VM_ID=u32:"$vm"
refused nl-stop-not-running EINVAL "msg='VM_ID: VM is not running' bad=VM_ID" VM_STOP VM_ID=u32:"$vm"
refused nl-translate-not-started EINVAL "msg='VM_ID: VM has not started: no page tables yet' bad=VM_ID" TRANSLATE VM_ID=u32:"$vm" GVA=u64:0
refused nl-protocol-unknown ERANGE "msg='integer out of range' bad=BOOT_PROTOCOL" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:1048576 BOOT_PROTOCOL=u32:2
refused nl-CONSOLE_WRITE-missing-data EINVAL "missing=DATA" CONSOLE_WRITE VM_ID=u32:"$vm"
refused nl-console-input-large ERANGE "bad=DATA missing=- allowed='length 1..4096'" CONSOLE_WRITE VM_ID=u32:"$vm" DATA=fill:4097
# Input for a VM not started yet waits, up to 4 KiB, then is refused whole.
nlreq CONSOLE_WRITE VM_ID=u32:"$vm" DATA=fill:4096 >/tmp/nl.out 2>&1 ||
	fail nl-console-input-fills "4096 bytes refused: $(cat /tmp/nl.out)"
refused nl-console-input-full ENOBUFS "msg='DATA: the console input is full: the guest is not reading COM1' bad=DATA" CONSOLE_WRITE VM_ID=u32:"$vm" DATA=fill:1
shadowvmm destroy "$vm" >/dev/null 2>&1
vm=$(new_vm "$G/spin.elf")
shadowvmm start "$vm" >/dev/null 2>&1
refused nl-write-after-start EBUSY "msg='VM_ID: VM has already been started' bad=VM_ID" MEM_WRITE VM_ID=u32:"$vm" GPA=u64:0 DATA=fill:4
refused nl-boot-after-start EBUSY "msg='VM_ID: VM has already been started' bad=VM_ID" BOOT_SET VM_ID=u32:"$vm" BOOT_ENTRY=u32:1048576
shadowvmm stop "$vm" >/dev/null 2>&1
refused nl-console-write-stopped ESRCH "msg='VM_ID: the VM has stopped' bad=VM_ID" CONSOLE_WRITE VM_ID=u32:"$vm" DATA=fill:1
shadowvmm destroy "$vm" >/dev/null 2>&1

# The CLI itself, where a user can get it wrong: the policy's limits show.
expect_error error-mem-below-min 1 shadowvmm create --mem 1M
grep -q "MEM_SIZE: integer out of range (allowed: 2097152..3221225472)" /tmp/ee.err ||
	fail error-mem-below-min-text "$(cat /tmp/ee.err)"
expect_error error-mem-unaligned 1 shadowvmm create --mem 2049K
grep -q "create VM: Invalid argument: MEM_SIZE must be a multiple of 4 KiB" /tmp/ee.err ||
	fail error-mem-unaligned-text "$(cat /tmp/ee.err)"
