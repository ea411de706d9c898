/* nfsinit-mkimage internals that need no kernel tree: dependency reduction,
 * image paths, reproducible bytes, --list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../mkinitramfs/mkimage.h"
#include "../../common/file.h"

static void test_direct_deps(void **s)
{
	(void)s;
	/* nfs needs lockd, sunrpc, grace; lockd needs sunrpc and grace. */
	char *lockd_deps[] = { "sunrpc", "grace" };
	char *nfs_deps[] = { "lockd", "sunrpc", "grace", "fscache" };
	struct mk_module mods[] = {
		{ "sunrpc", NULL, NULL, NULL, 0, false },
		{ "grace", NULL, NULL, NULL, 0, false },
		{ "fscache", NULL, NULL, NULL, 0, false },
		{ "lockd", NULL, NULL, lockd_deps, 2, false },
		{ "nfs", NULL, NULL, nfs_deps, 4, false },
	};
	struct mk_modset set = { .mods = mods, .n = 5, .cap = 5 };
	const char *out[8];

	assert_int_equal(modset_direct_deps(&set, 0, out), 0);
	assert_int_equal(modset_direct_deps(&set, 3, out), 2);
	assert_int_equal(modset_direct_deps(&set, 4, out), 2);
	assert_string_equal(out[0], "lockd");
	assert_string_equal(out[1], "fscache");
}

static void test_bad_paths(void **s)
{
	(void)s;
	static const char *const bad[] = { "init", "/", "/a//b", "/a/./b", "/a/../b", "/a/..", "/a/" };
	struct mk_image img;

	image_init(&img);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(image_add_data(&img, bad[i], 0644, malloc(1), 1), -1);
	assert_int_equal(img.n, 0);
	assert_int_equal(image_add_data(&img, "/a/b/c", 0644, NULL, 0), 0);
	assert_int_equal(img.n, 3);                                   /* a, a/b, a/b/c */
	assert_int_equal(image_add_data(&img, "/a/b/c", 0644, NULL, 0), -1);   /* twice */
	assert_int_equal(image_add_data(&img, "/a/b/c/d", 0644, NULL, 0), -1);  /* file as folder */
	assert_int_equal(image_add_dir(&img, "/a/b"), 0);             /* folders may repeat */
	image_free(&img);
}

static void fill(struct mk_image *img)
{
	char *d1 = strdup("hello"), *d2 = strdup("nfsinit-modindex 1\n");
	image_init(img);
	assert_int_equal(image_add_data(img, "/lib/modules/x/a.ko", 0644, (unsigned char *)d1, 5), 0);
	assert_int_equal(image_add_dir(img, "/proc"), 0);
	assert_int_equal(image_add_chardev(img, "/dev/console", 0600, 5, 1), 0);
	assert_int_equal(image_add_data(img, "/etc/nfsinit/modules.index", 0644, (unsigned char *)d2,
					strlen(d2)), 0);
}

static long long file_size(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 ? st.st_size : -1;
}

static int same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb, same = fa && fb;
	while (same && (ca = fgetc(fa)) != EOF) {
		cb = fgetc(fb);
		same = ca == cb;
	}
	if (same)
		same = fgetc(fb) == EOF;
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return same;
}

/* -l names the version the image's MK_VERSION_PATH holds, and only a plain
 * version word: a file with more in it is not printed as it is. */
static void list_with_version(const char *path, const char *text, const char *want)
{
	struct mk_image img;
	struct mk_result r = { 0 };
	char listing[1024];
	FILE *f;
	size_t n;

	image_init(&img);
	assert_int_equal(image_add_data(&img, MK_VERSION_PATH, 0644, (unsigned char *)strdup(text),
					strlen(text)), 0);
	assert_int_equal(image_write(&img, path, (struct mk_compression){ MK_NONE, 0 }, 0, &r), 0);
	image_free(&img);
	assert_non_null(f = tmpfile());
	assert_int_equal(image_list(path, f), 0);
	rewind(f);
	n = fread(listing, 1, sizeof(listing) - 1, f);
	listing[n] = '\0';
	fclose(f);
	assert_non_null(strstr(listing, want));
}

