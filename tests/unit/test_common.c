/* common/: MAC text both ways, the bounded text writer, small files by path
 * (read, atomic write, mkdir -p), IPv4 text and classful netmasks, '-'/'_'
 * names and the sysfs modalias walk. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../common/dashname.h"
#include "../../common/dir.h"
#include "../../common/file.h"
#include "../../common/glob.h"
#include "../../common/inaddr.h"
#include "../../common/mac.h"
#include "../../common/sysfs.h"
#include "../../common/textbuf.h"

static const uint8_t MAC[6] = { 0x52, 0x54, 0x00, 0xab, 0xCD, 0x0f };

static void test_mac_format(void **s)
{
	(void)s;
	static const struct {
		char sep;
		const char *want;
	} cases[] = {
		{ ':', "52:54:00:ab:cd:0f" },
		{ '-', "52-54-00-ab-cd-0f" },
		{ '\0', "525400abcd0f" },
	};
	char out[MAC_TEXT_MAX];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'z', sizeof(out));
		assert_ptr_equal(mac_format(MAC, cases[i].sep, out), out);
		assert_string_equal(out, cases[i].want);
	}
	mac_format((const uint8_t[6]){ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff }, ':', out);
	assert_int_equal(strlen(out), MAC_TEXT_MAX - 1);
}

static void test_mac_parse(void **s)
{
	(void)s;
	static const struct {
		const char *text;
		char sep;
		int rc;
	} cases[] = {
		{ "52:54:00:ab:cd:0f", ':', 0 },
		{ "52:54:00:AB:CD:0F", ':', 0 },
		{ "52-54-00-ab-cd-0f", '-', 0 },
		{ "52-54-00-ab-cd-0f", '\0', 0 },
		{ "52:54-00:ab-cd:0f", '\0', 0 },
		{ "52-54-00-ab-cd-0f", ':', -EINVAL },   /* not the separator asked for */
		{ "52:54:00:ab:cd", ':', -EINVAL },      /* five */
		{ "52:54:00:ab:cd:0f:", ':', -EINVAL },  /* trailing */
		{ "52:54:00:ab:cd:0f\n", ':', -EINVAL },
		{ "52:54:00:ab:cd:0", ':', -EINVAL },
		{ "5:54:00:ab:cd:0f", ':', -EINVAL },    /* one digit */
		{ "52:54:00:ab:cd:0g", ':', -EINVAL },
		{ " 52:54:00:ab:cd:0f", ':', -EINVAL },
		{ "", ':', -EINVAL },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t mac[6] = { 1, 2, 3, 4, 5, 6 };
		assert_int_equal(mac_parse(cases[i].text, cases[i].sep, mac), cases[i].rc);
		if (cases[i].rc == 0)
			assert_memory_equal(mac, MAC, 6);
		else   /* a failed parse leaves the output alone */
			assert_memory_equal(mac, ((uint8_t[]){ 1, 2, 3, 4, 5, 6 }), 6);
	}
}

static void test_textbuf(void **s)
{
	(void)s;
	char b[8];
	struct textbuf t;

	textbuf_init(&t, b, sizeof(b));
	assert_int_equal(textbuf_end(&t), 0);
	assert_string_equal(b, "");
	textbuf_printf(&t, "%s=%d", "ab", 12);
	textbuf_add(&t, "!", 1);
	assert_int_equal(textbuf_end(&t), 6);
	assert_string_equal(b, "ab=12!");
	textbuf_add(&t, "x", 1);                 /* exactly fills: 7 + NUL */
	assert_int_equal(textbuf_end(&t), 7);
	textbuf_printf(&t, "%s", "y");           /* one over: an error, text whole */
	assert_int_equal(textbuf_end(&t), -ENOSPC);
	assert_string_equal(b, "ab=12!x");
	textbuf_init(&t, b, sizeof(b));
	textbuf_printf(&t, "%s", "123456789");   /* no half an append is left */
	assert_int_equal(textbuf_end(&t), -ENOSPC);
	assert_string_equal(b, "");
	textbuf_add(&t, "1", 1);                 /* once full, always full */
	assert_int_equal(textbuf_end(&t), -ENOSPC);
	textbuf_init(&t, b, 0);
	textbuf_add(&t, "", 0);
	assert_int_equal(textbuf_end(&t), -ENOSPC);
}

