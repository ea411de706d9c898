/* Command line, ip= and NFS root spellings: table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../init/config.h"

static struct nfsinit_config parse(const char *line)
{
	struct nfsinit_config c;
	config_defaults(&c);
	cmdline_parse(line, &c);
	return c;
}

static const char *ip(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;
	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
}

static void test_tokenizer_quotes(void **s)
{
	(void)s;
	const char *p = "  a=1 b=\"x y\" \"c=d e\" flag  ";
	char k[32], v[32];
	bool hv, tr;
	assert_true(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
	assert_string_equal(k, "a"); assert_string_equal(v, "1"); assert_true(hv);
	assert_true(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
	assert_string_equal(k, "b"); assert_string_equal(v, "x y");
	assert_true(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
	assert_string_equal(k, "c"); assert_string_equal(v, "d e");
	assert_true(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
	assert_string_equal(k, "flag"); assert_false(hv);
	assert_false(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
}

static void test_tokenizer_truncation(void **s)
{
	(void)s;
	const char *p = "key=0123456789abcdef";
	char k[8], v[8];
	bool hv, tr;
	assert_true(cmdline_next(&p, k, sizeof k, v, sizeof v, &hv, &tr));
	assert_true(tr);
}

static void test_defaults(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("console=ttyS0 quiet");
	assert_string_equal(c.init, "/sbin/init");
	assert_string_equal(c.overlay_size, "50%");
	assert_int_equal(c.ip.method, IP_METHOD_DHCP);
	assert_true(c.root_from_dhcp);
	assert_false(c.root.given);
	assert_int_equal(c.root_timeout_s, CFG_DEFAULT_ROOT_TIMEOUT_S);
	assert_int_equal(c.nwarnings, 0);
}

struct root_case {
	const char *line;
	const char *server, *path, *vers, *options;
};

static const struct root_case root_cases[] = {
	{ "root=/dev/nfs nfsroot=10.0.2.2:/nfsroot,vers=3", "10.0.2.2", "/nfsroot", "3", "" },
	{ "root=/dev/nfs nfsroot=/srv/%s", "", "/srv/%s", "", "" },
	{ "nfsroot=10.1.1.1:/x,nfsvers=4.1,timeo=30,ro", "10.1.1.1", "/x", "4.1", "timeo=30" },
	{ "root=nfs:10.0.2.2:/nfsroot:vers=3", "10.0.2.2", "/nfsroot", "3", "" },
	{ "root=nfs:10.0.2.2:/nfsroot", "10.0.2.2", "/nfsroot", "", "" },
	{ "root=nfs4:10.0.2.2:/nfsroot", "10.0.2.2", "/nfsroot", "4", "" },
	{ "root=nfs4:10.0.2.2:/nfsroot:vers=4.1,rsize=65536", "10.0.2.2", "/nfsroot", "4.1", "rsize=65536" },
	{ "root=nfs:/images/node", "", "/images/node", "", "" },
	/* root= takes precedence over nfsroot=, whichever comes first */
	{ "nfsroot=1.2.3.4:/a root=nfs:5.6.7.8:/b", "5.6.7.8", "/b", "", "" },
};

static void test_root_spellings(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(root_cases) / sizeof(root_cases[0]); i++) {
		const struct root_case *t = &root_cases[i];
		struct nfsinit_config c = parse(t->line);
		print_message("case: %s\n", t->line);
		assert_int_equal(c.nwarnings, 0);
		assert_true(c.root.given);
		assert_false(c.root_from_dhcp);
		assert_string_equal(c.root.server, t->server);
		assert_string_equal(c.root.path, t->path);
		assert_string_equal(c.root.vers, t->vers);
		assert_string_equal(c.root.options, t->options);
	}
}

static const char *const bad_roots[] = {
	"root=nfs:10.0.2.2:relative",
	"root=nfs4:10.0.2.2:/x:vers=3",
	"root=nfs:server.example:/x",
	"nfsroot=10.0.2.2:/x,vers=5",
	"nfsroot=",
};

