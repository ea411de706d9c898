/* nfsinit-check's boot loader file parsers: table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "../../init/check/bootcfg.h"

/* One file of each kind, line by line, as nfsinit-check reads it. */
static void test_lines(void **s)
{
	(void)s;
	enum { P = BOOTCFG_PXELINUX, I = BOOTCFG_IPXE };
	static const struct { int kind; const char *line; int rc; const char *label, *args; } cases[] = {
		{ P, "DEFAULT node\n", 0, "", "" },
		{ P, "LABEL node\n", 0, "node", "" },
		{ P, "  KERNEL vmlinuz\n", 0, "node", "" },
		{ P, "  APPEND initrd=nfsinit.img ip=dhcp root=/dev/nfs  \n", 1, "node", "initrd=nfsinit.img ip=dhcp root=/dev/nfs" },
		{ P, "label rescue\n", 0, "rescue", "" },
		{ P, "\tappend rd.shell\n", 1, "rescue", "rd.shell" },
		{ P, "APPENDX foo\n", 0, "rescue", "" },
		{ P, "# APPEND commented\n", 0, "rescue", "" },
		{ P, "APPEND\n", 1, "rescue", "" },
		{ I, "#!ipxe\n", 0, "rescue", "" },
		{ I, "dhcp\n", 0, "rescue", "" },
		{ I, "kernel http://10.0.0.1/vmlinuz ip=dhcp root=nfs:10.0.0.1:/srv\n", 1, "rescue", "ip=dhcp root=nfs:10.0.0.1:/srv" },
		{ I, "kernel --name k --autofree tftp://x/vmlinuz quiet\n", 1, "rescue", "quiet" },
		{ I, "kernel --name=k vmlinuz a=1\n", 1, "rescue", "a=1" },
		{ I, "imgargs vmlinuz initrd=nfsinit.img panic=10\n", 1, "rescue", "initrd=nfsinit.img panic=10" },
		{ I, "kernel vmlinuz\n", 1, "rescue", "" },
		{ I, "initrd nfsinit.img\n", 0, "rescue", "" },
		{ I, "LABEL x\n", 0, "rescue", "" },
	};
	char label[BOOTCFG_LABEL_MAX] = "", args[128];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		args[0] = '\0';
		print_message("case %zu: %s", i, cases[i].line);
		assert_int_equal(bootcfg_line((enum bootcfg_kind)cases[i].kind, cases[i].line, label, args, sizeof(args)), cases[i].rc);
		assert_string_equal(label, cases[i].label);
		assert_string_equal(args, cases[i].args);
	}
	assert_int_equal(bootcfg_line(BOOTCFG_PXELINUX, "APPEND 0123456789", label, args, 8), -E2BIG);
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
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_ipxe_expand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
