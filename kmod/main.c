// SPDX-License-Identifier: GPL-2.0
/*
 * shadowvmm: a small VT-x hypervisor with shadow page tables.
 *
 * Module lifetime: find VMX, enter VMX root operation on every CPU that
 * is or comes online, register the netlink family, and undo all of it on
 * unload or reboot.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpuhotplug.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/reboot.h>
#include <linux/smp.h>
#include "netlink.h"
#include "run.h"
#include "vm.h"
#include "vmx.h"

unsigned int shadowvmm_max_mem_mb = 256;
module_param_named(max_mem_mb, shadowvmm_max_mem_mb, uint, 0644);
MODULE_PARM_DESC(max_mem_mb, "Largest guest RAM a VM may have, in MiB (default 256)");

unsigned int shadowvmm_mmu_pages_max = 1024;
module_param_named(mmu_pages_max, shadowvmm_mmu_pages_max, uint, 0644);
MODULE_PARM_DESC(mmu_pages_max, "Most shadow page-table pages per VM; the oldest are recycled beyond it (default 1024)");

bool shadowvmm_mmu_unsync = true;
module_param_named(unsync, shadowvmm_mmu_unsync, bool, 0644);
MODULE_PARM_DESC(unsync, "Let guests write leaf page tables freely, catching up at INVLPG and CR3 load (default on)");

unsigned int shadowvmm_max_vms = 64;
module_param_named(max_vms, shadowvmm_max_vms, uint, 0644);
MODULE_PARM_DESC(max_vms, "Most VMs that may exist at once (default 64)");

static enum cpuhp_state cpuhp_state;

static int vmx_cpu_online(unsigned int cpu)
{
	int err;

	err = shadowvmm_vmx_alloc_cpu_region(cpu);
	if (err)
		return err;
	/* The hotplug thread runs pinned to @cpu, so this is that CPU. */
	err = shadowvmm_vmx_cpu_on();
	if (err == -EBUSY)
		pr_err("CPU %u: VMX is in use by another hypervisor (CR4.VMXE is set; is a kvm_intel VM running?)\n",
		       cpu);
	else if (err)
		pr_err("CPU %u: VMXON failed (%d)\n", cpu, err);
	return err;
}

static int vmx_cpu_offline(unsigned int cpu)
{
	shadowvmm_vmx_cpu_off();
	return 0;
}

static void cpu_off_ipi(void *unused)
{
	shadowvmm_vmx_cpu_off();
}

/* How long reboot waits for vCPUs to leave the guest before VMXOFF. */
#define REBOOT_STOP_TIMEOUT	(2 * HZ)

/*
 * Reboot, power-off and kexec need VMX off: a CPU left in VMX operation
 * blocks INIT, so the next kernel could not bring up its APs. Every vCPU
 * stops first, also one whose VM destroy has already taken out of the
 * table, so that normally no VMCS is current when VMXOFF runs; one that
 * does not stop in time finds its VMX instructions faulting, which
 * shadowvmm_rebooting makes quiet (vmx.h).
 */
static int reboot_notify(struct notifier_block *nb, unsigned long code,
			 void *unused)
{
	shadowvmm_vm_refuse_starts();
	WRITE_ONCE(shadowvmm_rebooting, true);
	if (!shadowvmm_vcpu_stop_all(REBOOT_STOP_TIMEOUT))
		pr_warn("reboot: a vCPU did not stop in time; VMX goes off under it\n");
	on_each_cpu(cpu_off_ipi, NULL, 1);
	pr_info("reboot: guests stopped, VMX off on all CPUs\n");
	return NOTIFY_OK;
}

static struct notifier_block reboot_nb = {
	.notifier_call = reboot_notify,
};

static int __init shadowvmm_init(void)
{
	int err;

	err = shadowvmm_vmx_probe();
	if (err)
		return err;

	err = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "shadowvmm:online",
				vmx_cpu_online, vmx_cpu_offline);
	if (err < 0)
		goto free_regions;
	cpuhp_state = err;

	err = register_reboot_notifier(&reboot_nb);
	if (err)
		goto remove_cpuhp;
	err = shadowvmm_netlink_init();
	if (err)
		goto unregister_reboot;

	pr_info("VMX root operation on all CPUs; VMCS revision %#x\n",
		shadowvmm_vmx.revision_id);
	return 0;

unregister_reboot:
	unregister_reboot_notifier(&reboot_nb);
remove_cpuhp:
	cpuhp_remove_state(cpuhp_state);
free_regions:
	shadowvmm_vmx_free_cpu_regions();
	return err;
}

static void __exit shadowvmm_exit(void)
{
	/*
	 * Guests stop and go while the family can still tell listeners so;
	 * then no new requests, then the VMs created meanwhile (none can
	 * start), then no VMX.
	 */
	shadowvmm_vm_refuse_starts();
	shadowvmm_vm_stop_all();
	shadowvmm_vm_destroy_all();
	shadowvmm_netlink_exit();
	shadowvmm_vm_destroy_all();
	unregister_reboot_notifier(&reboot_nb);
	cpuhp_remove_state(cpuhp_state);
	shadowvmm_vmx_free_cpu_regions();
	pr_info("unloaded; VMX off on all CPUs\n");
}

module_init(shadowvmm_init);
module_exit(shadowvmm_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Small VT-x hypervisor with shadow page tables");
MODULE_AUTHOR("The shadowvmm developers");
