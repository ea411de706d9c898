/* Module index parser/formatter and the command-line helpers of modload:
 * table-driven. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../modules/modindex.h"
#include "../../modules/modload.h"
#include "../../modules/hwscan.h"

static struct mod_index idx;  /* big: not on the stack */

#define HDR "nfsinit-modindex 2\n"
#define KO(n) "/lib/modules/6.1.0/kernel/" n ".ko"

static int parse(const char *text, struct err_reason *err)
{
	return mod_index_parse(text, strlen(text), &idx, err);
}

static void test_parse_good(void **s)
{
	(void)s;
	struct err_reason err;
	const char *text =
		HDR
		"# built by hand\n"
		"\n"
		"kver 6.1.0-56-cloud-amd64\r\n"
		"module failover " KO("failover") "\n"
		"module net-failover\t" KO("net_failover") "   failover\n"
		"  module virtio_net " KO("virtio_net") " net_failover\n"
		"module nfsv4 " KO("nfsv4") " failover net_failover\n"
		"alias virtio:d00000001v* virtio-net";   /* no final newline */

	assert_int_equal(parse(text, &err), 0);
	assert_string_equal(idx.kver, "6.1.0-56-cloud-amd64");
	assert_int_equal(idx.nmods, 4);
	assert_string_equal(idx.mods[1].name, "net_failover");   /* '-' read as '_' */
	assert_string_equal(idx.mods[1].path, KO("net_failover"));
	assert_int_equal(idx.mods[1].ndeps, 1);
	assert_int_equal(idx.mods[1].deps[0], 0);
	assert_int_equal(idx.mods[2].deps[0], 1);
	assert_int_equal(idx.mods[3].ndeps, 2);
	assert_int_equal(idx.naliases, 1);
	assert_string_equal(idx.aliases[0].pattern, "virtio:d00000001v*");
	assert_int_equal(idx.aliases[0].mod, 2);
	assert_int_equal(mod_index_find(&idx, "virtio-net"), 2);
	assert_int_equal(mod_index_find(&idx, "nope"), -1);
}

static void test_parse_header_only(void **s)
{
	(void)s;
	struct err_reason err;
	assert_int_equal(parse(HDR, &err), 0);
	assert_int_equal(idx.nmods, 0);
	assert_string_equal(idx.kver, "");
	assert_int_equal(parse("nfsinit-modindex 2", &err), 0);
}

struct bad {
	const char *text;
	unsigned line;
	const char *what;   /* a word the reason must contain */
};

static void test_parse_malformed(void **s)
{
	(void)s;
	static const struct bad cases[] = {
		{ "", 1, "empty" },
		{ "\n", 1, "not a module index" },
		{ "modindex 1\n", 1, "not a module index" },
		{ "nfsinit-modindex\n", 1, "header" },
		{ "nfsinit-modindex 1 2\n", 1, "header" },
		{ "nfsinit-modindex x\n", 1, "not a number" },
		{ "nfsinit-modindex -1\n", 1, "not a number" },
		{ "nfsinit-modindex 3\n", 1, "version" },
		{ "nfsinit-modindex 0\n", 1, "version" },
		{ HDR "load a\n", 2, "earlier line" },
		{ HDR "module a /a.ko\nload a\nload a\n", 4, "twice" },
		{ HDR "module a /a.ko\nload\n", 3, "load" },
		{ "nfsinit-modindex 1\nmodule a /a.ko\nload a\n", 3, "unknown keyword" },
		{ HDR "frob a b\n", 2, "unknown keyword" },
		{ HDR "\nmodule a\n", 3, "expected" },
		{ HDR "module a lib/a.ko\n", 2, "absolute" },
		{ HDR "module a /lib/a.ko.xz\n", 2, ".ko" },
		{ HDR "module a /lib/../a.ko\n", 2, ".." },
		{ HDR "module a.b /a.ko\n", 2, "name" },
		{ HDR "module a /a.ko b\n", 2, "earlier line" },
		{ HDR "module b /b.ko a\nmodule a /a.ko\n", 2, "earlier line" },
		{ HDR "module a /a.ko\nmodule a /a2.ko\n", 3, "twice" },
		{ HDR "module a /a.ko\nmodule b /b.ko a a\n", 3, "twice" },
		{ HDR "module a /a.ko\nmodule b /b.ko a a\n", 3, "twice" },
		{ HDR "kver 1\nkver 2\n", 3, "twice" },
		{ HDR "kver\n", 2, "kver" },
		{ HDR "kver a/b\n", 2, "kver" },
		{ HDR "alias pci:* nope\n", 2, "alias" },
		{ HDR "module a /a.ko\nalias pci:*\n", 3, "alias" },
		{ HDR "module a /a.ko\nalias pci:* a extra\n", 3, "alias" },
	};
	struct err_reason err;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(cases[i].text, &err);
		if (rc != -EINVAL || err.line != (int)cases[i].line ||
		    !strstr(err.msg, cases[i].what))
			fail_msg("case %zu '%s': rc %d line %d what '%s'", i, cases[i].text, rc, err.line,
				 err.msg);
	}
}

