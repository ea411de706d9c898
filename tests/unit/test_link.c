/* Interface discovery against a fake /sys/class/net: every Ethernet
 * interface is read before ip=<dev> or BOOTIF is matched (issue 13 item 11:
 * with 12 NICs only the first 8 read used to be found). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../netcfg/link.h"

static char root[64];

static void put(const char *ifname, const char *attr, const char *val)
{
	char path[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s/%s", root, ifname, attr);
	assert_non_null(f = fopen(path, "w"));
	fprintf(f, "%s\n", val);
	fclose(f);
}

/* ethN with MAC 52:54:00:00:01:N and ifindex N + 2, and ARPHRD type. */
static void fake_if(const char *name, int n, int type)
{
	char path[256], v[32];
	snprintf(path, sizeof(path), "%s/%s", root, name);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(v, sizeof(v), "%d", type);
	put(name, "type", v);
	snprintf(v, sizeof(v), "%d", n + 2);
	put(name, "ifindex", v);
	put(name, "mtu", "1500");
	snprintf(v, sizeof(v), "52:54:00:00:01:%02x", n);
	put(name, "address", v);
}

static void make_tree(int nics)
{
	char name[16];
	strcpy(root, "/tmp/nfsi13-links.XXXXXX");
	assert_non_null(mkdtemp(root));
	fake_if("lo", 99, 772);
	fake_if("ib0", 98, 32);           /* InfiniBand: not Ethernet */
	for (int i = 0; i < nics; i++) {
		snprintf(name, sizeof(name), "eth%d", i);
		fake_if(name, i, 1);
	}
	link_sysfs_root(root);
}

static void remove_tree(void)
{
	char cmd[128];
	link_sysfs_root(NULL);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

static void test_twelve_nics_all_found(void **s)
{
	(void)s;
	struct link_info out[NI_LINKS_MAX];
	char want[16];
	make_tree(12);
	for (int i = 0; i < 12; i++) {
		uint8_t mac[6] = { 0x52, 0x54, 0, 0, 1, (uint8_t)i };
		snprintf(want, sizeof(want), "eth%d", i);
		assert_int_equal(link_wait(NULL, mac, 0, out, NI_LINKS_MAX), 1);
		assert_string_equal(out[0].name, want);
		assert_int_equal(out[0].ifindex, i + 2);
		assert_int_equal(link_wait(want, NULL, 0, out, NI_LINKS_MAX), 1);
		assert_memory_equal(out[0].mac, mac, 6);
	}
	assert_int_equal(link_wait(NULL, NULL, 0, out, NI_LINKS_MAX), 12);
	assert_int_equal(link_wait("ib0", NULL, 0, out, NI_LINKS_MAX), -ENODEV);
	remove_tree();
}

/* More than NI_LINKS_MAX: the first NI_LINKS_MAX are used, the rest
 * counted (link_wait says so on the console), never silently dropped. */
static void test_more_than_the_limit(void **s)
{
	(void)s;
	struct link_info out[NI_LINKS_MAX];
	int more = -1;
	make_tree(NI_LINKS_MAX + 3);
	assert_int_equal(link_list(out, NI_LINKS_MAX, &more), NI_LINKS_MAX);
	assert_int_equal(more, 3);
	assert_int_equal(link_wait(NULL, NULL, 0, out, NI_LINKS_MAX), NI_LINKS_MAX);
	assert_int_equal(link_list(out, 2, &more), 2);
	assert_int_equal(more, NI_LINKS_MAX + 1);
	remove_tree();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_twelve_nics_all_found),
		cmocka_unit_test(test_more_than_the_limit),
	};
	return cmocka_run_group_tests_name("link", tests, NULL, NULL);
}
