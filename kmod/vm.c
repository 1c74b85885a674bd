// SPDX-License-Identifier: GPL-2.0
/*
 * VM objects: ids, lifetime and the state machine
 *
 *   CREATED --start--> RUNNING --(guest exit, stop, unload)--> STOPPED
 *
 * A VM lives in the vms xarray from create until destroy; lookups take a
 * reference, so a handler racing with destroy still holds valid memory,
 * and the last reference frees it. Each running VM has one kernel thread
 * that runs its vCPU and, once the guest has stopped, waits to be reaped
 * by destroy.
 */
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>
#include "dev/pio.h"
#include "handover.h"
#include "run.h"
#include "vcpu.h"
#include "vm.h"

/*
 * Each step in a VM's life goes to these (netlink's "events" group): this
 * layer never calls up into the one above it.
 */
static BLOCKING_NOTIFIER_HEAD(vm_notifiers);

/**
 * shadowvmm_vm_register_notifier() - be told of each step in VMs' lives
 * @nb: called in process context with an enum shadowvmm_vm_event and the
 *	VM, described as it is then
 *
 * Return: 0.
 */
int shadowvmm_vm_register_notifier(struct notifier_block *nb)
{
	return blocking_notifier_chain_register(&vm_notifiers, nb);
}

/**
 * shadowvmm_vm_unregister_notifier() - stop being told
 * @nb: what shadowvmm_vm_register_notifier() was given; no call to it is
 *	running or will run once this returns
 */
void shadowvmm_vm_unregister_notifier(struct notifier_block *nb)
{
	blocking_notifier_chain_unregister(&vm_notifiers, nb);
}

static void notify(struct shadowvmm_vm *vm, u32 event)
{
	blocking_notifier_call_chain(&vm_notifiers, event, vm);
}

/* The guest has ended: how, as its stop reason says. */
static void notify_stop(struct shadowvmm_vm *vm)
{
	switch (vm->vcpu.stop.reason) {
	case SHADOWVMM_STOP_DEBUG_EXIT:
	case SHADOWVMM_STOP_HALT:
		notify(vm, SHADOWVMM_EVENT_HALTED);
		break;
	case SHADOWVMM_STOP_USER:
	case SHADOWVMM_STOP_HOST:
		notify(vm, SHADOWVMM_EVENT_STOPPED);
		break;
	default:
		notify(vm, SHADOWVMM_EVENT_CRASHED);
		break;
	}
}

static DEFINE_XARRAY_ALLOC1(vms);
/* Guards the VM count, create/destroy and whether starts are allowed. */
static DEFINE_MUTEX(vms_lock);
static unsigned int nr_vms;
static bool starts_refused;
/* Changes with every create and destroy; odd, so never 0. */
static unsigned int vms_generation = 1;
/* The last VM serial given out: ids are reused, serials are not. */
static atomic64_t vm_serials = ATOMIC64_INIT(0);

/* Return: a number that changes whenever a VM comes or goes (for dumps). */
unsigned int shadowvmm_vm_generation(void)
{
	return READ_ONCE(vms_generation);
}

/* Call with vms_lock held. */
static void vms_changed(void)
{
	WRITE_ONCE(vms_generation, vms_generation + 2);
}

static void set_why(struct shadowvmm_why *why, int attr, const char *msg)
{
	why->msg = msg;
	why->attr = attr;
}

static void vm_release(struct kref *ref)
{
	struct shadowvmm_vm *vm = container_of(ref, struct shadowvmm_vm, ref);

	shadowvmm_vcpu_destroy(&vm->vcpu);
	shadowvmm_gmem_free(&vm->gmem);
	shadowvmm_console_free(&vm->console);
	shadowvmm_boot_free(&vm->boot);
	kfree(vm);
}

void shadowvmm_vm_put(struct shadowvmm_vm *vm)
{
	kref_put(&vm->ref, vm_release);
}