static void test_parse_nul_and_long_lines(void **s)
{
	(void)s;
	struct err_reason err;
	static const char nul[] = HDR "module a /a.ko\0x\n";
	char *big;

	assert_int_equal(mod_index_parse(nul, sizeof(nul) - 1, &idx, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "NUL"));

	big = malloc(MOD_INDEX_LINE_MAX + 64);
	assert_non_null(big);
	strcpy(big, HDR "#");
	memset(big + strlen(big), 'x', MOD_INDEX_LINE_MAX);
	big[strlen(HDR) + MOD_INDEX_LINE_MAX] = '\0';         /* a comment of exactly the limit */
	assert_int_equal(parse(big, &err), 0);
	strcat(big, "x");                                    /* one more byte */
	assert_int_equal(parse(big, &err), -EINVAL);
	assert_int_equal(err.line, 2);
	free(big);

	assert_int_equal(mod_index_parse(HDR, MOD_INDEX_FILE_MAX + 1, &idx, &err), -EINVAL);
}

static void test_parse_field_limits(void **s)
{
	(void)s;
	struct err_reason err;
	char name[MOD_INDEX_NAME_MAX + 1], line[MOD_INDEX_LINE_MAX + 64], path[MOD_INDEX_MPATH_MAX + 8];

	memset(name, 'n', MOD_INDEX_NAME_MAX - 1);
	name[MOD_INDEX_NAME_MAX - 1] = '\0';                  /* 55: the kernel's longest */
	snprintf(line, sizeof(line), HDR "module %s /a.ko\n", name);
	assert_int_equal(parse(line, &err), 0);
	strcat(name, "n");
	snprintf(line, sizeof(line), HDR "module %s /a.ko\n", name);
	assert_int_equal(parse(line, &err), -EINVAL);

	memset(path, 'p', sizeof(path));
	path[0] = '/';
	strcpy(path + MOD_INDEX_MPATH_MAX - 4, ".ko");        /* 255 bytes */
	snprintf(line, sizeof(line), HDR "module a %s\n", path);
	assert_int_equal(parse(line, &err), 0);
	strcpy(path + MOD_INDEX_MPATH_MAX - 3, ".ko");        /* 256 */
	snprintf(line, sizeof(line), HDR "module a %s\n", path);
	assert_int_equal(parse(line, &err), -EINVAL);
}

/* n modules m0..m(n-1), the last one depending on ndeps of the others. */
static char *gen(unsigned n, unsigned ndeps)
{
	size_t cap = 64 + (size_t)n * 64 + (size_t)ndeps * 8;
	char *t = malloc(cap);
	size_t len;

	assert_non_null(t);
	len = (size_t)snprintf(t, cap, HDR);
	for (unsigned i = 0; i < n; i++) {
		len += (size_t)snprintf(t + len, cap - len, "module m%u /m%u.ko", i, i);
		if (i == n - 1)
			for (unsigned d = 0; d < ndeps; d++)
				len += (size_t)snprintf(t + len, cap - len, " m%u", d);
		len += (size_t)snprintf(t + len, cap - len, "\n");
	}
	return t;
}

