/* ip=auto6's reading of /proc/net/if_inet6 (netcfg/slaac.c): hand-written
 * lines in the layout of the kernel's if6_seq_show() (net/ipv6/addrconf.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "../../netcfg/slaac.h"

static const char if_inet6[] =
	"00000000000000000000000000000001 01 80 10 80       lo\n"
	"fe80000000000000505400fffe120001 02 40 20 80     eth0\n"
	"fd420000000000000000000000000099 02 40 00 c0     eth0\n"   /* tentative (0x40) */
	"fd420000000000005054000000120001 02 40 00 00     eth0\n"
	"fd990000000000000000000000000005 03 40 00 80     eth1\n";

static void test_find_global(void **s)
{
	(void)s;
	struct in6_addr a;
	char t[INET6_ADDRSTRLEN];
	int prefix = 0;

	assert_int_equal(slaac_find_global(if_inet6, 2, &a, &prefix), 0);
	assert_string_equal(inet_ntop(AF_INET6, &a, t, sizeof(t)), "fd42::5054:0:12:1");
	assert_int_equal(prefix, 64);
	assert_int_equal(slaac_find_global(if_inet6, 3, &a, &prefix), 0);
	assert_string_equal(inet_ntop(AF_INET6, &a, t, sizeof(t)), "fd99::5");
	assert_int_equal(slaac_find_global(if_inet6, 1, &a, &prefix), -ENOENT);   /* lo: host scope */
	assert_int_equal(slaac_find_global(if_inet6, 4, &a, &prefix), -ENOENT);
	assert_int_equal(slaac_find_global("", 2, &a, &prefix), -ENOENT);
}

static void test_find_global_malformed(void **s)
{
	(void)s;
	struct in6_addr a;
	int prefix;
	static const char *const bad[] = {
		"fd42000000000000000000000000000g 02 40 00 00 eth0\n",
		"fd42 02 40 00 00 eth0\n",
		"fd420000000000005054000000120001 02 40 00\n",
		"fd420000000000005054000000120001 02 40 xx 00 eth0\n",
		"fd420000000000005054000000120001\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(slaac_find_global(bad[i], 2, &a, &prefix), -EBADMSG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find_global),
		cmocka_unit_test(test_find_global_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