static void test_write_reproducible_and_list(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-mkimage-XXXXXX", a[64], b[64], listing[4096] = "";
	struct mk_image img;
	struct mk_result r1 = { 0 }, r2 = { 0 };
	FILE *f;
	size_t n;

	assert_non_null(mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.img", dir);
	snprintf(b, sizeof(b), "%s/b.img", dir);
	for (int c = MK_GZIP; c <= MK_NONE; c++) {
		if (c == MK_XZ && system("command -v xz >/dev/null 2>&1") != 0)
			continue;
		fill(&img);
		assert_int_equal(image_write(&img, a, (struct mk_compression){ (enum mk_compress)c, 1 }, 0, &r1), 0);
		image_free(&img);
		fill(&img);
		assert_int_equal(image_write(&img, b, (struct mk_compression){ (enum mk_compress)c, 1 }, 0, &r2), 0);
		image_free(&img);
		assert_true(same_bytes(a, b));
		assert_int_equal(r1.bytes, file_size(a));
		assert_int_equal(r1.files, 10);  /* 4 added, 6 parents */
		assert_true(r1.raw_bytes > 0);
	}

	f = tmpfile();
	assert_non_null(f);
	assert_int_equal(image_list(a, f), 0);
	rewind(f);
	n = fread(listing, 1, sizeof(listing) - 1, f);
	listing[n] = '\0';
	fclose(f);
	/* Sorted, parents first, owned 0:0. */
	assert_non_null(strstr(listing, " /dev\n"));
	assert_non_null(strstr(listing, "crw-------  0:0          0 /dev/console (5,1)\n"));
	assert_true(strstr(listing, " /etc\n") < strstr(listing, " /etc/nfsinit/modules.index\n"));
	assert_non_null(strstr(listing, "          5 /lib/modules/x/a.ko\n"));
	assert_non_null(strstr(listing, "\nbuilt by nfsinit (unknown: the image has no /etc/nfsinit/version)\n"));
	list_with_version(a, "9.8.7~rc1\n", "\nbuilt by nfsinit 9.8.7~rc1\n");
	list_with_version(a, "1.0\nroot::0:0::/:/bin/sh\n", "\nbuilt by nfsinit (unreadable /etc/nfsinit/version)\n");

	assert_int_equal(image_list("/nonexistent.img", stderr), -1);
	/* An unwritable place: nothing is left behind. */
	fill(&img);
	assert_int_equal(image_write(&img, "/nonexistent-dir/x.img", (struct mk_compression){ MK_GZIP, 6 }, 0, &r1), -1);
	image_free(&img);

	unlink(a);
	unlink(b);
	assert_int_equal(rmdir(dir), 0);   /* fails if a temporary file was left */
}

static void test_compress_names(void **s)
{
	(void)s;
	struct mk_compression c;
	assert_int_equal(compress_parse("zstd", &c), 0);
	assert_int_equal(c.method, MK_ZSTD);
	assert_int_equal(c.level, 3);
	assert_string_equal(compress_kconfig(c.method), "CONFIG_RD_ZSTD");
	assert_int_equal(compress_parse("zstd:19", &c), 0);
	assert_int_equal(c.level, 19);
	assert_int_equal(compress_parse("gzip:1", &c), 0);
	assert_int_equal(c.method, MK_GZIP);
	assert_int_equal(c.level, 1);
	assert_int_equal(compress_parse("gzip", &c), 0);
	assert_int_equal(c.level, 6);
	assert_int_equal(compress_parse("gzip:10", &c), -1);
	assert_int_equal(compress_parse("gzip:0", &c), -1);
	assert_int_equal(compress_parse("gzip:", &c), -1);
	assert_int_equal(compress_parse("gzip:x", &c), -1);
	assert_int_equal(compress_parse("zstd:20", &c), -1);
	assert_int_equal(compress_parse("none:1", &c), -1);
	assert_int_equal(compress_parse("gzipx", &c), -1);
	assert_int_equal(compress_parse("lz4", &c), -1);
	assert_int_equal(compress_parse("none", &c), 0);
	assert_null(compress_kconfig(c.method));
}

/* A module compressed each way the kernel's build can compress it comes out
 * as the same plain ELF bytes. */
static void test_module_decompress(void **s)
{
	(void)s;
	static const char *const tools[] = { "gzip -n", "xz --check=crc32", "zstd -q" };
	static const char *const ext[] = { "gz", "xz", "zst" };
	char dir[] = "/tmp/nfsinit-unit-mod.XXXXXX", plain[64], packed[80], cmd[256];
	unsigned char elf[4096];
	struct mk_image img;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	memset(elf, 0x5a, sizeof(elf));
	memcpy(elf, "\177ELF", 4);
	snprintf(plain, sizeof(plain), "%s/m.ko", dir);
	assert_non_null(f = fopen(plain, "wb"));
	assert_int_equal(fwrite(elf, 1, sizeof(elf), f), sizeof(elf));
	fclose(f);
	for (int i = 0; i < 3; i++) {
		snprintf(packed, sizeof(packed), "%s/m.ko.%s", dir, ext[i]);
		snprintf(cmd, sizeof(cmd), "%s -c %s > %s 2>/dev/null", tools[i], plain, packed);
		if (system(cmd) != 0) {
			unlink(packed);
			continue;   /* that compressor is not installed */
		}
		image_init(&img);
		assert_int_equal(image_add_module(&img, "/lib/modules/x/m.ko", packed), 0);
		assert_int_equal(img.e[img.n - 1].size, sizeof(elf));
		assert_memory_equal(img.e[img.n - 1].data, elf, sizeof(elf));
		image_free(&img);
		unlink(packed);
	}
	/* Not ELF once unpacked: refused. */
	memcpy(elf, "JUNK", 4);
	assert_non_null(f = fopen(plain, "wb"));
	assert_int_equal(fwrite(elf, 1, sizeof(elf), f), sizeof(elf));
	fclose(f);
	snprintf(packed, sizeof(packed), "%s/m.ko.gz", dir);
	snprintf(cmd, sizeof(cmd), "gzip -n -c %s > %s", plain, packed);
	if (system(cmd) == 0) {
		image_init(&img);
		assert_int_equal(image_add_module(&img, "/lib/modules/x/m.ko", packed), -1);
		image_free(&img);
	}
	unlink(packed);
	unlink(plain);
	assert_int_equal(rmdir(dir), 0);
}

static void test_symlinks(void **s)
{
	(void)s;
	struct mk_image img;

	image_init(&img);
	assert_int_equal(image_add_file(&img, "/init", 0755, "/bin/true"), 0);
	assert_int_equal(image_add_symlink(&img, "/sbin/modprobe", "/init"), 0);
	assert_true(image_has(&img, "/sbin/modprobe"));
	assert_true(image_has(&img, "/sbin"));
	assert_false(image_has(&img, "/bin/sh"));
	assert_int_equal(image_add_symlink(&img, "/sbin/modprobe", "/bin/busybox"), -1);  /* taken */
	assert_int_equal(image_add_symlink(&img, "/bin/sh", ""), -1);
	assert_string_equal(img.e[img.n - 1].link, "/init");
	image_free(&img);
}

/* A minimal dynamic ELF: one PT_LOAD holding a string table, PT_INTERP,
 * PT_DYNAMIC with two DT_NEEDED, a DT_RPATH and a DT_RUNPATH. */
struct tiny_elf {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[3];
	Elf64_Dyn dyn[8];
	char str[96];
};

static size_t make_elf(struct tiny_elf *t, bool with_runpath)
{
	static const char strs[] = "\0libz.so.1\0libc.so.6\0/rpath\0$ORIGIN/../lib:/opt/lib";
	size_t dyn_off = offsetof(struct tiny_elf, dyn), str_off = offsetof(struct tiny_elf, str);
	int d = 0;

	memset(t, 0, sizeof(*t));
	memcpy(t->eh.e_ident, ELFMAG, SELFMAG);
	t->eh.e_ident[EI_CLASS] = ELFCLASS64;
	t->eh.e_ident[EI_DATA] = ELFDATA2LSB;
	t->eh.e_machine = EM_X86_64;
	t->eh.e_phoff = offsetof(struct tiny_elf, ph);
	t->eh.e_phentsize = sizeof(Elf64_Phdr);
	t->eh.e_phnum = 3;
	t->ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_offset = 0, .p_vaddr = 0x400000, .p_filesz = sizeof(*t) };
	t->ph[1] = (Elf64_Phdr){ .p_type = PT_INTERP, .p_offset = str_off + 56, .p_filesz = 0 };
	t->ph[2] = (Elf64_Phdr){ .p_type = PT_DYNAMIC, .p_offset = dyn_off, .p_filesz = sizeof(t->dyn) };
	memcpy(t->str, strs, sizeof(strs));
	/* PT_INTERP points at its own copy after the strings. */
	strcpy(t->str + 56, "/lib64/ld.so");
	t->ph[1].p_filesz = strlen("/lib64/ld.so") + 1;
	t->dyn[d++] = (Elf64_Dyn){ DT_NEEDED, { 1 } };
	t->dyn[d++] = (Elf64_Dyn){ DT_RPATH, { 21 } };
	if (with_runpath)
		t->dyn[d++] = (Elf64_Dyn){ DT_RUNPATH, { 28 } };
	t->dyn[d++] = (Elf64_Dyn){ DT_NEEDED, { 11 } };
	t->dyn[d++] = (Elf64_Dyn){ DT_STRTAB, { 0x400000 + str_off } };
	t->dyn[d++] = (Elf64_Dyn){ DT_STRSZ, { 52 } };
	t->dyn[d++] = (Elf64_Dyn){ DT_NULL, { 0 } };
	return sizeof(*t);
}

