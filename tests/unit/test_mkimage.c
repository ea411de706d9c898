/* nfsinit-mkimage internals that need no kernel tree: dependency reduction,
 * image paths, reproducible bytes, --list. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../mkinitramfs/mkimage.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_direct_deps),
		cmocka_unit_test(test_bad_paths),
		cmocka_unit_test(test_write_reproducible_and_list),
		cmocka_unit_test(test_compress_names),
	};
	return cmocka_run_group_tests_name("mkimage", tests, NULL, NULL);
}
