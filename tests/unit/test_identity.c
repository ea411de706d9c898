/* identity/: renderer, layer order, node ids, /etc text, persistence spec,
 * and safe writes + template layers on a real temporary directory tree
 * (no root needed). Expected ids come from Python's hashlib, not our SHA-256. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../identity/apply.h"
#include "../../identity/etctext.h"
#include "../../identity/facts.h"
#include "../../identity/identity.h"
#include "../../identity/layers.h"
#include "../../identity/nodeid.h"
#include "../../identity/persist.h"
#include "../../identity/safefs.h"
#include "../../identity/sha256.h"
#include "../../identity/tmpl.h"
#include "../../init/config.h" /* nfsinit.class=, nfsinit.var., ... as parsed */

static const uint8_t MAC1[6] = { 0x52, 0x54, 0x00, 0x00, 0x04, 0x01 };
static const uint8_t MAC2[6] = { 0x52, 0x54, 0x00, 0x00, 0x04, 0x02 };

static void hex(const uint8_t *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* ------------------------------------------------------------ renderer */

static struct tmpl_vars vars3(void)
{
	struct tmpl_vars v = { 0 };
	assert_int_equal(tmpl_var_set(&v, "hostname", "node17"), 0);
	assert_int_equal(tmpl_var_set(&v, "ip", "10.0.0.17"), 0);
	assert_int_equal(tmpl_var_set(&v, "site.name", "lab-2"), 0);
	return v;
}

static int render(const char *in, char *out, size_t cap, struct err_reason *err)
{
	struct tmpl_vars v = vars3();
	size_t len = 0;
	int rc = tmpl_render(in, strlen(in), &v, out, cap, &len, err);
	if (rc == 0)
		assert_int_equal(len, strlen(out));
	return rc;
}

static void test_render_table(void **s)
{
	(void)s;
	static const struct { const char *in, *out; } t[] = {
		{ "", "" },
		{ "plain text\n", "plain text\n" },
		{ "{{hostname}}", "node17" },
		{ "{{ hostname }} {{\tip\t}}", "node17 10.0.0.17" },
		{ "a{{hostname}}b{{ip}}c\n", "anode17b10.0.0.17c\n" },
		{ "{{site.name}}", "lab-2" },
		{ "\\{{hostname}}", "{{hostname}}" },
		{ "{ {hostname} }", "{ {hostname} }" },
		{ "}} alone", "}} alone" },
		{ "x{", "x{" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char out[128];
		struct err_reason err;
		assert_int_equal(render(t[i].in, out, sizeof(out), &err), 0);
		assert_string_equal(out, t[i].out);
	}
}

static void test_render_errors_name_the_line(void **s)
{
	(void)s;
	static const struct { const char *in; int line; const char *msg; } t[] = {
		{ "ok\nok {{hostname}}\n{{nosuch}}\n", 3, "unknown variable {{nosuch}}" },
		{ "{{hostname\n}}", 1, "'{{' without '}}' on the same line" },
		{ "a\nb\nc {{", 3, "'{{' without '}}' on the same line" },
		{ "{{bad name}}", 1, "not a variable name" },
		{ "{{}}", 1, "not a variable name" },
		{ "{{../etc}}", 1, "not a variable name" },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char out[128];
		struct err_reason err;
		assert_int_equal(render(t[i].in, out, sizeof(out), &err), -EINVAL);
		assert_int_equal(err.line, t[i].line);
		assert_non_null(strstr(err.msg, t[i].msg));
	}
}

static void test_render_too_big(void **s)
{
	(void)s;
	char out[8];
	struct err_reason err;
	assert_int_equal(render("{{hostname}}{{hostname}}", out, sizeof(out), &err), -EFBIG);
	assert_int_equal(render("1234567", out, sizeof(out), &err), 0);
	assert_int_equal(render("12345678", out, sizeof(out), &err), -EFBIG);
}

static void test_vars(void **s)
{
	(void)s;
	struct tmpl_vars v = vars3();
	char big[NI_VARVAL_MAX + 1];
	assert_int_equal(tmpl_var_set(&v, "hostname", "other"), -EEXIST);
	assert_string_equal(tmpl_var_get(&v, "hostname", 8), "node17");
	assert_int_equal(tmpl_var_set(&v, "a/b", "x"), -EINVAL);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(tmpl_var_set(&v, "big", big), -E2BIG);
	assert_null(tmpl_var_get(&v, "host", 4));
}

/* ------------------------------------------------------------ layers */

static void test_layers_order(void **s)
{
	(void)s;
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX] = { "gpu", "rack3" };
	char layers[TMPL_MAX_LAYERS][TMPL_LAYER_MAX], refused[64];
	int nref;
	int n = tmpl_layers((const char (*)[NI_CLASS_MAX])classes, 2, "node17", "52-54-00-00-04-01", layers, &nref,
			    refused, sizeof(refused));
	assert_int_equal(n, 5);
	assert_int_equal(nref, 0);
	assert_string_equal(layers[0], "common");
	assert_string_equal(layers[1], "class/gpu");
	assert_string_equal(layers[2], "class/rack3");
	assert_string_equal(layers[3], "host/node17");
	assert_string_equal(layers[4], "mac/52-54-00-00-04-01");
	/* no name, no MAC: common only */
	n = tmpl_layers((const char (*)[NI_CLASS_MAX])classes, 0, "", "", layers, &nref, refused, sizeof(refused));
	assert_int_equal(n, 1);
}

static void test_layers_refuse_path_names(void **s)
{
	(void)s;
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX] = { "..", "ok" };
	char layers[TMPL_MAX_LAYERS][TMPL_LAYER_MAX], refused[64];
	int nref;
	int n = tmpl_layers((const char (*)[NI_CLASS_MAX])classes, 2, "../../etc", "", layers, &nref, refused,
			    sizeof(refused));
	assert_int_equal(n, 2);
	assert_string_equal(layers[1], "class/ok");
	assert_int_equal(nref, 2);
	assert_string_equal(refused, "class/..");
	assert_false(tmpl_layer_name_ok("a/b"));
	assert_false(tmpl_layer_name_ok("."));
	assert_true(tmpl_layer_name_ok("node-17.rack"));
}

