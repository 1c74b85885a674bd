# SPDX-License-Identifier: GPL-2.0
#
# make                 module (and KUnit module if the kernel has KUnit), CLI, guests
# make demo            run the hello guest: here on a VT-x host, else inside Bochs
# make check           every test; ends with "N passed, N failed[, N skipped]"
# make bench           benchmarks (exits per operation)
#
# KDIR selects the kernel build tree the modules are built against.

KDIR ?= /lib/modules/$(shell uname -r)/build
export KDIR

.PHONY: all modules ctl guests demo check bench clean install modules_install

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

check:
	scripts/install-deps
	tests/check

bench:
	scripts/install-deps
	scripts/bench

clean:
	-[ -f "$(KDIR)/Makefile" ] && $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C ctl clean
	$(MAKE) -C guests clean
