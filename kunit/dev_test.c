// SPDX-License-Identifier: GPL-2.0
#include <kunit/test.h>
#include "dev/fw_cfg.h"
#include "dev/pio.h"
#include "dev/uart.h"
#include "vm.h"

enum { THR, IER, IIR, LCR, MCR, LSR, MSR, SCR };

static void uart_transmitter_always_empty(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x60);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_write(&uart, THR, 'x'));
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LSR), 0x60);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IIR) & 1, 1);
}

static void uart_divisor_latch(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	shadowvmm_uart_write(&uart, LCR, 0x80);
	/* With DLAB set, THR and IER are the divisor: nothing goes out. */
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_write(&uart, THR, 0x0c));
	shadowvmm_uart_write(&uart, IER, 0x00);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 0x0c);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IER), 0x00);
	shadowvmm_uart_write(&uart, LCR, 0x03);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, LCR), 0x03);
	KUNIT_EXPECT_TRUE(test, shadowvmm_uart_write(&uart, THR, 'a'));
	shadowvmm_uart_write(&uart, IER, 0x05);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, IER), 0x05);
	/* Back in the latch, the divisor is still what was set. */
	shadowvmm_uart_write(&uart, LCR, 0x83);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, THR), 0x0c);
}

static void uart_scratch_and_loopback(struct kunit *test)
{
	struct shadowvmm_uart uart;

	shadowvmm_uart_reset(&uart);
	shadowvmm_uart_write(&uart, SCR, 0x5a);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, SCR), 0x5a);
	/* Linux's 8250 probe: loopback with OUT2 must show DCD, not send. */
	shadowvmm_uart_write(&uart, MCR, 0x18);
	KUNIT_EXPECT_EQ(test, shadowvmm_uart_read(&uart, MSR) & 0xf0, 0x80);
	KUNIT_EXPECT_FALSE(test, shadowvmm_uart_write(&uart, THR, 'x'));
}

static u64 read_item(struct shadowvmm_fw_cfg *fw, u16 key, unsigned int len)
{
	u64 value = 0;
	unsigned int i;

	shadowvmm_fw_cfg_select(fw, key);
	for (i = 0; i < len; i++)
		value |= (u64)shadowvmm_fw_cfg_read(fw) << (i * 8);
	return value;
}

static void fw_cfg_items(struct kunit *test)
{
	struct shadowvmm_fw_cfg fw;

	shadowvmm_fw_cfg_init(&fw, 32 << 20, 1);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_SIGNATURE, 4),
			(u64)0x554d4551);	/* "QEMU" */
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_RAM_SIZE, 8),
			(u64)32 << 20);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_NB_CPUS, 2), 1ULL);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_ID, 4), 1ULL);
	/* Unknown keys and reads past an item's end give zeros. */
	KUNIT_EXPECT_EQ(test, read_item(&fw, 0x1234, 8), 0ULL);
	KUNIT_EXPECT_EQ(test, read_item(&fw, FW_CFG_KEY_NB_CPUS, 4), 1ULL);
}

static struct shadowvmm_vm *pio_vm(struct kunit *test)
{
	struct shadowvmm_vm *vm = kunit_kzalloc(test, sizeof(*vm), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, vm);
	KUNIT_ASSERT_EQ(test, shadowvmm_console_init(&vm->console), 0);
	vm->gmem.size = 16 << 20;
	shadowvmm_devices_reset(vm);
	return vm;
}

static void pio_ports(struct kunit *test)
{
	struct shadowvmm_vm *vm = pio_vm(test);
	u64 next, dropped;
	u32 value;
	u8 out[4];

	value = 'h';
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(vm, 0x3f8, 1, false, &value), 0U);
	KUNIT_EXPECT_EQ(test, shadowvmm_console_get(&vm->console, 0, out,
						    sizeof(out), &next,
						    &dropped), 1UL);
	KUNIT_EXPECT_EQ(test, out[0], 'h');
	KUNIT_EXPECT_EQ(test, vm->stats.counter[SHADOWVMM_STAT_CONSOLE_BYTES],
			1ULL);

	/* An empty ISA bus: reads float high, writes vanish. */
	value = 0;
	shadowvmm_pio(vm, 0x2f8, 2, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xffffU);
	value = 0;
	shadowvmm_pio(vm, 0x1234, 4, true, &value);
	KUNIT_EXPECT_EQ(test, value, ~0U);

	value = 0xfb;
	shadowvmm_pio(vm, 0x21, 1, false, &value);
	value = 0;
	shadowvmm_pio(vm, 0x21, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0xfbU);

	/* Port B keeps its enables; its status half says no NMI cause. */
	value = 0xff;
	shadowvmm_pio(vm, 0x61, 1, false, &value);
	shadowvmm_pio(vm, 0x61, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 0x0fU);

	value = FW_CFG_KEY_NB_CPUS;
	shadowvmm_pio(vm, 0x510, 2, false, &value);
	shadowvmm_pio(vm, 0x511, 1, true, &value);
	KUNIT_EXPECT_EQ(test, value, 1U);
	shadowvmm_console_free(&vm->console);
}

static void pio_debug_exit(struct kunit *test)
{
	struct shadowvmm_vm *vm = pio_vm(test);
	u32 value = 0x12345607;

	KUNIT_EXPECT_EQ(test, shadowvmm_pio(vm, 0xf4, 1, false, &value),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vm->vcpu.stop.exit_status, 7U);
	value = 300;
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(vm, 0xf4, 4, false, &value),
			(u32)SHADOWVMM_STOP_DEBUG_EXIT);
	KUNIT_EXPECT_EQ(test, vm->vcpu.stop.exit_status, 300U);
	/* Reading the port is harmless. */
	KUNIT_EXPECT_EQ(test, shadowvmm_pio(vm, 0xf4, 1, true, &value), 0U);
	shadowvmm_console_free(&vm->console);
}

static struct kunit_case dev_cases[] = {
	KUNIT_CASE(uart_transmitter_always_empty),
	KUNIT_CASE(uart_divisor_latch),
	KUNIT_CASE(uart_scratch_and_loopback),
	KUNIT_CASE(fw_cfg_items),
	KUNIT_CASE(pio_ports),
	KUNIT_CASE(pio_debug_exit),
	{}
};

static struct kunit_suite dev_suite = {
	.name = "shadowvmm_devices",
	.test_cases = dev_cases,
};

kunit_test_suite(dev_suite);