static void test_elf_parse(void **s)
{
	(void)s;
	struct tiny_elf t;
	struct elf_info e;
	const char *what = NULL;
	size_t n = make_elf(&t, true);

	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), 0);
	assert_true(e.elf && e.dynamic);
	assert_string_equal(e.interp, "/lib64/ld.so");
	assert_int_equal(e.nneeded, 2);
	assert_string_equal(e.needed[0], "libz.so.1");
	assert_string_equal(e.needed[1], "libc.so.6");
	assert_int_equal(e.nrunpath, 2);            /* DT_RUNPATH wins over DT_RPATH */
	assert_string_equal(e.runpath[0], "$ORIGIN/../lib");
	assert_string_equal(e.runpath[1], "/opt/lib");
	elf_info_free(&e);

	make_elf(&t, false);
	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), 0);
	assert_int_equal(e.nrunpath, 1);
	assert_string_equal(e.runpath[0], "/rpath");
	elf_info_free(&e);

	/* A script is not ELF: fine, nothing to follow. */
	assert_int_equal(elf_parse((const unsigned char *)"#!/bin/sh\n", 10, &e, &what), 0);
	assert_false(e.elf);
	elf_info_free(&e);

	/* Truncated or lying headers are refused, never read past the end. */
	make_elf(&t, true);
	assert_int_equal(elf_parse((unsigned char *)&t, sizeof(Elf64_Ehdr) + 8, &e, &what), -EINVAL);
	elf_info_free(&e);
	t.dyn[0].d_un.d_val = 1000;                 /* DT_NEEDED outside the string table */
	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), -EINVAL);
	assert_non_null(strstr(what, "outside"));
	elf_info_free(&e);
	make_elf(&t, true);
	t.ph[1].p_offset = n + 100;                  /* PT_INTERP past the end */
	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), -EINVAL);
	elf_info_free(&e);
	make_elf(&t, true);
	t.eh.e_ident[EI_CLASS] = ELFCLASS32;
	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), -EINVAL);
	elf_info_free(&e);
	/* A static program: no interpreter, no libraries. */
	make_elf(&t, true);
	t.eh.e_phnum = 1;
	assert_int_equal(elf_parse((unsigned char *)&t, n, &e, &what), 0);
	assert_true(e.elf);
	assert_false(e.dynamic);
	assert_string_equal(e.interp, "");
	elf_info_free(&e);
}

