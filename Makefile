# SPDX-License-Identifier: GPL-2.0
#
# make                 module (and KUnit module if the kernel has KUnit), CLI, guests
# make demo            run the hello guest: here on a VT-x host, else inside Bochs
# make demo-linux      the same with the Linux guest, booted to its shell
# make check           every test; ends with "N passed, N failed[, N skipped]"
# make bench           benchmarks (exits per operation)
# make install         the CLI, man page and bash completion (PREFIX, DESTDIR)
# make modules_install shadowvmm.ko for the kernel at KDIR (see also dkms.conf)
#
# KDIR selects the kernel build tree the modules are built against.

KDIR ?= /lib/modules/$(shell uname -r)/build
export KDIR

.PHONY: all modules ctl guests demo demo-linux check bench clean install modules_install

all: modules ctl guests

modules:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "shadowvmm: no kernel build tree at $(KDIR): apt-get install linux-headers-$$(uname -r) or pass KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

ctl:
	$(MAKE) -C ctl

guests:
	$(MAKE) -C guests

demo:
	scripts/install-deps
	scripts/demo

demo-linux:
	scripts/install-deps
	scripts/demo linux

check:
	scripts/install-deps
	tests/check

bench:
	scripts/install-deps
	scripts/bench

# The CLI, its man page and bash completion (PREFIX, DESTDIR as usual).
install:
	$(MAKE) -C ctl install

# shadowvmm.ko into /lib/modules/<release>/updates, for modprobe.
modules_install:
	@if [ ! -f "$(KDIR)/Makefile" ]; then \
		echo "shadowvmm: no kernel build tree at $(KDIR): apt-get install linux-headers-$$(uname -r) or pass KDIR=" >&2; \
		exit 1; \
	fi
	$(MAKE) -C $(KDIR) M=$(CURDIR)/kmod INSTALL_MOD_DIR=updates modules_install

clean:
	-[ -f "$(KDIR)/Makefile" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C ctl clean
	$(MAKE) -C guests clean