static void test_parse_count_limits(void **s)
{
	(void)s;
	struct err_reason err;
	char *t;

	t = gen(MOD_INDEX_MODS_MAX, 0);
	assert_int_equal(parse(t, &err), 0);
	assert_int_equal(idx.nmods, MOD_INDEX_MODS_MAX);
	free(t);
	t = gen(MOD_INDEX_MODS_MAX + 1, 0);
	assert_int_equal(parse(t, &err), -EINVAL);
	assert_int_equal(err.line, MOD_INDEX_MODS_MAX + 2);
	assert_non_null(strstr(err.msg, "too many modules"));
	free(t);

	t = gen(MOD_INDEX_DEPS_MAX + 1, MOD_INDEX_DEPS_MAX);
	assert_int_equal(parse(t, &err), 0);
	assert_int_equal(idx.mods[MOD_INDEX_DEPS_MAX].ndeps, MOD_INDEX_DEPS_MAX);
	free(t);
	t = gen(MOD_INDEX_DEPS_MAX + 2, MOD_INDEX_DEPS_MAX + 1);
	assert_int_equal(parse(t, &err), -EINVAL);
	assert_int_equal(err.line, MOD_INDEX_DEPS_MAX + 3);
	assert_non_null(strstr(err.msg, "dependencies"));
	free(t);
}