/**
 * shadowvmm_vm_create() - create a VM with zeroed guest RAM
 * @mem_size: bytes of guest RAM (range-checked by the netlink policy)
 * @mmu_pages_max: cap on shadow page-table pages, or 0 for the module
 *		   parameter mmu_pages_max, which also bounds it
 * @out: the new VM, with a reference for the caller
 * @why: set when refused
 *
 * Return: 0, -EINVAL, -ENOSPC (max_vms reached) or -ENOMEM.
 */
int shadowvmm_vm_create(u64 mem_size, u32 mmu_pages_max,
			struct shadowvmm_vm **out, struct shadowvmm_why *why)
{
	u32 mmu_pages_limit = READ_ONCE(shadowvmm_mmu_pages_max);
	struct shadowvmm_vm *vm;
	u32 id;
	int err;

	if (mmu_pages_max > mmu_pages_limit) {
		set_why(why, SHADOWVMM_A_MMU_PAGES_MAX,
			"MMU_PAGES_MAX exceeds the mmu_pages_max module parameter");
		return -EINVAL;
	}

	if (!PAGE_ALIGNED(mem_size)) {
		set_why(why, SHADOWVMM_A_MEM_SIZE,
			"MEM_SIZE must be a multiple of 4 KiB");
		return -EINVAL;
	}
	if (mem_size > (u64)READ_ONCE(shadowvmm_max_mem_mb) << 20) {
		set_why(why, SHADOWVMM_A_MEM_SIZE,
			"MEM_SIZE exceeds the max_mem_mb module parameter");
		return -EINVAL;
	}

	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	vm->serial = atomic64_inc_return(&vm_serials);
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	init_completion(&vm->stopped);
	vm->state = SHADOWVMM_VM_CREATED;
	vm->mmu_pages_max = mmu_pages_max ?: max_t(u32, mmu_pages_limit,
						   SHADOWVMM_MMU_PAGES_MIN);
	vm->vcpu.cpu = -1;
	err = shadowvmm_console_init(&vm->console);
	if (!err)
		err = shadowvmm_gmem_init(&vm->gmem, mem_size);
	if (err) {
		set_why(why, SHADOWVMM_A_MEM_SIZE, "MEM_SIZE: cannot allocate guest RAM");
		goto fail;
	}
	shadowvmm_devices_reset(vm);

	mutex_lock(&vms_lock);
	if (nr_vms >= READ_ONCE(shadowvmm_max_vms)) {
		mutex_unlock(&vms_lock);
		set_why(why, 0, "max_vms VMs exist already (module parameter)");
		err = -ENOSPC;
		goto fail;
	}
	/* The xarray holds the initial reference; the caller gets another. */
	err = xa_alloc(&vms, &id, vm, XA_LIMIT(1, INT_MAX), GFP_KERNEL);
	if (err) {
		mutex_unlock(&vms_lock);
		goto fail;
	}
	vm->id = id;
	nr_vms++;
	vms_changed();
	kref_get(&vm->ref);
	mutex_unlock(&vms_lock);
	*out = vm;
	return 0;

fail:
	shadowvmm_vm_put(vm);
	return err;
}

/* Return: whether the VM ever started, so that its vCPU and MMU exist. */
static bool ever_started(struct shadowvmm_vm *vm)
{
	bool started;

	mutex_lock(&vm->lock);
	started = vm->state != SHADOWVMM_VM_CREATED;
	mutex_unlock(&vm->lock);
	return started;
}

/* Return: the VM with @id and a reference to it, or NULL. */
struct shadowvmm_vm *shadowvmm_vm_get(u32 id)
{
	struct shadowvmm_vm *vm;

	xa_lock(&vms);
	vm = xa_load(&vms, id);
	if (vm && !kref_get_unless_zero(&vm->ref))
		vm = NULL;
	xa_unlock(&vms);
	return vm;
}

/**
 * shadowvmm_vm_get_next() - the VM with the lowest id at or above @id
 * @id: where to start; set to the id found
 *
 * Return: the VM with a reference, or NULL when there are no more.
 */