/* Item 16: the bytes of a file need not be aligned for Elf64_* structs: a
 * buffer at an odd address, or headers at odd offsets in a crafted file,
 * must be read the same (UBSan, make SAN=1 unit, caught misaligned loads). */
static void test_elf_parse_misaligned(void **s)
{
	(void)s;
	struct tiny_elf t;
	struct elf_info e;
	const char *what = NULL;
	static unsigned char buf[sizeof(struct tiny_elf) + 64];
	size_t n = make_elf(&t, true);

	memcpy(buf + 1, &t, n);
	assert_int_equal(elf_parse(buf + 1, n, &e, &what), 0);
	assert_string_equal(e.interp, "/lib64/ld.so");
	assert_int_equal(e.nneeded, 2);
	assert_string_equal(e.needed[1], "libc.so.6");
	elf_info_free(&e);
	/* a crafted layout: program headers at offset 67, the dynamic section
	 * at 237, the strings at 365, all odd */
	enum { PH = 67, DYN = 237, STR = 365, END = STR + sizeof(t.str) };
	static unsigned char odd[END];
	memset(odd, 0, sizeof(odd));
	t.eh.e_phoff = PH;
	t.ph[0].p_filesz = END;
	t.ph[1].p_offset = STR + 56;
	t.ph[2].p_offset = DYN;
	for (int i = 0; i < 8; i++)
		if (t.dyn[i].d_tag == DT_STRTAB)
			t.dyn[i].d_un.d_ptr = 0x400000 + STR;
	memcpy(odd, &t.eh, sizeof(t.eh));
	memcpy(odd + PH, t.ph, sizeof(t.ph));
	memcpy(odd + DYN, t.dyn, sizeof(t.dyn));
	memcpy(odd + STR, t.str, sizeof(t.str));
	assert_int_equal(elf_parse(odd, END, &e, &what), 0);
	assert_string_equal(e.interp, "/lib64/ld.so");
	assert_int_equal(e.nneeded, 2);
	assert_string_equal(e.needed[0], "libz.so.1");
	assert_int_equal(e.nrunpath, 2);
	elf_info_free(&e);
}