static void test_round_trip(void **s)
{
	(void)s;
	static struct mod_index back;
	struct err_reason err;
	const char *what = NULL;
	const char *deps2[] = { "a", "b" };
	char buf[4096], small[32];
	long n;

	mod_index_init(&idx);
	assert_int_equal(mod_index_set_kver(&idx, "6.1.0-56-cloud-amd64"), 0);
	assert_int_equal(mod_index_add_module(&idx, "a", KO("a"), NULL, 0, &what), 0);
	assert_int_equal(mod_index_add_module(&idx, "b-x", KO("b"), deps2, 1, &what), 0);
	assert_int_equal(mod_index_add_module(&idx, "c", KO("c"), (const char *[]){ "a", "b_x" }, 2, &what), 0);
	assert_int_equal(mod_index_add_alias(&idx, "pci:v00001AF4d00001000sv*sd*bc*sc*i*", "c", &what), 0);
	assert_int_equal(mod_index_set_load(&idx, "b-x", &what), 0);
	assert_int_equal(mod_index_set_load(&idx, "zz", &what), -EINVAL);
	/* The builder gets the parser's checks. */
	assert_int_equal(mod_index_add_module(&idx, "d", KO("d"), deps2, 2, &what), -EINVAL);
	assert_int_equal(mod_index_add_module(&idx, "a", KO("a2"), NULL, 0, &what), -EEXIST);
	assert_int_equal(mod_index_add_module(&idx, "e", "e.ko", NULL, 0, &what), -EINVAL);
	assert_int_equal(mod_index_add_alias(&idx, "has space", "a", &what), -EINVAL);
	assert_int_equal(mod_index_set_kver(&idx, ""), -EINVAL);

	n = mod_index_format(&idx, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	assert_string_equal(buf,
		HDR "kver 6.1.0-56-cloud-amd64\n"
		"module a " KO("a") "\n"
		"module b_x " KO("b") " a\n"
		"module c " KO("c") " a b_x\n"
		"load b_x\n"
		"alias pci:v00001AF4d00001000sv*sd*bc*sc*i* c\n");
	assert_int_equal(mod_index_parse(buf, (size_t)n, &back, &err), 0);
	assert_memory_equal(&back, &idx, sizeof(idx));

	assert_int_equal(mod_index_format(&idx, small, sizeof(small)), -ENOSPC);
	assert_int_equal(mod_index_format(&idx, small, 0), -ENOSPC);
}

/* The longest record the limits allow still fits MOD_INDEX_LINE_MAX. */
static void test_round_trip_longest_line(void **s)
{
	(void)s;
	static struct mod_index back;
	static char buf[MOD_INDEX_FILE_MAX];
	struct err_reason err;
	const char *deps[MOD_INDEX_DEPS_MAX], *what;
	char names[MOD_INDEX_DEPS_MAX + 1][MOD_INDEX_NAME_MAX], path[MOD_INDEX_MPATH_MAX];
	long n;

	mod_index_init(&idx);
	for (unsigned i = 0; i <= MOD_INDEX_DEPS_MAX; i++) {
		memset(names[i], 'a' + (i % 26), MOD_INDEX_NAME_MAX - 1);
		snprintf(names[i], MOD_INDEX_NAME_MAX, "%02u", i);
		names[i][2] = 'x';
		names[i][MOD_INDEX_NAME_MAX - 1] = '\0';
	}
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	strcpy(path + MOD_INDEX_MPATH_MAX - 4, ".ko");
	for (unsigned i = 0; i < MOD_INDEX_DEPS_MAX; i++) {
		assert_int_equal(mod_index_add_module(&idx, names[i], "/x.ko", NULL, 0, &what), 0);
		deps[i] = names[i];
	}
	assert_int_equal(mod_index_add_module(&idx, names[MOD_INDEX_DEPS_MAX], path, deps,
					     MOD_INDEX_DEPS_MAX, &what), 0);
	n = mod_index_format(&idx, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(mod_index_parse(buf, (size_t)n, &back, &err), 0);
	assert_memory_equal(&back, &idx, sizeof(idx));
}

/* Version 1 indexes (no "load" lines) still mean: load everything. */
static void test_parse_v1(void **s)
{
	(void)s;
	struct err_reason err;
	assert_int_equal(parse("nfsinit-modindex 1\nmodule a /a.ko\nmodule b /b.ko a\n", &err), 0);
	assert_int_equal(idx.version, 1);
	assert_true(idx.mods[0].load && idx.mods[1].load);
	assert_int_equal(parse(HDR "module a /a.ko\nmodule b /b.ko a\nload b\n", &err), 0);
	assert_false(idx.mods[0].load);
	assert_true(idx.mods[1].load);
}

/* Real patterns from Debian 6.1's modules.alias. */
static const char match_index[] =
	HDR
	"module failover /failover.ko\n"
	"module net_failover /net_failover.ko failover\n"
	"module virtio_net /virtio_net.ko net_failover\n"
	"module vmxnet3 /vmxnet3.ko\n"
	"module sunrpc /sunrpc.ko\n"
	"module nfs /nfs.ko sunrpc\n"
	"module nfsv4 /nfsv4.ko nfs\n"
	"module af_packet /af_packet.ko\n"
	"load nfsv4\n"
	"alias virtio:d00000001v* virtio_net\n"
	"alias pci:v000015ADd000007B0sv*sd*bc*sc*i* vmxnet3\n"
	"alias fs-nfs4 nfsv4\n"
	"alias nfs4 nfsv4\n"
	"alias fs-nfs nfs\n"
	"alias net-pf-17 af_packet\n";

static void test_lookup(void **s)
{
	(void)s;
	struct err_reason err;
	assert_int_equal(parse(match_index, &err), 0);
	assert_int_equal(mod_index_lookup(&idx, "fs-nfs4"), 6);
	assert_int_equal(mod_index_lookup(&idx, "net-pf-17"), 7);
	assert_int_equal(mod_index_lookup(&idx, "net_failover"), 1);
	assert_int_equal(mod_index_lookup(&idx, "net-failover"), 1);   /* by name, '-' as '_' */
	assert_int_equal(mod_index_lookup(&idx, "pci:v000015ADd000007B0sv000015ADsd000007B0bc02sc00i00"), 3);
	assert_int_equal(mod_index_lookup(&idx, "net-pf-10"), -1);
	assert_int_equal(mod_index_lookup(&idx, "fs-nfs"), 5);
	assert_int_equal(mod_index_lookup(&idx, ""), -1);
}

static void test_match_and_deps(void **s)
{
	(void)s;
	struct err_reason err;
	unsigned char want[MOD_INDEX_MODS_MAX] = { 0 };
	assert_int_equal(parse(match_index, &err), 0);
	/* A virtio network device (QEMU virtio-net-pci once virtio_pci bound it). */
	assert_int_equal(mod_index_match(&idx, "virtio:d00000001v00001AF4", want), 1);
	assert_int_equal(mod_index_match(&idx, "virtio:d00000001v00001AF4", want), 0);  /* already wanted */
	/* A virtio block device, an Intel host bridge: nothing in the image. */
	assert_int_equal(mod_index_match(&idx, "virtio:d00000002v00001AF4", want), 0);
	assert_int_equal(mod_index_match(&idx, "pci:v00008086d00001237sv00001AF4sd00001100bc06sc00i00", want), 0);
	/* Non-device aliases never match a modalias. */
	assert_int_equal(mod_index_match(&idx, "fs-nfs4x", want), 0);
	assert_int_equal(want[2], 1);
	assert_int_equal(want[0] + want[1] + want[3], 0);
	mod_index_want_deps(&idx, want);
	assert_int_equal(want[0], 1);   /* failover, through net_failover */
	assert_int_equal(want[1], 1);
	assert_int_equal(want[3] + want[4] + want[5] + want[6] + want[7], 0);
	/* Why each dependency comes: the wanted module that names it. */
	assert_int_equal(mod_index_wanted_by(&idx, want, 0), 1);  /* failover by net_failover */
	assert_int_equal(mod_index_wanted_by(&idx, want, 1), 2);  /* net_failover by virtio_net */
	assert_int_equal(mod_index_wanted_by(&idx, want, 2), -1); /* virtio_net: nothing needs it */
	assert_int_equal(mod_index_wanted_by(&idx, want, 4), -1); /* sunrpc: nfs needs it, unwanted */
	want[6] = 1;
	mod_index_want_deps(&idx, want);
	assert_int_equal(mod_index_wanted_by(&idx, want, 4), 5);  /* sunrpc by nfs */
	assert_int_equal(mod_index_wanted_by(&idx, want, 5), 6);  /* nfs by nfsv4 */
	assert_int_equal(mod_index_wanted_by(&idx, want, 7), -1);
}

struct seen {
	unsigned n;
	char all[512];
};

static void collect(const char *modalias, void *p)
{
	struct seen *s = p;
	s->n++;
	strncat(s->all, modalias, sizeof(s->all) - strlen(s->all) - 2);
	strcat(s->all, ";");
}

static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "w"));
	fputs(text, f);
	fclose(f);
}