struct shadowvmm_vm *shadowvmm_vm_get_next(u32 *id)
{
	unsigned long index = *id;
	struct shadowvmm_vm *vm;

	xa_lock(&vms);
	vm = xa_find(&vms, &index, U32_MAX, XA_PRESENT);
	if (vm && !kref_get_unless_zero(&vm->ref))
		vm = NULL;
	xa_unlock(&vms);
	if (vm)
		*id = index;
	return vm;
}

static int check_created(struct shadowvmm_vm *vm, struct shadowvmm_why *why)
{
	if (vm->state == SHADOWVMM_VM_CREATED && !vm->dead)
		return 0;
	set_why(why, SHADOWVMM_A_VM_ID, "VM_ID: VM has already been started");
	return -EBUSY;
}

int shadowvmm_vm_write_mem(struct shadowvmm_vm *vm, u64 gpa, const void *data,
			   size_t len, struct shadowvmm_why *why)
{
	int err;

	mutex_lock(&vm->lock);
	err = check_created(vm, why);
	if (!err && shadowvmm_gmem_write(&vm->gmem, gpa, data, len)) {
		set_why(why, SHADOWVMM_A_GPA, "GPA: DATA reaches beyond guest RAM");
		err = -ERANGE;
	}
	mutex_unlock(&vm->lock);
	return err;
}

/**
 * shadowvmm_vm_set_boot() - check and keep how the guest is to be booted
 * @vm: a VM in state CREATED
 * @boot: the boot state; on success the VM owns its strings and @boot is
 *	  cleared, otherwise the caller still frees it
 * @why: set when refused
 *
 * Return: 0, -EBUSY, -EINVAL, -ERANGE or -E2BIG.
 */
int shadowvmm_vm_set_boot(struct shadowvmm_vm *vm, struct shadowvmm_boot *boot,
			  struct shadowvmm_why *why)
{
	unsigned int module = 0;
	const char *bad;
	int err, attr;

	err = shadowvmm_boot_check(vm->gmem.size, boot, &attr, &module, &bad);
	if (err) {
		set_why(why, attr, bad);
		why->nth = module;
		return err;
	}

	mutex_lock(&vm->lock);
	err = check_created(vm, why);
	if (!err) {
		swap(vm->boot, *boot);
		vm->boot_set = true;
	}
	mutex_unlock(&vm->lock);
	return err;
}

/**
 * shadowvmm_vm_console_write() - type bytes into the guest's COM1
 * @vm: a VM that has not stopped
 * @data: the bytes
 * @len: how many
 * @why: set when refused
 *
 * They wait in the console input (SHADOWVMM_CONSOLE_INPUT_MAX bytes) until
 * COM1's receive FIFO has room; a VM not started yet gets them when it
 * starts.
 *
 * Return: 0, -ESRCH (stopped) or -ENOBUFS (no room for all of them).
 */
int shadowvmm_vm_console_write(struct shadowvmm_vm *vm, const u8 *data,
			       size_t len, struct shadowvmm_why *why)
{
	int err = 0;

	mutex_lock(&vm->lock);
	if (vm->state == SHADOWVMM_VM_STOPPED || vm->dead) {
		set_why(why, SHADOWVMM_A_VM_ID, "VM_ID: the VM has stopped");
		err = -ESRCH;
	} else if (shadowvmm_devices_input(vm, data, len)) {
		set_why(why, SHADOWVMM_A_DATA,
			"DATA: the console input is full: the guest is not reading COM1");
		err = -ENOBUFS;
	} else if (vm->state == SHADOWVMM_VM_RUNNING) {
		shadowvmm_vcpu_kick(&vm->vcpu);
	}
	mutex_unlock(&vm->lock);
	return err;
}