/* /etc/ld.so.conf lines as glibc's ldconfig reads them. */
static void test_ldconf_lines(void **s)
{
	(void)s;
	static const struct { const char *line; int kind; const char *arg; } t[] = {
		{ "/usr/local/lib\n", LDCONF_DIR, "/usr/local/lib" },
		{ "  /opt/lib  # vendor\n", LDCONF_DIR, "/opt/lib" },
		{ "include /etc/ld.so.conf.d/*.conf\n", LDCONF_INCLUDE, "/etc/ld.so.conf.d/*.conf" },
		{ "include\t  x/*.conf\r\n", LDCONF_INCLUDE, "x/*.conf" },
		{ "include\n", LDCONF_NONE, NULL }, { "include \n", LDCONF_NONE, NULL },
		{ "# comment\n", LDCONF_NONE, NULL }, { "\n", LDCONF_NONE, NULL },
		{ "relative/lib\n", LDCONF_NONE, NULL }, { "includefoo\n", LDCONF_NONE, NULL },
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char line[128], *arg = NULL;
		strcpy(line, t[i].line);
		assert_int_equal(ldconf_parse_line(line, &arg), t[i].kind);
		if (t[i].arg)
			assert_string_equal(arg, t[i].arg);
	}
}

static void test_conf_lines(void **s)
{
	(void)s;
	static const struct { const char *in; int rc; const char *key, *value; } cases[] = {
		{ "compress = zstd:3\n", 1, "compress", "zstd:3" },
		{ "  modules=nfs,overlay  \r\n", 1, "modules", "nfs,overlay" },
		{ "add = /usr/bin/x:/bin/x", 1, "add", "/usr/bin/x:/bin/x" },
		{ "templates =\n", 1, "templates", "" },
		{ "# comment = no\n", 0, NULL, NULL },
		{ "   \n", 0, NULL, NULL },
		{ "", 0, NULL, NULL },
		{ "compress zstd\n", -EINVAL, NULL, NULL },
		{ "= x\n", -EINVAL, NULL, NULL },
		{ "two words = x\n", -EINVAL, NULL, NULL },
		{ "compress = gzip # small and fast\n", 1, "compress", "gzip" },
		{ "compress = gzip\t# tab before\n", 1, "compress", "gzip" },
		{ "add = /a#b\n", 1, "add", "/a#b" },
		{ "kver = \"6.1.0-1 x\"  # quoted\n", 1, "kver", "6.1.0-1 x" },
		{ "hooks = '/srv/h #1'\n", 1, "hooks", "/srv/h #1" },
		{ "hooks = \"\"\n", 1, "hooks", "" },
		{ "hooks = \"/srv\n", -EINVAL, NULL, NULL },
		{ "hooks = \"/srv\" x\n", -EINVAL, NULL, NULL },
		{ "compress = # nothing\n", 1, "compress", "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char line[128], *k = NULL, *v = NULL;
		const char *what = NULL;
		int rc;
		snprintf(line, sizeof(line), "%s", cases[i].in);
		rc = conf_parse_line(line, &k, &v, &what);
		if (rc != cases[i].rc)
			fail_msg("case %zu '%s': rc %d", i, cases[i].in, rc);
		if (rc == 1) {
			assert_string_equal(k, cases[i].key);
			assert_string_equal(v, cases[i].value);
		}
		if (rc < 0)
			assert_non_null(what);
	}
}

/* The host set's inputs, from a fake /proc/modules and /sys. */
static int collect(const char *key, const char *value, void *ctx)
{
	char *seen = ctx;
	size_t n = strlen(seen);

	snprintf(seen + n, 256 - n, "%s=%s;", key, value);
	return strcmp(value, "refuse") ? 0 : -1;
}

static void put(const char *dir, const char *name, const char *text)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(file_write_atomic(path, text, strlen(text), 0644), 0);
}