static void test_root_malformed(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(bad_roots) / sizeof(bad_roots[0]); i++) {
		struct nfsinit_config c = parse(bad_roots[i]);
		print_message("case: %s -> %s\n", bad_roots[i], c.nwarnings ? c.warnings[0] : "(none)");
		assert_int_equal(c.nwarnings, 1);
		assert_false(c.root.given);
		assert_true(c.root_other[0] != '\0'); /* main refuses to boot it */
		assert_false(c.root_from_dhcp);
	}
}

static void test_root_other_and_dhcp(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("root=/dev/sda1");
	assert_string_equal(c.root_other, "root=/dev/sda1");
	c = parse("root=dhcp");
	assert_true(c.root_from_dhcp);
	assert_false(c.root.given);
}

static void test_dhcp_root_path(void **s)
{
	(void)s;
	struct nfs_root r;
	struct err_reason err;
	assert_int_equal(nfsroot_parse_dhcp("10.9.0.1:/srv/root,vers=3", &r, &err), 0);
	assert_string_equal(r.server, "10.9.0.1");
	assert_string_equal(r.vers, "3");
	assert_int_equal(nfsroot_parse_dhcp("nfs4:10.9.0.1:/srv/root:vers=4.2", &r, &err), 0);
	assert_string_equal(r.vers, "4.2");
	assert_int_equal(nfsroot_parse_dhcp("/srv/root", &r, &err), 0);
	assert_string_equal(r.server, "");
	assert_int_equal(nfsroot_parse_dhcp("", &r, &err), -EINVAL);
	assert_int_equal(nfsroot_parse_dhcp("nfs:", &r, &err), -EINVAL);
}

