// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU for the suites that feed exit handlers synthetic exits: a VM with
 * guest RAM, console, devices and MMU as start would give it, but no VMCS
 * and no thread.
 */
#include <linux/string.h>
#include "dev/pio.h"
#include "fake_host.h"
#include "multiboot.h"
#include "test_vcpu.h"
#include "vm.h"

/* No thread to wake or guest to leave: the tests look at the APIC. */
static void test_apic_kick(struct shadowvmm_lapic *apic)
{
}

/**
 * shadowvmm_test_vcpu_new() - a VM's vCPU, reset as at its start
 * @test: the test, whose priv holds the VM for shadowvmm_test_vcpu_exit()
 * @ram_size: bytes of guest RAM
 * @entry: where the guest starts
 *
 * Return: the vCPU; the test fails here if something cannot be had.
 */
struct shadowvmm_vcpu *shadowvmm_test_vcpu_new(struct kunit *test,
					       u64 ram_size, u32 entry)
{
	struct shadowvmm_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	test->priv = vm;
	KUNIT_ASSERT_EQ(test, shadowvmm_console_init(&vm->console), 0);
	KUNIT_ASSERT_EQ(test, shadowvmm_gmem_init(&vm->gmem, ram_size), 0);
	KUNIT_ASSERT_EQ(test, shadowvmm_mmu_init(&vm->vcpu.mmu, &vm->gmem,
						 &vm->stats, 64), 0);
	shadowvmm_devices_reset(vm);
	vm->vcpu.vm = vm;
	vm->vcpu.maxphyaddr = 36;
	vm->vcpu.mmu.mmio_gfn[0] = SHADOWVMM_LAPIC_BASE >> PAGE_SHIFT;
	vm->vcpu.mmu.mmio_gfn[1] = SHADOWVMM_IOAPIC_BASE >> PAGE_SHIFT;
	shadowvmm_lapic_init(&vm->vcpu.apic, 1000000, test_apic_kick);
	shadowvmm_vcpu_reset_state(&vm->vcpu, &(struct shadowvmm_boot_regs){
		.eip = entry,
		.eax = MULTIBOOT_BOOTLOADER_MAGIC,
		.ebx = SHADOWVMM_BOOT_INFO_ADDR,
	});
	return &vm->vcpu;
}

/**
 * shadowvmm_test_vcpu_exit() - free what shadowvmm_test_vcpu_new() made
 * @test: the test; a suite's .exit
 */
void shadowvmm_test_vcpu_exit(struct kunit *test)
{
	struct shadowvmm_vm *vm = test->priv;

	memset(shadowvmm_fake_seg_base, 0, sizeof(shadowvmm_fake_seg_base));
	if (!vm)
		return;
	shadowvmm_lapic_stop_timer(&vm->vcpu.apic);
	shadowvmm_mmu_destroy(&vm->vcpu.mmu);
	shadowvmm_gmem_free(&vm->gmem);
	shadowvmm_console_free(&vm->console);
}
