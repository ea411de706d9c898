/* Hook names, server lists and break stages: the pure parts of issue 5. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <string.h>

#include "../../hooks/policy.h"
#include "../../mounts/servers.h"
#include "../../mounts/nfsroot.h"
#include "../../init/config.h"

static void test_hook_names(void **s)
{
	(void)s;
	static const struct { const char *name; int rc; bool required; unsigned ms; } t[] = {
		{ "10-plain", 0, false, 30000 },
		{ "10-plain.sh", 0, false, 30000 },
		{ "20-home.required", 0, true, 30000 },
		{ "20-home.required.sh", 0, true, 30000 },
		{ "30-scratch.120s", 0, false, 120000 },
		{ "30-scratch.5s.required", 0, true, 5000 },
		{ "30-scratch.required.5s", 0, true, 5000 },
		{ "40-x.ssh", 0, false, 30000 },           /* not a timeout: letters */
		{ "40-x.s", 0, false, 30000 },             /* no digits */
		{ "40-x.0s", -EINVAL, false, 30000 },
		{ "40-x.3601s", -EINVAL, false, 30000 },
		{ "40-x.99999999999999999999s", -EINVAL, false, 30000 },
		{ "40-x.requiredx", 0, false, 30000 },
		{ "required", 0, false, 30000 },           /* no dot: just a name */
		{ "a..required", 0, true, 30000 },
		{ "40-x.5s.0s", -EINVAL, false, 30000 },   /* one bad part: the default, not half of it */
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct hook_policy p;
		struct err_reason err = { 0, "" };
		int rc = hook_policy_parse(t[i].name, 30000, &p, &err);
		print_message("%s\n", t[i].name);
		assert_int_equal(rc, t[i].rc);
		assert_int_equal(p.required, t[i].required);
		assert_int_equal(p.timeout_ms, t[i].ms);
		if (rc)
			assert_non_null(strstr(err.msg, t[i].name));
	}
}

