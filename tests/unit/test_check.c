/* nfsinit-check's boot loader file parsers: table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "../../init/check/bootcfg.h"

static void test_pxelinux(void **s)
{
	(void)s;
	static const struct { const char *line; int rc; const char *label, *args; } cases[] = {
		{ "DEFAULT node\n", 0, "", "" },
		{ "LABEL node\n", 0, "node", "" },
		{ "  KERNEL vmlinuz\n", 0, "node", "" },
		{ "  APPEND initrd=nfsinit.img ip=dhcp root=/dev/nfs  \n", 1, "node", "initrd=nfsinit.img ip=dhcp root=/dev/nfs" },
		{ "label rescue\n", 0, "rescue", "" },
		{ "\tappend rd.shell\n", 1, "rescue", "rd.shell" },
		{ "APPENDX foo\n", 0, "rescue", "" },
		{ "# APPEND commented\n", 0, "rescue", "" },
		{ "APPEND\n", 1, "rescue", "" },
	};
	char label[BOOTCFG_LABEL_MAX] = "", args[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args[0] = '\0';
		print_message("case %zu: %s", i, cases[i].line);
		assert_int_equal(bootcfg_line(BOOTCFG_PXELINUX, cases[i].line, label, args, sizeof(args)), cases[i].rc);
		assert_string_equal(label, cases[i].label);
		assert_string_equal(args, cases[i].args);
	}
	assert_int_equal(bootcfg_line(BOOTCFG_PXELINUX, "APPEND 0123456789", label, args, 8), -E2BIG);
}

static void test_ipxe(void **s)
{
	(void)s;
	static const struct { const char *line; int rc; const char *args; } cases[] = {
		{ "#!ipxe\n", 0, "" },
		{ "dhcp\n", 0, "" },
		{ "kernel http://10.0.0.1/vmlinuz ip=dhcp root=nfs:10.0.0.1:/srv\n", 1, "ip=dhcp root=nfs:10.0.0.1:/srv" },
		{ "kernel --name k --autofree tftp://x/vmlinuz quiet\n", 1, "quiet" },
		{ "kernel --name=k vmlinuz a=1\n", 1, "a=1" },
		{ "imgargs vmlinuz initrd=nfsinit.img panic=10\n", 1, "initrd=nfsinit.img panic=10" },
		{ "kernel vmlinuz\n", 1, "" },
		{ "initrd nfsinit.img\n", 0, "" },
	};
	char label[BOOTCFG_LABEL_MAX] = "", args[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args[0] = '\0';
		print_message("case %zu: %s", i, cases[i].line);
		assert_int_equal(bootcfg_line(BOOTCFG_IPXE, cases[i].line, label, args, sizeof(args)), cases[i].rc);
		assert_string_equal(args, cases[i].args);
	}
}

static void test_ipxe_expand(void **s)
{
	(void)s;
	char buf[128];
	strcpy(buf, "BOOTIF=01-${netX/mac:hexhyp} x=${mac} y=${net0/mac} z=${hostname} ${unclosed");
	assert_int_equal(bootcfg_ipxe_expand(buf, sizeof(buf), "52-54-00-12-34-56", "52:54:00:12:34:56"), 1);
	assert_string_equal(buf, "BOOTIF=01-52-54-00-12-34-56 x=52:54:00:12:34:56 y=52:54:00:12:34:56 "
			    "z=${hostname} ${unclosed");
	strcpy(buf, "${mac}");
	assert_int_equal(bootcfg_ipxe_expand(buf, 10, "52-54-00-12-34-56", "52:54:00:12:34:56"), -E2BIG);
	assert_string_equal(buf, "${mac}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pxelinux),
		cmocka_unit_test(test_ipxe),
		cmocka_unit_test(test_ipxe_expand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