/* A fake /sys/bus: devices with and without a modalias, an empty one. */
static void test_hwscan(void **s)
{
	(void)s;
	char root[] = "/tmp/nfsinit-unit-sys.XXXXXX", cmd[1024], d[256];
	struct seen seen = { 0 };

	assert_non_null(mkdtemp(root));
	snprintf(d, sizeof(d), "%s/pci/devices/0000:00:03.0", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p %s %s/virtio/devices/virtio0 %s/virtio/devices/virtio1 "
		 "%s/platform/devices/serial8250 %s/empty/devices", d, root, root, root, root);
	assert_int_equal(system(cmd), 0);
	put_file(d, "modalias", "pci:v000015ADd000007B0sv000015ADsd000007B0bc02sc00i00\n");
	snprintf(d, sizeof(d), "%s/virtio/devices/virtio0", root);
	put_file(d, "modalias", "virtio:d00000001v00001AF4\n");
	snprintf(d, sizeof(d), "%s/virtio/devices/virtio1", root);
	put_file(d, "modalias", "");                 /* empty: passed over */
	/* serial8250 has no modalias file at all */

	assert_int_equal(mod_scan_modaliases(root, collect, &seen), 2);
	assert_int_equal(seen.n, 2);
	assert_non_null(strstr(seen.all, "pci:v000015ADd000007B0sv000015ADsd000007B0bc02sc00i00;"));
	assert_non_null(strstr(seen.all, "virtio:d00000001v00001AF4;"));
	assert_int_equal(mod_scan_modaliases("/nonexistent-sys-bus", collect, &seen), -ENOENT);

	snprintf(cmd, sizeof(cmd), "rm -r %s", root);
	assert_int_equal(system(cmd), 0);
}

struct param_case {
	const char *cmdline, *module, *want;
};