/* mkimage.conf, then the .conf files of mkimage.conf.d in byte order of their names;
 * other names are not read; a bad drop-in fails the whole read. */
static void test_conf_dropins(void **s)
{
	char dir[] = "/tmp/nfsinit-conf-XXXXXX", conf[300], sub[320], seen[256] = "";
	(void)s;
	assert_true(conf_dropin_name("10-site.conf"));
	assert_false(conf_dropin_name(".10-site.conf"));
	assert_false(conf_dropin_name(".conf"));
	assert_false(conf_dropin_name("site.conf.dpkg-old"));
	assert_false(conf_dropin_name("README"));
	assert_non_null(mkdtemp(dir));
	snprintf(conf, sizeof(conf), "%s/mkimage.conf", dir);
	snprintf(sub, sizeof(sub), "%s.d", conf);
	assert_int_equal(conf_read_dropins(conf, collect, seen), 0); /* no folder: fine */
	assert_int_equal(mkdir(sub, 0755), 0);
	put(dir, "mkimage.conf", "compress = gzip:1\n");
	put(sub, "20-b.conf", "kver = b\n");
	put(sub, "10-a.conf", "# a\nkver = a\nmodules = x\n");
	put(sub, "Z-upper.conf", "set = none\n");
	put(sub, ".hidden.conf", "kver = hidden\n");
	put(sub, "30-c.conf.dpkg-old", "kver = old\n");
	assert_int_equal(conf_read(conf, true, collect, seen), 0);
	assert_int_equal(conf_read_dropins(conf, collect, seen), 0);
	assert_string_equal(seen, "compress=gzip:1;kver=a;modules=x;kver=b;set=none;");
	put(sub, "15-bad.conf", "kver = refuse\n");
	seen[0] = '\0';
	assert_int_equal(conf_read_dropins(conf, collect, seen), -1);
	assert_string_equal(seen, "kver=a;modules=x;kver=refuse;");
	assert_int_equal(system((snprintf(conf, sizeof(conf), "rm -rf %s", dir), conf)), 0);
}

