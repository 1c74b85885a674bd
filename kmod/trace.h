/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints: every VM entry and exit, every CR3 load with the shadow
 * root it got, every #PF exit with what became of it, the life of shadow
 * pages, interrupts injected, the guest's APIC register accesses and its
 * APIC timer's expiries.
 * Documentation/tracing.rst shows how to read them.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM shadowvmm

#if !defined(SHADOWVMM_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define SHADOWVMM_TRACE_H

#include <linux/tracepoint.h>
#include <asm/apicdef.h>

TRACE_EVENT(shadowvmm_entry,
	    TP_PROTO(u32 vm_id, u64 rip),
	    TP_ARGS(vm_id, rip),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u64, rip)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->rip = rip;),
	    TP_printk("vm %u rip %#llx", __entry->vm_id, __entry->rip)
);

TRACE_EVENT(shadowvmm_exit,
	    TP_PROTO(u32 vm_id, u32 reason, u64 qualification, u64 rip,
		     u32 intr_info, u32 error_code),
	    TP_ARGS(vm_id, reason, qualification, rip, intr_info, error_code),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u32, reason)
			     __field(u64, qualification)
			     __field(u64, rip)
			     __field(u32, intr_info)
			     __field(u32, error_code)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->reason = reason;
			   __entry->qualification = qualification;
			   __entry->rip = rip;
			   __entry->intr_info = intr_info;
			   __entry->error_code = error_code;),
	    TP_printk("vm %u reason %u qual %#llx rip %#llx info %#x err %#x",
		      __entry->vm_id, __entry->reason, __entry->qualification,
		      __entry->rip, __entry->intr_info, __entry->error_code)
);

TRACE_EVENT(shadowvmm_inject,
	    TP_PROTO(u32 vm_id, u8 vector),
	    TP_ARGS(vm_id, vector),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u8, vector)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->vector = vector;),
	    TP_printk("vm %u vector %#x", __entry->vm_id, __entry->vector)
);

TRACE_EVENT(shadowvmm_apic_timer,
	    TP_PROTO(u32 vm_id, u32 mode),
	    TP_ARGS(vm_id, mode),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u32, mode)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->mode = mode;),
	    TP_printk("vm %u %s", __entry->vm_id,
		      __print_symbolic(__entry->mode,
				       { APIC_LVT_TIMER_ONESHOT, "one-shot" },
				       { APIC_LVT_TIMER_PERIODIC, "periodic" },
				       { APIC_LVT_TIMER_TSCDEADLINE,
					 "tsc-deadline" }))
);

TRACE_EVENT(shadowvmm_apic,
	    TP_PROTO(u32 vm_id, u32 offset, bool write, u32 value),
	    TP_ARGS(vm_id, offset, write, value),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u32, offset)
			     __field(bool, write)
			     __field(u32, value)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->offset = offset;
			   __entry->write = write;
			   __entry->value = value;),
	    TP_printk("vm %u %s %#x value %#x", __entry->vm_id,
		      __entry->write ? "write" : "read", __entry->offset,
		      __entry->value)
);

TRACE_EVENT(shadowvmm_cr3,
	    TP_PROTO(u32 vm_id, u64 guest_cr3, u64 root_hpa, u32 mode,
		     bool hit),
	    TP_ARGS(vm_id, guest_cr3, root_hpa, mode, hit),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u64, guest_cr3)
			     __field(u64, root_hpa)
			     __field(u32, mode)
			     __field(bool, hit)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->guest_cr3 = guest_cr3;
			   __entry->root_hpa = root_hpa;
			   __entry->mode = mode;
			   __entry->hit = hit;),
	    TP_printk("vm %u cr3 %#llx root %#llx mode %s %s",
		      __entry->vm_id, __entry->guest_cr3, __entry->root_hpa,
		      __print_symbolic(__entry->mode, { 0, "off" },
				       { 1, "32bit" }, { 2, "pae" },
				       { 3, "4level" }),
		      __entry->hit ? "hit" : "miss")
);

TRACE_EVENT(shadowvmm_page_fault,
	    TP_PROTO(u32 vm_id, u64 gva, u32 error_code, u64 gpa,
		     u32 outcome),
	    TP_ARGS(vm_id, gva, error_code, gpa, outcome),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u64, gva)
			     __field(u32, error_code)
			     __field(u64, gpa)
			     __field(u32, outcome)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->gva = gva;
			   __entry->error_code = error_code;
			   __entry->gpa = gpa;
			   __entry->outcome = outcome;),
	    TP_printk("vm %u gva %#llx err %#x gpa %#llx %s",
		      __entry->vm_id, __entry->gva, __entry->error_code,
		      __entry->gpa,
		      __print_symbolic(__entry->outcome, { 0, "fixed" },
				       { 1, "spurious" }, { 2, "injected" },
				       { 3, "emulated" }, { 4, "retry" }))
);

DECLARE_EVENT_CLASS(shadowvmm_sp,
		    TP_PROTO(u32 vm_id, u64 gfn, u32 role, u64 spt_hpa),
		    TP_ARGS(vm_id, gfn, role, spt_hpa),
		    TP_STRUCT__entry(__field(u32, vm_id)
				     __field(u64, gfn)
				     __field(u32, role)
				     __field(u64, spt_hpa)),
		    TP_fast_assign(__entry->vm_id = vm_id;
				   __entry->gfn = gfn;
				   __entry->role = role;
				   __entry->spt_hpa = spt_hpa;),
		    TP_printk("vm %u gfn %#llx level %u%s quadrant %u access %#x spt %#llx",
			      __entry->vm_id, __entry->gfn, __entry->role & 7,
			      __entry->role & BIT(5) ? " direct" : "",
			      (__entry->role >> 3) & 3,
			      (__entry->role >> 8) & 7, __entry->spt_hpa)
);

DEFINE_EVENT(shadowvmm_sp, shadowvmm_sp_get,
	     TP_PROTO(u32 vm_id, u64 gfn, u32 role, u64 spt_hpa),
	     TP_ARGS(vm_id, gfn, role, spt_hpa)
);

DEFINE_EVENT(shadowvmm_sp, shadowvmm_sp_zap,
	     TP_PROTO(u32 vm_id, u64 gfn, u32 role, u64 spt_hpa),
	     TP_ARGS(vm_id, gfn, role, spt_hpa)
);

DEFINE_EVENT(shadowvmm_sp, shadowvmm_sp_unsync,
	     TP_PROTO(u32 vm_id, u64 gfn, u32 role, u64 spt_hpa),
	     TP_ARGS(vm_id, gfn, role, spt_hpa)
);

DEFINE_EVENT(shadowvmm_sp, shadowvmm_sp_sync,
	     TP_PROTO(u32 vm_id, u64 gfn, u32 role, u64 spt_hpa),
	     TP_ARGS(vm_id, gfn, role, spt_hpa)
);

TRACE_EVENT(shadowvmm_pte_write,
	    TP_PROTO(u32 vm_id, u64 gpa, u32 size, u64 value),
	    TP_ARGS(vm_id, gpa, size, value),
	    TP_STRUCT__entry(__field(u32, vm_id)
			     __field(u64, gpa)
			     __field(u32, size)
			     __field(u64, value)),
	    TP_fast_assign(__entry->vm_id = vm_id;
			   __entry->gpa = gpa;
			   __entry->size = size;
			   __entry->value = value;),
	    TP_printk("vm %u gpa %#llx size %u value %#llx", __entry->vm_id,
		      __entry->gpa, __entry->size, __entry->value)
);

#endif /* SHADOWVMM_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