static void test_server_lists(void **s)
{
	(void)s;
	struct nfs_servers l;
	struct err_reason err;
	assert_int_equal(nfs_servers_parse("10.0.0.1", &l, &err), 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(nfs_servers_parse("10.0.0.1,10.0.0.2,192.168.1.10", &l, &err), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.addr[2], "192.168.1.10");
	assert_int_equal(nfs_servers_parse("", &l, &err), -EINVAL);
	assert_int_equal(nfs_servers_parse("10.0.0.1,", &l, &err), -EINVAL);
	assert_int_equal(nfs_servers_parse(",10.0.0.1", &l, &err), -EINVAL);
	assert_int_equal(nfs_servers_parse("10.0.0.1,10.0.0.256", &l, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "'10.0.0.256'"));
	assert_int_equal(nfs_servers_parse("1.1.1.1,1.1.1.2,1.1.1.3,1.1.1.4,1.1.1.5,1.1.1.6,1.1.1.7,1.1.1.8,1.1.1.9",
					   &l, &err), -E2BIG);
}

/* Names and bracketed IPv6 literals (issue 18); every malformed one named. */
static void test_server_kinds(void **s)
{
	(void)s;
	struct nfs_servers l;
	struct err_reason err;
	char a[64];
	assert_int_equal(nfs_servers_parse("nfs1.cluster.lan,[fd00::1],10.0.0.2,nfsmaster", &l, &err), 0);
	assert_int_equal(l.n, 4);
	assert_int_equal(l.kind[0], NFS_SERVER_NAME);
	assert_string_equal(l.addr[0], "nfs1.cluster.lan");
	assert_int_equal(l.kind[1], NFS_SERVER_IPV6);
	assert_string_equal(l.addr[1], "[fd00::1]");
	assert_int_equal(l.kind[2], NFS_SERVER_IPV4);
	assert_int_equal(l.kind[3], NFS_SERVER_NAME);
	static const struct { const char *list, *why; } bad[] = {
		{ "fd00::1", "needs brackets" },
		{ "[fd00::1", "malformed IPv6" },
		{ "[fd00::g]", "malformed IPv6" },
		{ "[]", "malformed IPv6" },
		{ "[10.0.0.1]", "malformed IPv6" },
		{ "[fd00::1]x", "malformed IPv6" },
		{ "nfs_1.lan", "host name" },
		{ "-nfs.lan", "host name" },
		{ "nfs..lan", "host name" },
		{ "1.2.3", "host name" },
		{ "a/b", "host name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		print_message("case: %s\n", bad[i].list);
		assert_int_equal(nfs_servers_parse(bad[i].list, &l, &err), -EINVAL);
		assert_non_null(strstr(err.msg, bad[i].why));
		assert_non_null(strstr(err.msg, bad[i].list));
	}
	assert_int_equal(nfs_server_addr("[fd00::1]", a, sizeof(a)), 0);
	assert_string_equal(a, "fd00::1");
	assert_int_equal(nfs_server_addr("10.0.0.1", a, sizeof(a)), 0);
	assert_string_equal(a, "10.0.0.1");
	assert_int_equal(nfs_server_addr("nfs1.lan", a, sizeof(a)), -EINVAL);
	assert_int_equal(nfs_server_addr("[fd00::1]", a, 7), -ENAMETOOLONG);
}

static void test_server_order(void **s)
{
	(void)s;
	/* FNV-1a of 52:54:00:12:34:56, from the definition
	 * (offset basis 2166136261, prime 16777619) and cross-checked in Python. */
	const uint8_t mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	uint32_t h = nfs_servers_hash(mac);
	assert_int_equal(h, 0xbb7f3b7bu);
	int order[NFS_SERVERS_MAX];
	nfs_servers_order(3, mac, order);
	int first = (int)(h % 3);
	assert_int_equal(order[0], first);
	assert_int_equal(order[1], (first + 1) % 3);
	assert_int_equal(order[2], (first + 2) % 3);
	nfs_servers_order(3, NULL, order);
	assert_int_equal(order[0], 0);
	/* spread: 256 MACs over 4 servers, none left without nodes nor with more than half */
	int count[4] = { 0 };
	for (int i = 0; i < 256; i++) {
		uint8_t m[6] = { 0x52, 0x54, 0x00, 0x00, 0x01, (uint8_t)i };
		nfs_servers_order(4, m, order);
		count[order[0]]++;
	}
	for (int i = 0; i < 4; i++)
		assert_true(count[i] > 16 && count[i] < 128);
}

static void test_root_with_server_list(void **s)
{
	(void)s;
	struct nfs_root r;
	struct err_reason err;
	assert_int_equal(nfsroot_parse_dracut("nfs:10.0.0.1,10.0.0.2:/srv/root:vers=3", &r, &err), 0);
	assert_string_equal(r.server, "10.0.0.1,10.0.0.2");
	assert_string_equal(r.path, "/srv/root");
	assert_string_equal(r.vers, "3");
	assert_int_equal(nfsroot_parse_dracut("nfs:10.0.0.1,master:/srv/root", &r, &err), 0);
	assert_string_equal(r.server, "10.0.0.1,master");
	assert_int_not_equal(nfsroot_parse_dracut("nfs:10.0.0.1,mas_ter:/srv/root", &r, &err), 0);
	assert_non_null(strstr(err.msg, "mas_ter"));
	/* IPv6: the server list ends at the ':' before the path's '/' */
	assert_int_equal(nfsroot_parse_dracut("nfs:[fd00::1],[fd00::2]:/srv/root:vers=4.2", &r, &err), 0);
	assert_string_equal(r.server, "[fd00::1],[fd00::2]");
	assert_string_equal(r.path, "/srv/root");
	assert_string_equal(r.vers, "4.2");
	assert_int_equal(nfsroot_parse_kernel("[fd00::1]:/srv/root,vers=3", &r, &err), 0);
	assert_string_equal(r.server, "[fd00::1]");
	assert_string_equal(r.path, "/srv/root");
	assert_int_equal(nfsroot_parse_dracut("nfs://[fd00::1]/srv/root", &r, &err), 0);
	assert_string_equal(r.server, "[fd00::1]");
	assert_int_not_equal(nfsroot_parse_dracut("nfs://[fd00::1]:2049/srv/root", &r, &err), 0);
	assert_int_not_equal(nfsroot_parse_dracut("nfs:fd00::1:/srv/root", &r, &err), 0);
	assert_non_null(strstr(err.msg, "brackets"));
	assert_int_not_equal(nfsroot_parse_dracut("nfs:[fd00::1]/srv/root", &r, &err), 0);
	assert_int_equal(nfsroot_parse_dhcp("nfs:10.0.0.1,10.0.0.2:/srv/root", &r, &err), 0);
	assert_string_equal(r.server, "10.0.0.1,10.0.0.2");
}

static void test_break_and_policy_params(void **s)
{
	(void)s;
	struct nfsinit_config c;
	static const struct { const char *line; const char *stage; int warnings; } t[] = {
		{ "nfsinit.break=pre-mount", "pre-mount", 0 },
		{ "nfsinit.break=early", "early", 0 },
		{ "rd.break", "pre-switch", 0 },
		{ "rd.break=pre-pivot", "pre-switch", 0 },
		{ "rd.break=cmdline", "early", 0 },
		{ "rd.break=initqueue", "pre-mount", 0 },
		{ "nfsinit.break=bogus", "", 1 },
		{ "quiet", "", 0 },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		config_defaults(&c);
		cmdline_parse(t[i].line, &c);
		print_message("%s\n", t[i].line);
		assert_string_equal(c.break_stage, t[i].stage);
		assert_int_equal(c.nwarnings, t[i].warnings);
	}
	config_defaults(&c);
	assert_int_equal(c.hook_timeout_s, CFG_DEFAULT_HOOK_TIMEOUT_S);
	assert_int_equal(c.net_timeout_s, CFG_DEFAULT_NET_TIMEOUT_S);
	cmdline_parse("nfsinit.hook.timeout=5 nfsinit.net.timeout=20 nfsinit.rwpaths=/etc,/srv", &c);
	assert_int_equal(c.hook_timeout_s, 5);
	assert_int_equal(c.net_timeout_s, 20);
	assert_string_equal(c.rw_paths, "/etc,/srv");
	assert_int_equal(c.nwarnings, 0);
	/* nfsinit.hook.* belongs to the hooks: no warning */
	cmdline_parse("nfsinit.hook.home=10.0.0.5:/home nfsinit.hook.swap=/dev/sdb", &c);
	assert_int_equal(c.nwarnings, 0);
	cmdline_parse("nfsinit.hook.timeout=0 nfsinit.rwpaths=etc nfsinit.rwpaths=/a/../b", &c);
	assert_int_equal(c.hook_timeout_s, CFG_DEFAULT_HOOK_TIMEOUT_S);
	assert_string_equal(c.rw_paths, "/etc,/srv");
	assert_int_equal(c.nwarnings, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hook_names),
		cmocka_unit_test(test_server_lists),
		cmocka_unit_test(test_server_kinds),
		cmocka_unit_test(test_server_order),
		cmocka_unit_test(test_root_with_server_list),
		cmocka_unit_test(test_break_and_policy_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
