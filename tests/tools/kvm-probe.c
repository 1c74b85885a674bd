// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-probe: ask the kernel's own KVM whether VMX is free on every CPU.
 *
 * With KVM_INTEL built in, KVM turns VMX on when the first VM is created
 * and refuses (EBUSY) on a CPU where CR4.VMXE is already set by someone
 * else, such as a shadowvmm that did not VMXOFF. So:
 *
 *   kvm-probe                prints "vmx-free" (exit 0) or "vmx-busy" (exit 1)
 *   kvm-probe --hold SECS    creates a VM and a vCPU, prints "vmx-held", and
 *                            keeps them (so VMX stays on) for SECS seconds
 *
 * Exit 2 when KVM is not there at all (no /dev/kvm, no VMX).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int hold = -1;
	int kvm, vm, vcpu;

	if (argc == 3 && !strcmp(argv[1], "--hold")) {
		hold = atoi(argv[2]);
	} else if (argc != 1) {
		fprintf(stderr, "usage: kvm-probe [--hold SECONDS]\n");
		return 2;
	}

	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (kvm < 0) {
		fprintf(stderr, "kvm-probe: /dev/kvm: %s\n", strerror(errno));
		return 2;
	}
	if (ioctl(kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "kvm-probe: unexpected KVM API version\n");
		return 2;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		int err = errno;

		if (err == EBUSY) {
			printf("vmx-busy\n");
			return 1;
		}
		fprintf(stderr, "kvm-probe: KVM_CREATE_VM: %s\n", strerror(err));
		return 2;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		int err = errno;

		if (err == EBUSY) {
			printf("vmx-busy\n");
			return 1;
		}
		fprintf(stderr, "kvm-probe: KVM_CREATE_VCPU: %s\n", strerror(err));
		return 2;
	}
	if (hold < 0) {
		printf("vmx-free\n");
		return 0;
	}
	printf("vmx-held\n");
	fflush(stdout);
	sleep(hold);
	close(vcpu);
	close(vm);
	close(kvm);
	return 0;
}