static void test_params(void **s)
{
	(void)s;
	static const struct param_case cases[] = {
		{ "", "virtio_net", "" },
		{ "root=/dev/nfs virtio_net.napi_tx=1 quiet", "virtio_net", "napi_tx=1" },
		{ "virtio-net.napi_tx=1", "virtio_net", "napi_tx=1" },
		{ "virtio_net.napi_tx=1", "virtio-net", "napi_tx=1" },
		{ "virtio_net.a=1 e1000.b=2 virtio_net.c", "virtio_net", "a=1 c" },
		{ "nfs.callback_tcpport=1 nfsv4.x=1", "nfs", "callback_tcpport=1" },
		{ "virtio_net.a=1", "virtio", "" },           /* a prefix is not the module */
		{ "virtio.a=1", "virtio_net", "" },
		{ "mod.s=\"a b\"", "mod", "s=\"a b\"" },      /* quotes survive for parse_args() */
		{ "\"mod.s=a b\"", "mod", "s=\"a b\"" },
		{ "mod.a=1 -- mod.b=2", "mod", "a=1" },       /* after --: init's */
		{ "mod.=1 .x=2 mod", "mod", "" },
		{ "mod.a=x=y", "mod", "a=x=y" },
	};
	char out[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int n = mod_load_params(cases[i].cmdline, cases[i].module, out, sizeof(out));
		if (n != (int)strlen(cases[i].want) || strcmp(out, cases[i].want) != 0)
			fail_msg("case %zu '%s' for %s: got %d '%s', want '%s'", i, cases[i].cmdline,
				 cases[i].module, n, out, cases[i].want);
	}
}

static void test_params_too_long(void **s)
{
	(void)s;
	char out[8];
	static char line[8192];

	assert_int_equal(mod_load_params("mod.a=1 mod.bb=2", "mod", out, sizeof(out)), -E2BIG);
	assert_string_equal(out, "");
	assert_int_equal(mod_load_params("mod.a=1", "mod", out, sizeof(out)), 3);
	assert_int_equal(mod_load_params("mod.a=1", "mod", out, 0), -E2BIG);
	/* A value longer than the command line limit is refused, not cut. */
	strcpy(line, "mod.a=");
	memset(line + 6, 'v', sizeof(line) - 7);
	assert_int_equal(mod_load_params(line, "mod", out, sizeof(out)), -E2BIG);
	assert_int_equal(mod_load_params(line, "other", out, sizeof(out)), 0);
}

struct bl_case {
	const char *cmdline, *module;
	bool want;
};

static void test_blacklist(void **s)
{
	(void)s;
	static const struct bl_case cases[] = {
		{ "", "e1000", false },
		{ "module_blacklist=e1000", "e1000", true },
		{ "module_blacklist=e1000e", "e1000", false },
		{ "module_blacklist=a,e1000,b", "e1000", true },
		{ "module_blacklist=a,,b,", "b", true },
		{ "rd.driver.blacklist=virtio-net", "virtio_net", true },
		{ "rd.driver.blacklist=a module_blacklist=b rd.driver.blacklist=c", "c", true },
		{ "rd.driver.blacklist=a module_blacklist=b rd.driver.blacklist=c", "b", true },
		{ "module_blacklist", "module_blacklist", false },
		{ "foo.module_blacklist=x", "x", false },
		{ "-- module_blacklist=x", "x", false },
		{ "modprobe.blacklist=pcspkr,e1000", "e1000", true },
		{ "modprobe.blacklist=pcspkr", "e1000", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		if (mod_load_blacklisted(cases[i].cmdline, cases[i].module) != cases[i].want)
			fail_msg("case %zu '%s' for %s: want %d", i, cases[i].cmdline, cases[i].module,
				 cases[i].want);
}

/* The I/O side, as far as it goes without privilege: a missing index and a
 * malformed one load nothing and say so. */
static void test_modules_load_no_index(void **s)
{
	(void)s;
	struct mod_load_stats st;
	char path[] = "/tmp/nfsinit-modindex-XXXXXX";
	int fd;

	assert_int_equal(mod_load("/nonexistent/modules.index", "", &st), -ENOENT);
	assert_int_equal(st.loaded + st.failed, 0);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "garbage\n", 8), 8);
	close(fd);
	assert_int_equal(mod_load(path, "", &st), -EINVAL);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_good),
		cmocka_unit_test(test_parse_header_only),
		cmocka_unit_test(test_parse_malformed),
		cmocka_unit_test(test_parse_nul_and_long_lines),
		cmocka_unit_test(test_parse_field_limits),
		cmocka_unit_test(test_parse_count_limits),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_longest_line),
		cmocka_unit_test(test_parse_v1),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_match_and_deps),
		cmocka_unit_test(test_hwscan),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_params_too_long),
		cmocka_unit_test(test_blacklist),
		cmocka_unit_test(test_modules_load_no_index),
	};
	return cmocka_run_group_tests_name("modindex", tests, NULL, NULL);
}
