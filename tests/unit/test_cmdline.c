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
	/* dracut's URL form */
	{ "root=nfs://10.0.2.2/nfsroot", "10.0.2.2", "/nfsroot", "", "" },
	{ "root=nfs4://10.0.2.2/srv/root:vers=4.2,rsize=65536", "10.0.2.2", "/srv/root", "4.2", "rsize=65536" },
	{ "root=nfs:///images/node", "", "/images/node", "", "" },
	/* names and IPv6 literals (issue 18) */
	{ "root=nfs:nfs1.cluster.lan:/srv/root", "nfs1.cluster.lan", "/srv/root", "", "" },
	{ "root=nfs:[fd00::1]:/srv/root:vers=4.1", "[fd00::1]", "/srv/root", "4.1", "" },
	{ "root=/dev/nfs nfsroot=[fd00::1]:/srv/root,vers=3", "[fd00::1]", "/srv/root", "3", "" },
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
	"root=nfs:server_1.example:/x",
	"root=nfs:fd00::1:/x",
	"root=nfs:[fd00::zz]:/x",
	"nfsroot=10.0.2.2:/x,vers=5",
	"nfsroot=",
	"root=nfs://10.0.2.2:2049/x",
	"root=nfs://10.0.2.2",
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
	const char *img = NFSROOT_IMAGE_OPTIONS;
	assert_int_equal(nfsroot_parse_kernel("10.0.2.2:/r,timeo=14", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", img, out, sizeof out), 0);
	assert_string_equal(out, "vers=3,addr=10.0.2.2,nolock," NFSROOT_IMAGE_OPTIONS ",timeo=14");
	assert_int_equal(nfsroot_mount_options(&r, "4.1", "10.0.2.2", img, out, sizeof out), 0);
	assert_string_equal(out, "vers=4.1,addr=10.0.2.2," NFSROOT_IMAGE_OPTIONS ",timeo=14");
	/* A writable export (persist) gets no caching defaults. */
	assert_int_equal(nfsroot_mount_options(&r, "4.1", "10.0.2.2", "", out, sizeof out), 0);
	assert_string_equal(out, "vers=4.1,addr=10.0.2.2,timeo=14");
	assert_int_equal(nfsroot_parse_kernel("10.0.2.2:/r,lock", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", img, out, sizeof out), 0);
	assert_string_equal(out, "vers=3,addr=10.0.2.2," NFSROOT_IMAGE_OPTIONS ",lock");
	assert_int_equal(nfsroot_mount_options(&r, "3", "10.0.2.2", img, out, 10), -ENAMETOOLONG);
	/* No options of the user's: the defaults alone. */
	assert_int_equal(nfsroot_parse_dracut("nfs:10.0.2.2:/r", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "4.2", "10.0.2.2", img, out, sizeof out), 0);
	assert_string_equal(out, "vers=4.2,addr=10.0.2.2," NFSROOT_IMAGE_OPTIONS);
	/* The user's options win over the defaults (dracut form too). */
	assert_int_equal(nfsroot_parse_dracut("nfs:10.0.2.2:/r:cto,ac", &r, &err), 0);
	assert_int_equal(nfsroot_mount_options(&r, "4.2", "10.0.2.2", img, out, sizeof out), 0);
	assert_string_equal(out, "vers=4.2,addr=10.0.2.2,cto,ac");
}

/* Each row: the defaults, the user's options, what is mounted with. */
static void test_merge_defaults(void **s)
{
	(void)s;
	static const struct { const char *defaults, *user, *want; } rows[] = {
		{ "nocto,actimeo=600", "", "nocto,actimeo=600" },
		{ "nocto,actimeo=600", "timeo=14", "nocto,actimeo=600,timeo=14" },
		/* cto and nocto are one setting */
		{ "nocto,actimeo=600", "cto", "actimeo=600,cto" },
		{ "nocto,actimeo=600", "nocto", "actimeo=600,nocto" },
		/* any attribute cache option replaces actimeo, not just actimeo= */
		{ "nocto,actimeo=600", "acregmax=5", "nocto,acregmax=5" },
		{ "nocto,actimeo=600", "noac", "nocto,noac" },
		{ "nocto,actimeo=600", "ac", "nocto,ac" },
		{ "nocto,actimeo=600", "actimeo=3", "nocto,actimeo=3" },
		{ "nocto,lookupcache=all", "lookupcache=none", "nocto,lookupcache=none" },
		/* names are whole words: "actimeout"-like prefixes do not count */
		{ "nocto,actimeo=600", "noacl,ctox=1", "nocto,actimeo=600,noacl,ctox=1" },
		/* an option outside every group replaces only itself */
		{ "rsize=65536", "rsize=8192", "rsize=8192" },
		{ "", "timeo=14", "timeo=14" },
		{ "", "", "" },
	};
	char out[NI_OPTS_MAX];
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(nfsroot_merge_defaults(rows[i].defaults, rows[i].user, out, sizeof out), 0);
		assert_string_equal(out, rows[i].want);
	}
	/* Truncation is an error at every length short of the whole. */
	const char *want = "nocto,actimeo=600,timeo=14";
	for (size_t cap = 0; cap <= strlen(want); cap++)
		assert_int_equal(nfsroot_merge_defaults("nocto,actimeo=600", "timeo=14", out, cap), -ENAMETOOLONG);
	assert_int_equal(nfsroot_merge_defaults("nocto,actimeo=600", "timeo=14", out, strlen(want) + 1), 0);
	assert_string_equal(out, want);
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
	{ "[fe80::1::::::off", -EINVAL, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
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

/* Issue 18: dracut's IPv6 static form, auto6 and dhcp6; every malformed
 * field named. */
static void test_ipconf_v6(void **s)
{
	(void)s;
	struct ipconf c;
	struct err_reason err = { 0, "" };
	char a[INET6_ADDRSTRLEN];

	assert_int_equal(ipconf_parse("[fd00::10]::[fd00::1]:64:node1:eth0:none", &c, &err), 0);
	assert_true(c.v6);
	assert_int_equal(c.method, IP_METHOD_STATIC);
	assert_string_equal(inet_ntop(AF_INET6, &c.client6, a, sizeof(a)), "fd00::10");
	assert_string_equal(inet_ntop(AF_INET6, &c.gateway6, a, sizeof(a)), "fd00::1");
	assert_int_equal(c.prefix6, 64);
	assert_string_equal(c.hostname, "node1");
	assert_string_equal(c.device, "eth0");
	assert_int_equal(c.client.s_addr, 0);

	assert_int_equal(ipconf_parse("[fd00:0:0:7::10]:[fd00::2]::112:::off:[fd00::53]:[fd00::54]", &c, &err), 0);
	assert_int_equal(c.prefix6, 112);
	assert_string_equal(inet_ntop(AF_INET6, &c.server6, a, sizeof(a)), "fd00::2");
	assert_int_equal(c.ndns6, 2);
	assert_string_equal(inet_ntop(AF_INET6, &c.dns6[1], a, sizeof(a)), "fd00::54");

	assert_int_equal(ipconf_parse("[fd00::10]:::::eth0:none:9000:52:54:00:12:34:56", &c, &err), 0);
	assert_int_equal(c.prefix6, 64);   /* none given */
	assert_int_equal(c.mtu, 9000);
	assert_true(c.have_mac);

	assert_int_equal(ipconf_parse("auto6", &c, &err), 0);
	assert_int_equal(c.method, IP_METHOD_AUTO6);
	assert_int_equal(ipconf_parse("dhcp6", &c, &err), 0);
	assert_int_equal(c.method, IP_METHOD_DHCP6);
	assert_int_equal(ipconf_parse("eth1:auto6", &c, &err), 0);
	assert_int_equal(c.method, IP_METHOD_AUTO6);
	assert_string_equal(c.device, "eth1");

	static const struct { const char *v, *why; } bad[] = {
		{ "[fd00::10::::::none", "bad IPv6 client-ip" },
		{ "[fd00::zz]::::::none", "bad IPv6 client-ip" },
		{ "[10.0.0.1]::::::none", "bad IPv6 client-ip" },
		{ "[fd00::10]::fd00::1:64:::none", "bad IPv6 gw-ip" },
		{ "[fd00::10]::[fd00:1]:64:::none", "bad IPv6 gw-ip" },
		{ "[fd00::10]:::129:::none", "bad IPv6 prefix length" },
		{ "[fd00::10]:::0:::none", "bad IPv6 prefix length" },
		{ "[fd00::10]:::64:::dhcp", "wants autoconf none" },
		{ "[fd00::10]:::64:::none:[fd00::53:[x]", "bad IPv6 dns server" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = ipconf_parse(bad[i].v, &c, &err);
		print_message("ip=%s -> %d %s\n", bad[i].v, rc, err.msg);
		assert_int_equal(rc, -EINVAL);
		assert_non_null(strstr(err.msg, bad[i].why));
	}
}

/* Issue 13 item 12: dracut's <device>:<method>:<mtu>:<macaddr> (and the
 * long form's ...:<autoconf>:<mtu>:<macaddr>) parses, MTU and MAC taken. */
static void test_ipconf_dracut_mac(void **s)
{
	(void)s;
	static const uint8_t want[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
	struct ipconf c;
	struct err_reason err = { 0, "" };

	assert_int_equal(ipconf_parse("eth0:dhcp:9000:52:54:00:12:34:56", &c, &err), 0);
	assert_int_equal(c.method, IP_METHOD_DHCP);
	assert_string_equal(c.device, "eth0");
	assert_int_equal(c.mtu, 9000);
	assert_true(c.have_mac);
	assert_memory_equal(c.mac, want, 6);

	assert_int_equal(ipconf_parse("eth1:dhcp::52:54:00:12:34:56", &c, &err), 0);
	assert_int_equal(c.mtu, 0);
	assert_true(c.have_mac);

	assert_int_equal(ipconf_parse("10.0.0.5::10.0.0.1:255.255.0.0:h:eth0:none:1500:52:54:00:12:34:56",
				      &c, &err), 0);
	assert_int_equal(c.method, IP_METHOD_STATIC);
	assert_int_equal(c.mtu, 1500);
	assert_true(c.have_mac);
	assert_memory_equal(c.mac, want, 6);

	/* The kernel's 9-field form is no MAC: dns1 has dots. */
	assert_int_equal(ipconf_parse("10.0.0.5::10.0.0.1:255.255.0.0:h:eth0:off:10.0.0.2:10.0.0.3",
				      &c, &err), 0);
	assert_false(c.have_mac);
	assert_int_equal(c.ndns, 2);

	/* A MAC needs the interface it is for, and must be one. */
	assert_int_equal(ipconf_parse("10.0.0.5::10.0.0.1:255.255.0.0:h::none:1500:52:54:00:12:34:56",
				      &c, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "MAC"));
	assert_int_equal(ipconf_parse("eth0:dhcp:9000:52:54:00:12:34:5g", &c, &err), -EINVAL);
	assert_string_equal(err.msg, "ip=: bad MAC address '52:54:00:12:34:5g'");
	assert_int_equal(ipconf_parse("eth0:dhcp:9000:52:54:00:12:34", &c, &err), -EINVAL);
	assert_int_equal(ipconf_parse("eth0:dhcp:9000:525400123456", &c, &err), -EINVAL);
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

/* Other initramfs generators' spellings: mapped, or said to be unsupported. */
static void test_other_spellings(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("rd.shell=0");
	assert_int_equal(c.onfail, ONFAIL_REBOOT);
	c = parse("rd.shell=1");
	assert_int_equal(c.onfail, ONFAIL_SHELL);
	c = parse("rd.shell rd.shell=0");
	assert_int_equal(c.onfail, ONFAIL_REBOOT);
	c = parse("nfsinit.onfail=halt rd.shell=0");
	assert_int_equal(c.onfail, ONFAIL_HALT);
	c = parse("rd.shell=maybe");
	assert_int_equal(c.onfail, ONFAIL_DEFAULT);
	assert_int_equal(c.nwarnings, 1);
	assert_non_null(strstr(c.warnings[0], "rd.shell=maybe"));

	c = parse("rd.retry=30");
	assert_int_equal(c.net_timeout_s, 30);
	assert_int_equal(c.nwarnings, 0);
	c = parse("rd.timeout=300");
	assert_int_equal(c.root_timeout_s, 300);
	c = parse("rd.timeout=0");
	assert_int_equal(c.root_timeout_s, CFG_DEFAULT_ROOT_TIMEOUT_S);
	assert_int_equal(c.nwarnings, 1);
	assert_non_null(strstr(c.warnings[0], "not supported"));
	c = parse("rootdelay=120");
	assert_int_equal(c.root_timeout_s, 120);
	c = parse("rootdelay=5");  /* the retries already go on longer */
	assert_int_equal(c.root_timeout_s, CFG_DEFAULT_ROOT_TIMEOUT_S);
	c = parse("rootdelay=x");
	assert_int_equal(c.nwarnings, 1);

	c = parse("root=/dev/nfs nfsroot=auto ip=dhcp");
	assert_true(c.root_from_dhcp);
	assert_false(c.root.given);
	assert_string_equal(c.root_other, "");
	assert_int_equal(c.nwarnings, 0);
	c = parse("root=nfs:10.0.2.2:/x nfsroot=auto");
	assert_true(c.root.given);
	assert_false(c.root_from_dhcp);
}

static void test_nfs_versions(void **s)
{
	(void)s;
	static const struct { const char *line; int n; const char *v[4]; } cases[] = {
		{ "nfsroot=1.2.3.4:/x", 4, { "4.2", "4.1", "4.0", "3" } },
		{ "nfsroot=1.2.3.4:/x,vers=4", 3, { "4.2", "4.1", "4.0" } },
		{ "nfsroot=1.2.3.4:/x,vers=3", 1, { "3" } },
		{ "root=nfs4:1.2.3.4:/x:vers=4.1", 1, { "4.1" } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nfsinit_config c = parse(cases[i].line);
		const char *v[NFSROOT_VERSIONS_MAX];
		int n = nfsroot_versions(&c.root, v);
		assert_int_equal(n, cases[i].n);
		for (int k = 0; k < n; k++)
			assert_string_equal(v[k], cases[i].v[k]);
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

/* nfsinit.log= and dracut's syslog.server=; a malformed one is a warning
 * and turns the remote log off (log_bad), DHCP option 7 included. */
static void test_remote_log(void **s)
{
	(void)s;
	struct nfsinit_config c = parse("nfsinit.log=10.0.2.2:1514");
	assert_true(c.log_given);
	assert_false(c.log_bad);
	assert_string_equal(ip(c.log.addr), "10.0.2.2");
	assert_int_equal(c.log.port, 1514);
	c = parse("syslog.server=10.0.2.3");
	assert_true(c.log_given);
	assert_int_equal(c.log.port, 514);
	c = parse("nfsinit.log=loghost:514");
	assert_false(c.log_given);
	assert_true(c.log_bad);
	assert_int_equal(c.nwarnings, 1);
	assert_string_equal(c.warnings[0], "nfsinit.log=loghost:514: not an IPv4 address 'loghost'; "
					   "expected <IPv4 address>[:<port>] (no remote log)");
	c = parse("");
	assert_false(c.log_given || c.log_bad);
}

/* nfsinit.root.verity: hex only, 40/64/128 digits, kept in lower case; a
 * malformed one is a warning and root_verity_bad (the root stage refuses),
 * never a silent boot without the check. */
static void test_root_verity(void **s)
{
	(void)s;
	static const char good[] = "8AFC83AC96A786C17E17024BCF6E95E49D1DE80953CB6AE4A81288BBAE5BDBA5";
	char line[256];
	struct nfsinit_config c = parse("");
	assert_string_equal(c.root_verity, "");
	assert_false(c.root_verity_bad);
	assert_int_equal(c.root_verity_oncorrupt, VERITY_ONCORRUPT_EIO);
	snprintf(line, sizeof(line), "nfsinit.root.verity=%s nfsinit.root.verity.oncorrupt=restart", good);
	c = parse(line);
	assert_string_equal(c.root_verity, "8afc83ac96a786c17e17024bcf6e95e49d1de80953cb6ae4a81288bbae5bdba5");
	assert_false(c.root_verity_bad);
	assert_int_equal(c.root_verity_oncorrupt, VERITY_ONCORRUPT_RESTART);
	assert_int_equal(c.nwarnings, 0);
	c = parse("nfsinit.root.verity=8ad7fe7d1414349372d028ca299b0ff5b4c0dabe nfsinit.root.verity.oncorrupt=panic");
	assert_string_equal(c.root_verity, "8ad7fe7d1414349372d028ca299b0ff5b4c0dabe");
	assert_int_equal(c.root_verity_oncorrupt, VERITY_ONCORRUPT_PANIC);

	static const struct { const char *line, *warning; } bad[] = {
		{ "nfsinit.root.verity=8afc83ac96",
		  "nfsinit.root.verity=8afc83ac96: 10 hexadecimal digits; a root hash has 64 (sha256), 40 (sha1) or "
		  "128 (sha512)" },
		{ "nfsinit.root.verity=8afc83ac96a786c17e17024bcf6e95e49d1de80953cb6ae4a81288bbae5bdbz5",
		  "nfsinit.root.verity=8afc83ac96a786c17e17024bcf6e95e49d1de809: 'z' at position 63 is not a "
		  "hexadecimal digit" },
		{ "nfsinit.root.verity=", "nfsinit.root.verity=: 0 hexadecimal digits; a root hash has 64 (sha256), "
					  "40 (sha1) or 128 (sha512)" },
		{ "nfsinit.root.verity", "nfsinit.root.verity=: 0 hexadecimal digits; a root hash has 64 (sha256), "
					 "40 (sha1) or 128 (sha512)" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		c = parse(bad[i].line);
		assert_true(c.root_verity_bad);
		assert_string_equal(c.root_verity, "");
		assert_int_equal(c.nwarnings, 1);
		assert_string_equal(c.warnings[0], bad[i].warning);
	}
	/* a later good one replaces a bad one: the last spelling wins, as for every parameter */
	snprintf(line, sizeof(line), "nfsinit.root.verity=xyz nfsinit.root.verity=%s", good);
	c = parse(line);
	assert_false(c.root_verity_bad);
	c = parse("nfsinit.root.verity.oncorrupt=reboot");
	assert_int_equal(c.root_verity_oncorrupt, VERITY_ONCORRUPT_EIO);
	assert_string_equal(c.warnings[0], "nfsinit.root.verity.oncorrupt=reboot: expected eio, restart or panic; "
					   "keeping eio");
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
		cmocka_unit_test(test_merge_defaults),
		cmocka_unit_test(test_expand_path),
		cmocka_unit_test(test_ipconf_table),
		cmocka_unit_test(test_ipconf_v6),
		cmocka_unit_test(test_ipconf_dracut_mac),
		cmocka_unit_test(test_netmask_prefix),
		cmocka_unit_test(test_ours),
		cmocka_unit_test(test_other_spellings),
		cmocka_unit_test(test_nfs_versions),
		cmocka_unit_test(test_bad_values_keep_defaults),
		cmocka_unit_test(test_overlong_and_many),
		cmocka_unit_test(test_remote_log),
		cmocka_unit_test(test_root_verity),
	};
	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