static int vcpu_thread(void *data)
{
	struct shadowvmm_vm *vm = data;

	/* From this thread, so that no listener sees the end first. */
	notify(vm, SHADOWVMM_EVENT_STARTED);
	shadowvmm_vcpu_run(&vm->vcpu);

	mutex_lock(&vm->lock);
	vm->state = SHADOWVMM_VM_STOPPED;
	mutex_unlock(&vm->lock);
	notify_stop(vm);
	complete_all(&vm->stopped);

	/* Destroy reaps us; returning earlier could free the task under it. */
	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/**
 * shadowvmm_vm_start() - write the boot information and run the vCPU
 * @vm: a VM in state CREATED with its boot state set
 * @why: set when refused
 *
 * Return: 0, -EBUSY, -EINVAL, -ESHUTDOWN (host going down) or -ENOMEM.
 */
int shadowvmm_vm_start(struct shadowvmm_vm *vm, struct shadowvmm_why *why)
{
	struct shadowvmm_boot_regs regs;
	struct task_struct *thread;
	int err;

	/* vms_lock orders us against shadowvmm_vm_refuse_starts(). */
	mutex_lock(&vms_lock);
	mutex_lock(&vm->lock);
	err = check_created(vm, why);
	if (err)
		goto out;
	if (!vm->boot_set) {
		set_why(why, SHADOWVMM_A_VM_ID,
			"VM_ID: no boot state yet (BOOT_SET comes first)");
		err = -EINVAL;
		goto out;
	}
	if (starts_refused) {
		set_why(why, 0, "the host is shutting down");
		err = -ESHUTDOWN;
		goto out;
	}

	shadowvmm_handover_write(vm->gmem.ram, vm->gmem.size, &vm->boot, &regs);
	err = shadowvmm_vcpu_init(&vm->vcpu, vm, &regs);
	if (err)
		goto out;
	thread = kthread_create(vcpu_thread, vm, "shadowvmm/%u", vm->id);
	if (IS_ERR(thread)) {
		err = PTR_ERR(thread);
		shadowvmm_vcpu_destroy(&vm->vcpu);
		goto out;
	}
	vm->thread = thread;
	vm->state = SHADOWVMM_VM_RUNNING;
	wake_up_process(thread);
out:
	mutex_unlock(&vm->lock);
	mutex_unlock(&vms_lock);
	return err;
}

/* Whether the vCPU runs and destroy has not begun to take it. */
static bool is_running(struct shadowvmm_vm *vm)
{
	bool running;

	mutex_lock(&vm->lock);
	running = vm->state == SHADOWVMM_VM_RUNNING && !vm->dead;
	mutex_unlock(&vm->lock);
	return running;
}

/*
 * The wait is bounded: the vCPU stops at its next exit, which the
 * VMX-preemption timer forces within a millisecond of guest time, and a
 * thread that destroy reaps before it ever ran is marked stopped there
 * (vm_teardown()). Killable all the same, so a caller can always leave.
 */
static int stop_and_wait(struct shadowvmm_vm *vm, u32 reason)
{
	shadowvmm_vcpu_request_stop(&vm->vcpu, reason);
	return wait_for_completion_killable(&vm->stopped);
}

/**
 * shadowvmm_vm_stop() - stop a running VM and wait until it has stopped
 * @vm: the VM
 * @why: set when refused
 *
 * Return: 0, -EINVAL when the VM is not running, or -EINTR when the
 * caller was killed while waiting.
 */
int shadowvmm_vm_stop(struct shadowvmm_vm *vm, struct shadowvmm_why *why)
{
	if (!is_running(vm)) {
		set_why(why, SHADOWVMM_A_VM_ID, "VM_ID: VM is not running");
		return -EINVAL;
	}
	return stop_and_wait(vm, SHADOWVMM_STOP_USER);
}

/* Stop the vCPU thread, say the VM is gone, and drop the xarray's reference. */
static void vm_teardown(struct shadowvmm_vm *vm, u32 reason)
{
	struct task_struct *thread;

	mutex_lock(&vm->lock);
	vm->dead = true;
	thread = vm->thread;
	mutex_unlock(&vm->lock);
	if (thread) {
		shadowvmm_vcpu_request_stop(&vm->vcpu, reason);
		kthread_stop(thread);
	}
	/*
	 * kthread_stop() on a thread that has not run yet keeps it from ever
	 * calling vcpu_thread(): the guest never ran, and nobody else will
	 * say it stopped or wake those waiting in stop_and_wait().
	 */
	if (thread && !completion_done(&vm->stopped)) {
		mutex_lock(&vm->lock);
		vm->state = SHADOWVMM_VM_STOPPED;
		vm->vcpu.stop.reason = reason;
		mutex_unlock(&vm->lock);
		notify_stop(vm);
		complete_all(&vm->stopped);
	}
	notify(vm, SHADOWVMM_EVENT_DESTROYED);
	shadowvmm_vm_put(vm);
}

/**
 * shadowvmm_vm_destroy() - stop a VM if it runs and forget it
 * @id: the VM's id
 *
 * Return: 0 or -ENOENT.
 */
int shadowvmm_vm_destroy(u32 id)
{
	struct shadowvmm_vm *vm;

	mutex_lock(&vms_lock);
	vm = xa_erase(&vms, id);
	if (vm) {
		nr_vms--;
		vms_changed();
	}
	mutex_unlock(&vms_lock);
	if (!vm)
		return -ENOENT;
	vm_teardown(vm, SHADOWVMM_STOP_USER);
	return 0;
}

/* Module unload: every VM goes. */
void shadowvmm_vm_destroy_all(void)
{
	struct shadowvmm_vm *vm;
	unsigned long id;

	mutex_lock(&vms_lock);
	xa_for_each(&vms, id, vm) {
		xa_erase(&vms, id);
		nr_vms--;
		vms_changed();
		vm_teardown(vm, SHADOWVMM_STOP_HOST);
	}
	mutex_unlock(&vms_lock);
}

/* Reboot: keep new VMs from starting, then stop every running one. */
void shadowvmm_vm_refuse_starts(void)
{
	mutex_lock(&vms_lock);
	starts_refused = true;
	mutex_unlock(&vms_lock);
}

void shadowvmm_vm_stop_all(void)
{
	struct shadowvmm_vm *vm;
	u32 id = 1;

	while ((vm = shadowvmm_vm_get_next(&id))) {
		if (is_running(vm))
			stop_and_wait(vm, SHADOWVMM_STOP_HOST);
		shadowvmm_vm_put(vm);
		id++;
	}
}

/**
 * shadowvmm_vm_status() - what a VM is doing, and how its guest ended
 * @vm: the VM
 * @stop: set to how the guest stopped once the VM is STOPPED, else zeroed
 *
 * Return: the VM's enum shadowvmm_vm_state.
 */
u32 shadowvmm_vm_status(struct shadowvmm_vm *vm, struct shadowvmm_stop *stop)
{
	u32 state;

	mutex_lock(&vm->lock);
	state = vm->state;
	*stop = state == SHADOWVMM_VM_STOPPED ? vm->vcpu.stop :
						(struct shadowvmm_stop){};
	mutex_unlock(&vm->lock);
	return state;
}

/**
 * shadowvmm_vm_translate() - how the guest's tables and the shadow map @gva
 * @vm: the VM
 * @gva: the guest virtual address
 * @access: SHADOWVMM_ACCESS_* bits, the access to check the guest walk for
 * @t: the answer
 * @why: set when refused
 *
 * The VM may be running: the MMU's lock keeps the walk consistent.
 *
 * Return: 0, or -EINVAL before the first start: the MMU does not exist yet.
 */
int shadowvmm_vm_translate(struct shadowvmm_vm *vm, u64 gva, u32 access,
			   struct shadowvmm_translation *t,
			   struct shadowvmm_why *why)
{
	if (ever_started(vm) &&
	    !shadowvmm_mmu_translate(&vm->vcpu.mmu, gva, access, t))
		return 0;
	set_why(why, SHADOWVMM_A_VM_ID,
		"VM_ID: VM has not started: no page tables yet");
	return -EINVAL;
}