static int rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_file_read(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-common-XXXXXX", p[128], b[8];
	size_t n = 99;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/f", dir);
	put(p, "1234567");
	assert_int_equal(file_read(p, b, 7, &n), 0);
	assert_int_equal(n, 7);
	assert_int_equal(file_read(p, b, 6, &n), -EFBIG);
	assert_int_equal(n, 6);
	assert_int_equal(file_read_text(p, b, 8), 0);   /* 7 bytes and the NUL */
	assert_string_equal(b, "1234567");
	assert_int_equal(file_read_text(p, b, 7), -EFBIG);
	assert_string_equal(b, "");
	put(p, "eth0 \n\n");
	assert_int_equal(file_read_text(p, b, sizeof(b)), 0);
	assert_string_equal(b, "eth0");
	put(p, "");
	assert_int_equal(file_read_text(p, b, sizeof(b)), 0);
	assert_string_equal(b, "");
	snprintf(p, sizeof(p), "%s/none", dir);
	assert_int_equal(file_read(p, b, sizeof(b), &n), -ENOENT);
	assert_int_equal(n, 0);
	assert_int_equal(file_read_text(p, b, sizeof(b)), -ENOENT);
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

/* Parents made, the file replaced whole, no .new left; a symlink at the
 * path is replaced, never written through; a path under a file fails. */
static void test_file_write_atomic(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-common-XXXXXX", p[128], t[128], b[64];
	size_t n;
	struct stat st;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/a/b/c/f", dir);
	assert_int_equal(file_write_atomic(p, "one\n", 4, 0644), 0);
	assert_int_equal(file_write_atomic(p, "two", 3, 0644), 0);
	assert_int_equal(file_read(p, b, sizeof(b), &n), 0);
	assert_int_equal(n, 3);
	assert_memory_equal(b, "two", 3);
	strcat(p, ".new");
	assert_int_equal(access(p, F_OK), -1);

	snprintf(t, sizeof(t), "%s/target", dir);
	snprintf(p, sizeof(p), "%s/link", dir);
	assert_int_equal(symlink(t, p), 0);
	assert_int_equal(file_write_atomic(p, "x", 1, 0600), 0);
	assert_int_equal(lstat(p, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(access(t, F_OK), -1);

	/* A symlink planted at the temporary name is not followed either. */
	snprintf(p, sizeof(p), "%s/g.new", dir);
	assert_int_equal(symlink(t, p), 0);
	snprintf(p, sizeof(p), "%s/g", dir);
	assert_int_equal(file_write_atomic(p, "x", 1, 0644), -ELOOP);
	assert_int_equal(access(t, F_OK), -1);

	snprintf(p, sizeof(p), "%s/a/b/c/f/under", dir);
	assert_int_equal(file_write_atomic(p, "x", 1, 0644), -ENOTDIR);
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

static void test_file_mkdir_parents(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-common-XXXXXX", p[128];
	struct stat st;
	assert_non_null(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/x/y/z", dir);
	assert_int_equal(file_mkdir_parents(p), 0);
	assert_string_equal(strrchr(p, '/'), "/z");          /* restored */
	assert_int_equal(stat(p, &st), -1);                   /* not the leaf */
	*strrchr(p, '/') = '\0';
	assert_int_equal(stat(p, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	snprintf(p, sizeof(p), "%s/x/y/", dir);               /* trailing slash: all */
	assert_int_equal(file_mkdir_parents(p), 0);
	assert_int_equal(file_mkdir_parents((char[]){ "relative-leaf-only" }), 0);
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

static struct in_addr ip(const char *s)
{
	struct in_addr a;
	assert_int_equal(inet_pton(AF_INET, s, &a), 1);
	return a;
}

static void test_inaddr(void **s)
{
	(void)s;
	static const struct {
		const char *addr, *mask;
	} cases[] = {
		{ "10.1.2.3", "255.0.0.0" },       { "127.0.0.1", "255.0.0.0" },
		{ "128.0.0.1", "255.255.0.0" },    { "172.16.5.4", "255.255.0.0" },
		{ "191.255.1.1", "255.255.0.0" },  { "192.168.1.7", "255.255.255.0" },
		{ "223.1.1.1", "255.255.255.0" },  { "0.0.0.0", "255.0.0.0" },
	};
	char b[INET_ADDRSTRLEN];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct in_addr m = inaddr_classful_netmask(ip(cases[i].addr));
		assert_string_equal(inaddr_ntoa(m, b), cases[i].mask);
	}
	assert_string_equal(inaddr_ntoa(ip("255.255.255.255"), b), "255.255.255.255");
}

static void test_dashname(void **s)
{
	(void)s;
	static const struct {
		const char *a, *b;
		bool eq;
	} cases[] = {
		{ "nfsinit.net-timeout", "nfsinit.net_timeout", true },
		{ "virtio_net", "virtio-net", true },
		{ "e1000", "e1000", true },
		{ "", "", true },
		{ "virtio_net", "virtio_ne", false },
		{ "virtio", "virtio_net", false },
		{ "a.b", "a_b", false },
		{ "Virtio", "virtio", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(dashname_eq(cases[i].a, cases[i].b), cases[i].eq);
		assert_int_equal(dashname_eq(cases[i].b, cases[i].a), cases[i].eq);
	}
}

static void collect(const char *modalias, void *p)
{
	char *all = p;
	strcat(all, modalias);
	strcat(all, ";");
}

/* Two buses, a device with no modalias, one with an empty one, one with two
 * lines (the first counts); a missing root is its errno. */
static void test_sysfs_modaliases(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsi-common-XXXXXX", p[256], all[512] = "";
	assert_non_null(mkdtemp(dir));
	static const struct {
		const char *dev, *alias;
	} devs[] = {
		{ "pci/devices/0000:00:03.0", "pci:v00008086d0000100Esv*\n" },
		{ "virtio/devices/virtio0", "virtio:d00000001v00001AF4\nsecond line\n" },
		{ "virtio/devices/virtio1", "\n" },
		{ "platform/devices/serial8250", NULL },
	};
	for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s/modalias", dir, devs[i].dev);
		assert_int_equal(file_mkdir_parents(p), 0);
		if (devs[i].alias)
			put(p, devs[i].alias);
	}
	assert_int_equal(sysfs_modaliases(dir, collect, all), 2);
	assert_non_null(strstr(all, "pci:v00008086d0000100Esv*;"));
	assert_non_null(strstr(all, "virtio:d00000001v00001AF4;"));
	assert_null(strstr(all, "second"));
	snprintf(p, sizeof(p), "%s/none", dir);
	assert_int_equal(sysfs_modaliases(p, collect, all), -ENOENT);
	nftw(dir, rm_cb, 8, FTW_DEPTH | FTW_PHYS);
}

/* Real modules.alias patterns against modaliases, then the corners of the
 * syntax; every case also against the C library's fnmatch (flags 0). */
static void test_glob_match(void **s)
{
	(void)s;
	static const struct {
		const char *pat, *text;
		bool want;
	} cases[] = {
		{ "pci:v00001AF4d00001000sv*sd*bc*sc*i*", "pci:v00001AF4d00001000sv00001AF4sd00000001bc02sc00i00", true },
		{ "pci:v00001AF4d00001000sv*sd*bc*sc*i*", "pci:v00001AF4d00001041sv00001AF4sd00000001bc02sc00i00", false },
		{ "pci:v00008086d0000100Esv*sd*bc*sc*i*", "pci:v00008086d0000100Esv00001AF4sd00001100bc02sc00i00", true },
		{ "usb:v0BDAp8153d[0-2]*dc*dsc*dp*ic02isc06ip00in*", "usb:v0BDAp8153d0130dc00dsc00dp00ic02isc06ip00in00", true },
		{ "usb:v0BDAp8153d[0-2]*dc*dsc*dp*ic02isc06ip00in*", "usb:v0BDAp8153d3000dc00dsc00dp00ic02isc06ip00in00", false },
		{ "virtio:d00000001v*", "virtio:d00000001v00001AF4", true },
		{ "block-major-7-*", "block-major-7-0", true },
		{ "fs-nfs4", "fs-nfs4", true },
		{ "fs-nfs4", "fs-nfs", false },
		{ "fs-nfs", "fs-nfs4", false },
		{ "", "", true },
		{ "", "a", false },
		{ "*", "", true },
		{ "*", "a/b.c", true },
		{ "?", "", false },
		{ "a?c", "abc", true },
		{ "a*b*c", "axxbyyc", true },
		{ "a*b*c", "axxbyy", false },
		{ "*ab", "aab", true },
		{ "*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
		{ "[abc]", "b", true },
		{ "[!abc]", "b", false },
		{ "[^abc]", "d", true },
		{ "[a-c]x", "bx", true },
		{ "[a-c]x", "dx", false },
		{ "[]a]", "]", true },
		{ "[!]a]", "]", false },
		{ "[a-]", "-", true },
		{ "[z-a]", "m", false },
		{ "a[b", "a[b", true },
		{ "a\\*b", "a*b", true },
		{ "a\\*b", "axb", false },
		{ "\\?", "?", true },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool got = glob_match(cases[i].pat, cases[i].text);
		if (got != cases[i].want || got != (fnmatch(cases[i].pat, cases[i].text, 0) == 0))
			fail_msg("glob_match(\"%s\", \"%s\") = %d", cases[i].pat, cases[i].text, got);
	}
}

/* 300 long names: several getdents64 buffers; each name once, plus . and .. */
static void test_dir_reader(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-dir-XXXXXX", path[512];
	static unsigned char seen[300];
	struct dir_reader d;
	struct dirent *e;
	unsigned dots = 0, n = 0;

	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "%s/entry-%03d-%0100d", dir, i, 0);
		int fd = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
		assert_true(fd >= 0);
		close(fd);
	}
	memset(seen, 0, sizeof(seen));
	assert_int_equal(dir_open(&d, AT_FDCWD, dir), 0);
	while ((e = dir_next(&d))) {
		int i;
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
			dots++;
			continue;
		}
		assert_int_equal(sscanf(e->d_name, "entry-%3d-", &i), 1);
		assert_true(i >= 0 && i < 300);
		assert_int_equal(seen[i], 0);
		assert_int_equal(strlen(e->d_name), 110);
		seen[i] = 1;
		n++;
	}
	assert_int_equal(d.err, 0);
	dir_close(&d);
	assert_int_equal(n, 300);
	assert_int_equal(dots, 2);
	/* errors come back as -errno */
	snprintf(path, sizeof(path), "%s/entry-000-%0100d", dir, 0);
	assert_int_equal(dir_open(&d, AT_FDCWD, path), -ENOTDIR);
	snprintf(path, sizeof(path), "%s/missing", dir);
	assert_int_equal(dir_open(&d, AT_FDCWD, path), -ENOENT);
	/* an adopted fd is read and closed */
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	assert_true(fd >= 0);
	dir_adopt(&d, fd);
	n = 0;
	while ((e = dir_next(&d)))
		n++;
	dir_close(&d);
	assert_int_equal(n, 302);
	assert_int_equal(fcntl(fd, F_GETFD), -1);
	snprintf(path, sizeof(path), "rm -rf %s", dir);
	assert_int_equal(system(path), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mac_format),
		cmocka_unit_test(test_mac_parse),
		cmocka_unit_test(test_textbuf),
		cmocka_unit_test(test_file_read),
		cmocka_unit_test(test_file_write_atomic),
		cmocka_unit_test(test_file_mkdir_parents),
		cmocka_unit_test(test_inaddr),
		cmocka_unit_test(test_dashname),
		cmocka_unit_test(test_glob_match),
		cmocka_unit_test(test_dir_reader),
		cmocka_unit_test(test_sysfs_modaliases),
	};
	return cmocka_run_group_tests_name("common", tests, NULL, NULL);
}