/* ------------------------------------------------------------ node ids */

static void test_sha256_vectors(void **s)
{
	(void)s;
	uint8_t h[32];
	char x[65];
	static char a1000[1000];
	sha256("abc", 3, h);
	hex(h, 32, x);
	assert_string_equal(x, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	sha256("", 0, h);
	hex(h, 32, x);
	assert_string_equal(x, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	memset(a1000, 'a', sizeof(a1000));
	sha256(a1000, sizeof(a1000), h);
	hex(h, 32, x);
	assert_string_equal(x, "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3");
}

static void test_machine_id_and_hostid(void **s)
{
	(void)s;
	char id1[33], id2[33], again[33];
	nodeid_machine_id(MAC1, id1);
	nodeid_machine_id(MAC2, id2);
	nodeid_machine_id(MAC1, again);
	/* python3: sha256(b'nfsinit machine-id v1\0' + mac)[:16], v4 bits set */
	assert_string_equal(id1, "09ccd100ceb644eebf33c35ffbabe7c4");
	assert_string_equal(id2, "176d03a3736d408f828849562d9b6ff4");
	assert_string_equal(id1, again);
	assert_int_equal(id1[12], '4');
	assert_non_null(strchr("89ab", id1[16]));
	assert_int_equal(nodeid_hostid(MAC1), 0xd2d28f82u);
	assert_int_equal(nodeid_hostid(MAC2), 0x23c5571cu);
}

static void test_node_number_and_names(void **s)
{
	(void)s;
	char name[32], dir[18];
	assert_int_equal(nodeid_number("node17", 0, 0), 17);
	assert_int_equal(nodeid_number("c0042", 0, 0), 42);
	assert_int_equal(nodeid_number("login", inet_addr("10.1.2.37"), inet_addr("255.255.0.0")), 2 * 256 + 37);
	assert_int_equal(nodeid_number(NULL, inet_addr("10.0.2.15"), inet_addr("255.255.255.0")), 15);
	assert_int_equal(nodeid_number("login", 0, 0xffffffffu), -1);
	assert_int_equal(nodeid_number("n1234567890", 0, 0xffffffffu), -1);
	nodeid_default_hostname(MAC1, name, sizeof(name));
	assert_string_equal(name, "node-525400000401");
	nodeid_mac_dirname(MAC1, dir);
	assert_string_equal(dir, "52-54-00-00-04-01");
}

static struct net_lease lease1(void)
{
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	strcpy(l.ifname, "eth0");
	memcpy(l.mac, MAC1, 6);
	l.addr.s_addr = inet_addr("10.0.2.15");
	l.netmask.s_addr = inet_addr("255.255.255.0");
	l.gateway.s_addr = inet_addr("10.0.2.2");
	l.prefix = 24;
	l.dns[0].s_addr = inet_addr("10.0.2.3");
	l.ndns = 1;
	strcpy(l.hostname, "node7.cluster.example");
	return l;
}

/* The options init/main.c hands over for nfsinit.class= and nfsinit.var.,
 * with storage of their own here. */
struct test_opts {
	struct identity_opts o;
	char classes[NI_MAX_CLASSES][NI_CLASS_MAX];
	struct identity_var vars[NI_MAX_USERVARS];
};

static void opt_class(struct test_opts *t, const char *name)
{
	t->o.classes = t->classes;
	strcpy(t->classes[t->o.nclasses++], name);
}

static void opt_var(struct test_opts *t, const char *name, const char *value)
{
	t->o.uservars = t->vars;
	strcpy(t->vars[t->o.nuservars].name, name);
	strcpy(t->vars[t->o.nuservars++].value, value);
}

static void test_ident_build(void **s)
{
	(void)s;
	static struct test_opts opts;
	static struct ident id;
	struct net_lease l = lease1();
	char warn[4][NI_WARN_MAX];
	int nwarn;
	opt_class(&opts, "gpu");
	opt_class(&opts, "rack3");
	opt_var(&opts, "site", "lab");
	opt_var(&opts, "hostname", "evil");
	struct ident_input in = { &opts.o, &l, "10.0.2.2", "/nfsroot", "6.1.0-test" };
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node7");
	assert_string_equal(id.domain, "cluster.example");
	assert_string_equal(id.fqdn, "node7.cluster.example");
	assert_false(id.hostname_derived);
	assert_int_equal(id.node, 7);
	assert_string_equal(id.machine_id, "09ccd100ceb644eebf33c35ffbabe7c4");
	assert_int_equal(nwarn, 1); /* nfsinit.var.hostname clashes with the built-in */
	assert_non_null(strstr(warn[0], "hostname"));
	static const struct { const char *name, *value; } want[] = {
		{ "hostname", "node7" }, { "interface", "eth0" }, { "mac", "52:54:00:00:04:01" },
		{ "ip", "10.0.2.15" }, { "prefix", "24" }, { "netmask", "255.255.255.0" },
		{ "gateway", "10.0.2.2" }, { "dns", "10.0.2.3" }, { "ntp", "" }, { "nfs_server", "10.0.2.2" },
		{ "root_path", "/nfsroot" }, { "kernel", "6.1.0-test" }, { "node", "7" },
		{ "hostid", "d2d28f82" }, { "classes", "gpu rack3" }, { "site", "lab" },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const char *v = tmpl_var_get(&id.vars, want[i].name, strlen(want[i].name));
		assert_non_null(v);
		assert_string_equal(v, want[i].value);
	}
	/* no name from DHCP: derived from the MAC, and not a node number */
	l.hostname[0] = '\0';
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node-525400000401");
	assert_true(id.hostname_derived);
	assert_int_equal(id.node, 15);
	/* a name that is no host name is not used (and never a layer path) */
	strcpy(l.hostname, "../x");
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_string_equal(id.hostname, "node-525400000401");
	assert_int_equal(nwarn, 2);
	assert_non_null(strstr(warn[0], "'../x' from the network is not a valid node name"));
}

/* DHCP option 224's classes first, the command line's after (they win). */
static void test_classes_dhcp_then_cmdline(void **s)
{
	(void)s;
	static struct test_opts opts;
	static struct ident id;
	struct net_lease l = lease1();
	char warn[4][NI_WARN_MAX];
	int nwarn;
	strcpy(l.classes, "rack3 gpu,..,a/b,-x");
	opt_class(&opts, "gpu");
	opt_class(&opts, "login");
	struct ident_input in = { &opts.o, &l, "10.0.2.2", "/nfsroot", "k" };
	ident_build(&in, &id, warn, 4, &nwarn);
	assert_int_equal(id.nclasses, 3);
	assert_string_equal(id.classes[0], "rack3");
	assert_string_equal(id.classes[1], "gpu");
	assert_string_equal(id.classes[2], "login");
	assert_string_equal(tmpl_var_get(&id.vars, "classes", 7), "rack3 gpu login");
	assert_int_equal(nwarn, 1);
	assert_non_null(strstr(warn[0], "3 class name(s) not used"));
}

static void test_cmdline_identity_params(void **s)
{
	(void)s;
	static struct nfsinit_config c;
	config_defaults(&c);
	assert_string_equal(c.templates, "/etc/nfsinit/templates");
	cmdline_parse("nfsinit.class=a,../x,b nfsinit.var.rack=3 nfsinit.var.a/b=1 nfsinit.templates=/srv/t "
		      "nfsinit.persist=10.0.0.1:/p/{{hostname}} nfsinit.persist.paths=/var/log,/var/lib/x", &c);
	assert_int_equal(c.nclasses, 2);
	assert_string_equal(c.classes[0], "a");
	assert_string_equal(c.classes[1], "b");
	assert_int_equal(c.nuservars, 1);
	assert_string_equal(c.uservars[0].name, "rack");
	assert_string_equal(c.templates, "/srv/t");
	assert_string_equal(c.persist, "10.0.0.1:/p/{{hostname}}");
	assert_string_equal(c.persist_paths, "/var/log,/var/lib/x");
	assert_int_equal(c.nwarnings, 2); /* ../x and a/b */
	config_defaults(&c);
	cmdline_parse("nfsinit.templates=off", &c);
	assert_string_equal(c.templates, "");
	config_defaults(&c);
	cmdline_parse("nfsinit.templates=../rel", &c);
	assert_string_equal(c.templates, "/etc/nfsinit/templates");
	assert_int_equal(c.nwarnings, 1);
}

/* ------------------------------------------------------------ /etc text */

static void test_hosts_text(void **s)
{
	(void)s;
	char out[512];
	const char *old = "127.0.0.1\tlocalhost\n127.0.1.1\tbuildhost\n10.0.0.9 node7 # stale\n10.0.0.1 server\n";
	int n = etc_hosts_text(old, strlen(old), "10.0.2.15", "node7.cluster.example", "node7", out, sizeof(out));
	assert_true(n > 0);
	assert_string_equal(out, "127.0.0.1\tlocalhost\n10.0.0.1 server\n10.0.2.15\tnode7.cluster.example node7\n");
	n = etc_hosts_text("", 0, "", "n1", "n1", out, sizeof(out));
	assert_string_equal(out, "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\tn1\n");
	/* no newline at the end of the old file */
	n = etc_hosts_text("1.2.3.4 a", 9, "10.0.0.2", "n2", "n2", out, sizeof(out));
	assert_string_equal(out, "1.2.3.4 a\n10.0.0.2\tn2\n");
	assert_int_equal(etc_hosts_text(old, strlen(old), "10.0.2.15", "n", "n", out, 20), -ENOSPC);
}

/* ------------------------------------------------------------ persistence spec */

static void test_persist_parse(void **s)
{
	(void)s;
	struct tmpl_vars v = vars3();
	static struct persist_spec p;
	struct err_reason err;
	assert_int_equal(persist_parse("10.0.0.1:/srv/nodes/{{hostname}}/", "/var/log,/var/lib/slurm/", &v, "10.0.2.2",
				       &p, &err), 0);
	assert_string_equal(p.server, "10.0.0.1");
	assert_string_equal(p.path, "/srv/nodes/node17");
	assert_string_equal(p.parent, "/srv/nodes");
	assert_string_equal(p.leaf, "node17");
	assert_int_equal(p.npaths, 2);
	assert_string_equal(p.paths[0], "var/log");
	assert_string_equal(p.paths[1], "var/lib/slurm");
	/* no server: the root's */
	assert_int_equal(persist_parse("/persist/{{hostname}}", "/var/log", &v, "10.0.2.2", &p, &err), 0);
	assert_string_equal(p.server, "10.0.2.2");
	static const struct { const char *spec, *paths, *why; } bad[] = {
		{ "/p/{{nosuch}}", "/var/log", "unknown variable" },
		{ "/p/../x", "/var/log", "path must be" },
		{ "/toplevel", "/var/log", "path must be" },
		{ "server.example:/p/x", "/var/log", "not an IPv4 address" },
		{ "/p/x", "var/log", "not an absolute path" },
		{ "/p/x", "/var/../etc", "not an absolute path" },
		{ "/p/x", "/", "cannot be persisted" },
		{ "/p/x", ",,", "no path given" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(persist_parse(bad[i].spec, bad[i].paths, &v, "10.0.2.2", &p, &err), -EINVAL);
		assert_non_null(strstr(err.msg, bad[i].why));
	}
}

/* ------------------------------------------------------------ on a real tree */

static char tmpdir[64];

static int mk_tmp(void **s)
{
	(void)s;
	strcpy(tmpdir, "/tmp/nfsi4-unit.XXXXXX");
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int rm_tmp(void **s)
{
	char cmd[128];
	(void)s;
	safe_set_openat2(true);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static int open_dir(const char *sub)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, sub);
	int fd = open(p, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	return fd;
}

static void read_back(const char *rel, char *buf, size_t cap)
{
	char p[256];
	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	FILE *f = fopen(p, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
}

static bool exists(const char *rel)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof(p), "%s/%s", tmpdir, rel);
	return lstat(p, &st) == 0;
}

/* The new root's tree has etc/evil -> /proc/sys/kernel and var/run -> /run,
 * as a shared root might; writes must refuse both and "../" names. */
static void safe_refusals(bool openat2)
{
	char buf[64];
	struct err_reason why;
	int root;
	safe_set_openat2(openat2);
	sh("rm -rf %s/root && mkdir -p %s/root/etc %s/root/var && ln -s /proc/sys/kernel %s/root/etc/evil && "
	   "ln -s /run %s/root/var/run && ln -s /etc/passwd %s/root/etc/leaf",
	   tmpdir, tmpdir, tmpdir, tmpdir, tmpdir, tmpdir);
	root = open_dir("root");
	assert_int_equal(safe_write(root, "../x", "x", 1, 0644, SAFE_KEEP_OWNER, 0, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "'..' is not allowed"));
	assert_false(exists("x"));
	assert_int_equal(safe_write(root, "etc/../../x", "x", 1, 0644, SAFE_KEEP_OWNER, 0, &why), -EINVAL);
	assert_false(exists("x"));
	assert_int_equal(safe_write(root, "etc/evil/hostname", "x", 1, 0644, SAFE_KEEP_OWNER, 0, &why),
			 -ELOOP);
	assert_non_null(strstr(why.msg, "etc/evil is a symlink to /proc/sys/kernel"));
	assert_int_equal(safe_mkdir(root, "var/run/nfsinit", 0755, SAFE_KEEP_OWNER, 0, &why), -ELOOP);
	assert_non_null(strstr(why.msg, "var/run is a symlink to /run"));
	/* the last component a symlink: not written through */
	assert_int_equal(safe_write(root, "etc/leaf", "x", 1, 0644, SAFE_KEEP_OWNER, 0, &why), -ELOOP);
	assert_non_null(strstr(why.msg, "symlink to /etc/passwd"));
	/* a normal write creates its parents and sets the mode */
	assert_int_equal(safe_write(root, "/etc/a/b/c.conf", "hello\n", 6, 0640, SAFE_KEEP_OWNER, 0, &why), 0);
	read_back("root/etc/a/b/c.conf", buf, sizeof(buf));
	assert_string_equal(buf, "hello\n");
	struct stat st;
	assert_int_equal(fstatat(root, "etc/a/b/c.conf", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	close(root);
}

static void test_safe_refusals_openat2(void **s)
{
	(void)s;
	safe_refusals(true);
}

static void test_safe_refusals_walk(void **s)
{
	(void)s;
	safe_refusals(false);
}

static const struct ident *ident_for(const char *hostname)
{
	static struct test_opts opts;
	static struct ident id;
	static struct net_lease l;
	char warn[4][NI_WARN_MAX];
	int nwarn;
	l = lease1();
	strcpy(l.hostname, hostname);
	memset(&opts, 0, sizeof(opts));
	opt_class(&opts, "gpu");
	opt_var(&opts, "site", "lab");
	struct ident_input in = { &opts.o, &l, "10.0.2.2", "/nfsroot", "6.1.0-test" };
	ident_build(&in, &id, warn, 4, &nwarn);
	return &id;
}

/* A template tree with every layer kind, a bad template, a "../" hostname
 * and a template aimed through the root's symlink to /proc. */
static void make_tree(void)
{
	sh("cd %s && rm -rf t root && mkdir -p root/etc root/var && ln -s /proc/sys/kernel root/etc/evil && "
	   "mkdir -p t/common/etc/motd.d t/common/etc/evil t/class/gpu/etc t/host/node7/etc "
	   "t/mac/52-54-00-00-04-01/etc t/host/other/etc && "
	   "printf 'common\\n' >t/common/etc/role && "
	   "printf 'welcome to {{hostname}} ({{classes}}, {{site}})\\n' >t/common/etc/motd.d/10-node.tmpl && "
	   "printf 'ok\\n{{nosuch}}\\n' >t/common/etc/broken.conf.tmpl && "
	   "printf 'pwned\\n' >t/common/etc/evil/hostname && "
	   "printf 'secret\\n' >t/common/etc/secret && chmod 0600 t/common/etc/secret && "
	   "ln -s /usr/share/zoneinfo/UTC t/common/etc/localtime && "
	   "printf 'gpu\\n' >t/class/gpu/etc/role && printf 'driver=1\\n' >t/class/gpu/etc/gpu.conf && "
	   "printf 'login {{node}}\\n' >t/host/node7/etc/role.tmpl && "
	   "printf '{{mac}}\\n' >t/mac/52-54-00-00-04-01/etc/mac.tmpl && "
	   "printf 'not me\\n' >t/host/other/etc/other",
	   tmpdir);
}

static void test_templates_layers_applied(void **s)
{
	(void)s;
	char buf[256];
	struct stat st;
	make_tree();
	int root = open_dir("root"), t = open_dir("t");
	const struct ident *id = ident_for("node7");
	/* the broken template and the write through the root's /proc symlink */
	assert_int_equal(identity_templates(root, id, -1, "image", t, "/t"), 2);
	/* host beats class beats common; a .tmpl and a plain file of the same
	 * name in different layers: the later layer wins */
	read_back("root/etc/role", buf, sizeof(buf));
	assert_string_equal(buf, "login 7\n");
	read_back("root/etc/motd.d/10-node", buf, sizeof(buf));
	assert_string_equal(buf, "welcome to node7 (gpu, lab)\n");
	read_back("root/etc/gpu.conf", buf, sizeof(buf));
	assert_string_equal(buf, "driver=1\n");
	read_back("root/etc/mac", buf, sizeof(buf));
	assert_string_equal(buf, "52:54:00:00:04:01\n");
	assert_false(exists("root/etc/other"));
	/* the bad template is skipped, the rest applied */
	assert_false(exists("root/etc/broken.conf"));
	assert_false(exists("root/etc/broken.conf.tmpl"));
	/* not written through the root's symlink to /proc */
	assert_int_equal(lstat("/proc/sys/kernel/hostname", &st), 0);
	read_back("root/etc/evil", buf, 1); /* still the symlink */
	assert_int_equal(fstatat(root, "etc/evil", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISLNK(st.st_mode));
	/* mode and symlinks copied */
	assert_int_equal(fstatat(root, "etc/secret", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	ssize_t n = readlinkat(root, "etc/localtime", buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_string_equal(buf, "/usr/share/zoneinfo/UTC");
	close(root);
	close(t);
}

static void test_templates_image_then_root(void **s)
{
	(void)s;
	char buf[64];
	make_tree();
	sh("cd %s && rm -rf img && mkdir -p img/common/etc img/host/node7/etc && printf 'image\\n' >img/common/etc/role "
	   "&& printf 'image-only\\n' >img/common/etc/fromimage && printf 'img-host\\n' >img/host/node7/etc/hostonly",
	   tmpdir);
	int root = open_dir("root"), t = open_dir("t"), img = open_dir("img");
	assert_int_equal(identity_templates(root, ident_for("node7"), img, "image", t, "/t"), 2);
	read_back("root/etc/fromimage", buf, sizeof(buf));
	assert_string_equal(buf, "image-only\n");
	read_back("root/etc/hostonly", buf, sizeof(buf));
	assert_string_equal(buf, "img-host\n");
	read_back("root/etc/role", buf, sizeof(buf)); /* root's host layer last */
	assert_string_equal(buf, "login 7\n");
	close(root);
	close(t);
	close(img);
}

static void test_templates_dotdot_hostname(void **s)
{
	(void)s;
	make_tree();
	/* a DHCP server handing out ".." as the name must not pick t/host/.. = t */
	int root = open_dir("root"), t = open_dir("t");
	/* the ".." layer left out, and common/'s broken template */
	assert_int_equal(identity_templates(root, ident_for(".."), -1, "image", t, "/t"), 2);
	assert_false(exists("root/common"));
	assert_false(exists("root/host"));
	assert_true(exists("root/etc/role"));
	close(root);
	close(t);
}

/* A huge file is skipped alone; a tree with too many entries stops being
 * read; neither is fatal. */
static void test_templates_huge(void **s)
{
	(void)s;
	sh("cd %s && rm -rf t root && mkdir -p root t/common/etc t/common/many && "
	   "head -c %d /dev/zero >t/common/etc/huge && echo small >t/common/etc/small && "
	   "head -c %d /dev/zero >t/common/etc/just-fits",
	   tmpdir, NI_TMPL_FILE_MAX + 1, NI_TMPL_FILE_MAX);
	int root = open_dir("root"), t = open_dir("t");
	assert_int_equal(identity_templates(root, ident_for("node7"), -1, "image", t, "/t"), 1);
	assert_false(exists("root/etc/huge"));
	assert_true(exists("root/etc/small"));
	assert_true(exists("root/etc/just-fits"));
	close(root);
	close(t);
	sh("cd %s/t/common/many && seq 1 %d | xargs touch", tmpdir, NI_TMPL_ENTRIES_MAX + 10);
	root = open_dir("root");
	t = open_dir("t/common");
	struct tmpl_budget budget = { 0 };
	struct tmpl_stats st = { 0 };
	tmpl_apply_tree(t, "/t/common", root, &ident_for("node7")->vars, &budget, &st);
	assert_true(budget.exhausted);
	assert_true(st.files < NI_TMPL_ENTRIES_MAX);
	close(root);
	close(t);
}

static void test_defaults_on_tree(void **s)
{
	(void)s;
	char buf[512];
	struct stat st;
	struct net_lease l = lease1();
	sh("cd %s && rm -rf root && mkdir -p root/etc root/var && printf '127.0.0.1 localhost\\n' >root/etc/hosts && "
	   "echo shared >root/etc/hostname",
	   tmpdir);
	int root = open_dir("root");
	identity_defaults(root, ident_for("node7.cluster.example"), &l);
	read_back("root/etc/hostname", buf, sizeof(buf));
	assert_string_equal(buf, "node7\n");
	read_back("root/etc/hosts", buf, sizeof(buf));
	assert_string_equal(buf, "127.0.0.1 localhost\n10.0.2.15\tnode7.cluster.example node7\n");
	read_back("root/etc/machine-id", buf, sizeof(buf));
	assert_string_equal(buf, "09ccd100ceb644eebf33c35ffbabe7c4\n");
	read_back("root/etc/resolv.conf", buf, sizeof(buf));
	assert_non_null(strstr(buf, "nameserver 10.0.2.3\n"));
	assert_non_null(strstr(buf, "search cluster.example"));
	uint32_t hid;
	int fd = openat(root, "etc/hostid", O_RDONLY);
	assert_true(fd >= 0);
	assert_int_equal(read(fd, &hid, 4), 4);
	assert_int_equal(read(fd, buf, 1), 0);
	close(fd);
	assert_int_equal(hid, 0xd2d28f82u); /* what gethostid(3) returns */
	assert_int_equal(fstatat(root, "tmp", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 01777);
	assert_int_equal(fstatat(root, "var/log", &st, 0), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(fstatat(root, "var/cache", &st, 0), 0);
	/* the root's own resolv.conf (here a symlink) is left alone */
	sh("rm %s/root/etc/resolv.conf && ln -s /run/resolv.conf %s/root/etc/resolv.conf", tmpdir, tmpdir);
	identity_default_resolv(root, ident_for("node7"), &l);
	assert_int_equal(fstatat(root, "etc/resolv.conf", &st, AT_SYMLINK_NOFOLLOW), 0);
	assert_true(S_ISLNK(st.st_mode));
	close(root);
}

/* Item 15: chown clears set-user-ID and set-group-ID, so the mode must be
 * set after the owner. Needs root to give a file away. */
static void test_setid_modes_survive_owner(void **s)
{
	(void)s;
	struct err_reason why;
	struct stat st;
	if (geteuid() != 0)
		skip();
	sh("mkdir -p %s/root", tmpdir);
	int root = open_dir("root");
	assert_int_equal(safe_write(root, "usr/bin/suid", "#!/bin/sh\n", 10, 04755, 1000, 1000, &why), 0);
	assert_int_equal(safe_write(root, "usr/bin/sgid", "#!/bin/sh\n", 10, 02755, 1000, 50, &why), 0);
	assert_int_equal(safe_mkdir(root, "srv/shared", 02775, 1000, 50, &why), 0);
	assert_int_equal(fstatat(root, "usr/bin/suid", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 04755);
	assert_int_equal(st.st_uid, 1000);
	assert_int_equal(fstatat(root, "usr/bin/sgid", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 02755);
	assert_int_equal(st.st_gid, 50);
	assert_int_equal(fstatat(root, "srv/shared", &st, 0), 0);
	assert_int_equal(st.st_mode & 07777, 02775);
	close(root);
}

/* Item 3: a FIFO at etc/hostname or etc/hosts of the shared root. Before,
 * the open blocked until a writer came (never, for PID 1). */
static void test_safe_read_fifo_refused(void **s)
{
	(void)s;
	struct err_reason why;
	char buf[64];
	size_t len;
	sh("mkdir -p %s/root/etc && mkfifo %s/root/etc/hostname && mkdir %s/root/etc/hosts", tmpdir, tmpdir, tmpdir);
	int root = open_dir("root");
	alarm(5);
	assert_int_equal(safe_read(root, "etc/hostname", buf, sizeof(buf), &len, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "etc/hostname is not a regular file"));
	assert_int_equal(safe_read(root, "etc/hosts", buf, sizeof(buf), &len, &why), -EINVAL);
	alarm(0);
	close(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render_table),
		cmocka_unit_test(test_render_errors_name_the_line),
		cmocka_unit_test(test_render_too_big),
		cmocka_unit_test(test_vars),
		cmocka_unit_test(test_layers_order),
		cmocka_unit_test(test_layers_refuse_path_names),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_machine_id_and_hostid),
		cmocka_unit_test(test_node_number_and_names),
		cmocka_unit_test(test_ident_build),
		cmocka_unit_test(test_classes_dhcp_then_cmdline),
		cmocka_unit_test(test_cmdline_identity_params),
		cmocka_unit_test(test_hosts_text),
		cmocka_unit_test(test_persist_parse),
		cmocka_unit_test(test_safe_refusals_openat2),
		cmocka_unit_test(test_safe_refusals_walk),
		cmocka_unit_test(test_templates_layers_applied),
		cmocka_unit_test(test_templates_image_then_root),
		cmocka_unit_test(test_templates_dotdot_hostname),
		cmocka_unit_test(test_templates_huge),
		cmocka_unit_test(test_defaults_on_tree),
		cmocka_unit_test_setup_teardown(test_setid_modes_survive_owner, mk_tmp, rm_tmp),
		cmocka_unit_test_setup_teardown(test_safe_read_fifo_refused, mk_tmp, rm_tmp),
	};
	return cmocka_run_group_tests_name("identity", tests, mk_tmp, rm_tmp);
}