static void test_version_text(void **s)
{
	char v[16];
	(void)s;
	assert_int_equal(image_version_text("0.1.0\n", 6, v, sizeof(v)), 0);
	assert_string_equal(v, "0.1.0");
	assert_int_equal(image_version_text("1.2~rc1+git", 11, v, sizeof(v)), 0);
	assert_string_equal(v, "1.2~rc1+git");
	assert_int_equal(image_version_text("\n", 1, v, sizeof(v)), -EINVAL);
	assert_int_equal(image_version_text("1.0\nX", 5, v, sizeof(v)), -EINVAL);
	assert_int_equal(image_version_text("1.0 \033[2J", 9, v, sizeof(v)), -EINVAL);
	assert_int_equal(image_version_text("0123456789abcdef", 16, v, sizeof(v)), -EINVAL);
	assert_int_equal(image_version_text("0123456789abcde", 15, v, sizeof(v)), 0);
}

static void test_host_names(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-unit-host.XXXXXX", path[256], cmd[600];
	char **names = NULL;
	size_t n = 0;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/sys/bus/pci/devices/0000:00:03.0 %s/sys/module/e1000 "
		 "%s/sys/module/vt && touch %s/sys/module/vt/parameters %s/sys/module/e1000/initstate",
		 dir, dir, dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/sys/bus/pci/devices/0000:00:03.0/modalias", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00\n", f);
	fclose(f);
	snprintf(path, sizeof(path), "%s/modules", dir);
	assert_non_null(f = fopen(path, "w"));
	fputs("nfsv4 1073152 1 - Live 0x0000000000000000\nvirtio_net 61440 0 - Live 0x0\n", f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "%s/sys", dir);

	/* /proc/modules, then the devices. */
	assert_int_equal(host_module_names(path, cmd, &names, &n), 0);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "nfsv4");
	assert_string_equal(names[1], "virtio_net");
	assert_string_equal(names[2], "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);

	/* No /proc/modules: loadable modules from sysfs (initstate), not built-in ones (vt). */
	assert_int_equal(host_module_names("/nonexistent/modules", cmd, &names, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "e1000");
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);

	snprintf(cmd, sizeof(cmd), "rm -r %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_deps),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_write_reproducible_and_list),
		cmocka_unit_test(test_compress_names),
		cmocka_unit_test(test_module_decompress),
		cmocka_unit_test(test_symlinks),
		cmocka_unit_test(test_elf_parse),
		cmocka_unit_test(test_elf_parse_misaligned),
		cmocka_unit_test(test_ldconf_lines),
		cmocka_unit_test(test_conf_lines),
		cmocka_unit_test(test_host_names),
		cmocka_unit_test(test_conf_dropins),
		cmocka_unit_test(test_version_text),
	};
	return cmocka_run_group_tests_name("mkimage", tests, NULL, NULL);
}