static void test_mount_options(void **s)
{
	(void)s;
	struct nfs_root r;
	struct err_reason err;
	char out[256];
	assert_int_equal(nfsroot_parse_kernel("10.0.2.2:/r,timeo=14", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", out, sizeof out), 0);
	assert_string_equal(out, "vers=3,addr=10.0.2.2,nolock,timeo=14");
	assert_int_equal(nfsroot_mount_options(&r, "4.1", "10.0.2.2", out, sizeof out), 0);
	assert_string_equal(out, "vers=4.1,addr=10.0.2.2,timeo=14");
	assert_int_equal(nfsroot_parse_kernel("10.0.2.2:/r,lock", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", out, sizeof out), 0);
	assert_string_equal(out, "vers=3,addr=10.0.2.2,lock");
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", out, 10), -ENAMETOOLONG);
}

static void test_expand_path(void **s)
{
	(void)s;
	char out[64];
	assert_int_equal(nfsroot_expand_path("/srv/%s/root", "10.0.2.15", out, sizeof out), 0);
	assert_string_equal(out, "/srv/10.0.2.15/root");
	assert_int_equal(nfsroot_expand_path("/plain", "10.0.2.15", out, sizeof out), 0);
	assert_string_equal(out, "/plain");
	assert_int_equal(nfsroot_expand_path("/srv/%s/a-long-tail", "10.0.2.15", out, 16), -ENAMETOOLONG);
}

/* ip=: the kernel's nfsroot.rst table plus dracut spellings. */
struct ip_case {
	const char *value;
	int rc;
	enum ip_method method;
	const char *client, *server, *gw, *mask, *hostname, *device;
	int ndns;
	unsigned mtu;
};

static const struct ip_case ip_cases[] = {
	{ "dhcp", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "", 0, 0 },
	{ "on", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "", 0, 0 },
	{ "off", 0, IP_METHOD_OFF, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "", 0, 0 },
	{ "none", 0, IP_METHOD_OFF, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "", 0, 0 },
	{ "10.0.2.15::10.0.2.2:255.255.255.0:node1:eth0:off", 0, IP_METHOD_STATIC,
	  "10.0.2.15", "0.0.0.0", "10.0.2.2", "255.255.255.0", "node1", "eth0", 0, 0 },
	{ "10.0.2.15:10.0.2.4:10.0.2.2:255.255.255.0:n:eth1:none:10.0.2.3:10.0.2.5:10.0.2.6", 0,
	  IP_METHOD_STATIC, "10.0.2.15", "10.0.2.4", "10.0.2.2", "255.255.255.0", "n", "eth1", 2, 0 },
	/* missing netmask: classful default, as the kernel does */
	{ "10.1.2.3::10.0.0.1::::off", 0, IP_METHOD_STATIC, "10.1.2.3", "0.0.0.0", "10.0.0.1", "255.0.0.0", "", "", 0, 0 },
	{ "192.168.5.9:::::", 0, IP_METHOD_STATIC, "192.168.5.9", "0.0.0.0", "0.0.0.0", "255.255.255.0", "", "", 0, 0 },
	/* empty client and autoconf: DHCP, but keep hostname/device */
	{ ":::::eth2:", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "eth2", 0, 0 },
	{ ":::::eth2:dhcp", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "eth2", 0, 0 },
	/* dracut */
	{ "eth0:dhcp", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "eth0", 0, 0 },
	{ "enp1s0:dhcp:9000", 0, IP_METHOD_DHCP, "0.0.0.0", "0.0.0.0", "0.0.0.0", "0.0.0.0", "", "enp1s0", 0, 9000 },
	{ "10.0.0.5::10.0.0.1:255.255.0.0:h:eth0:none:1500", 0, IP_METHOD_STATIC,
	  "10.0.0.5", "0.0.0.0", "10.0.0.1", "255.255.0.0", "h", "eth0", 0, 1500 },
	/* errors */
	{ "bogus", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "10.0.0.300::::::off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "10.0.0.5:::255.0.255.0:::off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "::::::off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "10.0.0.5::::::sometimes", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "eth0:off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "[fe80::1]::::::off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "eth0:dhcp:12", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "a:b:c:d:e:f:g:h:i:j:k:l:m", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "averyveryverylongifname0:dhcp", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static void test_ipconf_table(void **s)
{
	(void)s;
	for (size_t i = 0; i < sizeof(ip_cases) / sizeof(ip_cases[0]); i++) {
		const struct ip_case *t = &ip_cases[i];
		struct ipconf c;
		struct err_reason err = { 0, "" };
		int rc = ipconf_parse(t->value, &c, &err);
		print_message("ip=%s -> %d %s\n", t->value, rc, err.msg);
		assert_int_equal(rc, t->rc);
		if (rc) {
			assert_true(err.msg[0] != '\0');
			continue;
		}
		assert_int_equal(c.method, t->method);
		assert_string_equal(ip(c.client), t->client);
		assert_string_equal(ip(c.server), t->server);
		assert_string_equal(ip(c.gateway), t->gw);
		assert_string_equal(ip(c.netmask), t->mask);
		assert_string_equal(c.hostname, t->hostname);
		assert_string_equal(c.device, t->device);
		assert_int_equal(c.ndns, t->ndns);
		assert_int_equal(c.mtu, t->mtu);
	}
}

static void test_netmask_prefix(void **s)
{
	(void)s;
	struct in_addr m;
	inet_pton(AF_INET, "255.255.255.0", &m);
	assert_int_equal(ipconf_netmask_to_prefix(m), 24);
	inet_pton(AF_INET, "255.255.255.255", &m);
	assert_int_equal(ipconf_netmask_to_prefix(m), 32);
	inet_pton(AF_INET, "0.0.0.0", &m);
	assert_int_equal(ipconf_netmask_to_prefix(m), 0);
	inet_pton(AF_INET, "255.0.255.0", &m);
	assert_int_equal(ipconf_netmask_to_prefix(m), -1);
}

static void test_ours(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("init=/lib/systemd/systemd nfsinit.overlay.size=256M "
					"nfsinit.root.timeout=5 rd.net.timeout.dhcp=7 nfsinit.onfail=halt "
					"BOOTIF=01-52-54-00-12-34-56 panic=-1 rd.debug");
	assert_int_equal(c.nwarnings, 0);
	assert_string_equal(c.init, "/lib/systemd/systemd");
	assert_string_equal(c.overlay_size, "256M");
	assert_int_equal(c.root_timeout_s, 5);
	assert_int_equal(c.dhcp_timeout_s, 7);
	assert_int_equal(c.onfail, ONFAIL_HALT);
	assert_true(c.have_bootif);
	assert_memory_equal(c.bootif, ((uint8_t[]){ 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 }), 6);
	assert_true(c.panic_given);
	assert_int_equal(c.panic_s, -1);
	assert_true(c.debug);
	c = parse("rd.shell nfsinit.overlay.size=25%");
	assert_int_equal(c.onfail, ONFAIL_SHELL);
	assert_string_equal(c.overlay_size, "25%");
	assert_string_equal(c.root_ram, "");
	/* root in RAM: bare and 1 mean half of RAM; a size or share; 0/off undo it */
	static const struct { const char *line, *want; } ram[] = {
		{ "nfsinit.root.ram", "1" }, { "nfsinit.root.ram=1", "1" }, { "nfsinit.root.ram=2G", "2G" },
		{ "nfsinit.root.ram=40%", "40%" }, { "nfsinit.root.ram=2G nfsinit.root.ram=off", "" },
		{ "nfsinit.root.ram=1 nfsinit.root.ram=0", "" },
	};
	for (size_t i = 0; i < sizeof(ram) / sizeof(ram[0]); i++) {
		c = parse(ram[i].line);
		assert_int_equal(c.nwarnings, 0);
		assert_string_equal(c.root_ram, ram[i].want);
	}
}

static void test_bad_values_keep_defaults(void **s)
{
	(void)s;
	static const char *const bad[] = {
		"nfsinit.overlay.size=lots", "nfsinit.overlay.size=0", "nfsinit.overlay.size=101%",
		"nfsinit.overlay.size=12T", "nfsinit.root.timeout=-1", "nfsinit.root.timeout=soon",
		"nfsinit.onfail=explode", "BOOTIF=02-52-54-00-12-34-56", "BOOTIF=zz", "init=sbin/init",
		"panic=x", "nfsinit.typo=1", "ip=10.0.0.999", "nfsinit.root.ram=lots", "nfsinit.root.ram=2TB",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nfsinit_config c = parse(bad[i]);
		print_message("%s -> %s\n", bad[i], c.nwarnings ? c.warnings[0] : "(no warning)");
		assert_int_equal(c.nwarnings, 1);
		/* the warning names the parameter */
		char key[40];
		snprintf(key, sizeof key, "%.*s", (int)strcspn(bad[i], "="), bad[i]);
		assert_non_null(strstr(c.warnings[0], key));
		assert_string_equal(c.overlay_size, "50%");
		assert_string_equal(c.init, "/sbin/init");
		assert_int_equal(c.root_timeout_s, CFG_DEFAULT_ROOT_TIMEOUT_S);
		assert_int_equal(c.onfail, ONFAIL_DEFAULT);
		assert_false(c.have_bootif);
		assert_int_equal(c.ip.method, IP_METHOD_DHCP);
	}
}

static void test_overlong_and_many(void **s)
{
	(void)s;
	char line[NI_CMDLINE_MAX];
	size_t n = 0;
	n += (size_t)snprintf(line, sizeof line, "init=/");
	memset(line + n, 'a', 2000);
	n += 2000;
	line[n] = '\0';
	struct nfsinit_config c = parse(line);
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.init, "/sbin/init");
	/* more warnings than we keep: capped, no overflow */
	c = parse("nfsinit.a nfsinit.b nfsinit.c nfsinit.d nfsinit.e nfsinit.f nfsinit.g nfsinit.h nfsinit.i "
		  "nfsinit.j nfsinit.k nfsinit.l nfsinit.m nfsinit.n nfsinit.o nfsinit.p nfsinit.q nfsinit.r");
	assert_int_equal(c.nwarnings, NI_MAX_WARNINGS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tokenizer_quotes),
		cmocka_unit_test(test_tokenizer_truncation),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_root_spellings),
		cmocka_unit_test(test_root_malformed),
		cmocka_unit_test(test_root_other_and_dhcp),
		cmocka_unit_test(test_dhcp_root_path),
		cmocka_unit_test(test_mount_options),
		cmocka_unit_test(test_expand_path),
		cmocka_unit_test(test_ipconf_table),
		cmocka_unit_test(test_netmask_prefix),
		cmocka_unit_test(test_ours),
		cmocka_unit_test(test_bad_values_keep_defaults),
		cmocka_unit_test(test_overlong_and_many),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
