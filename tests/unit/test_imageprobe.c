/* Image file checks (mounts/imageprobe.c): squashfs and EROFS superblocks,
 * truncation, non-images; the RAM limit and /proc/meminfo; versions from
 * file names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../../mounts/imageprobe.h"

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)v); put16(p + 2, (uint16_t)(v >> 16)); }
static void put64(uint8_t *p, uint64_t v) { put32(p, (uint32_t)v); put32(p + 4, (uint32_t)(v >> 32)); }

/* The superblock mksquashfs 4.5 wrote for a one-file tree (zstd, 128 KiB):
 * 270 bytes used, the file padded to 4096. */
static void squashfs_sb(uint8_t *b)
{
	memset(b, 0, IMAGE_PROBE_BYTES);
	memcpy(b, "hsqs", 4);
	put32(b + 4, 3);            /* inodes */
	put32(b + 12, 128 * 1024);  /* block size */
	put32(b + 16, 1);
	put16(b + 20, 6);           /* zstd */
	put16(b + 22, 17);          /* block log */
	put16(b + 24, 0xc0);
	put16(b + 26, 1);
	put16(b + 28, 4);
	put16(b + 30, 0);
	put64(b + 32, 0x40);
	put64(b + 40, 0x10e);       /* bytes used */
	put64(b + 48, 0x106);       /* id table */
	put64(b + 56, UINT64_MAX);  /* no xattrs */
	put64(b + 64, 0x63);        /* inode table */
	put64(b + 72, 0x9c);        /* directory table */
	put64(b + 80, 0xd6);
	put64(b + 88, 0xf8);
}

/* mkfs.erofs 1.5 for the same tree: 4 KiB blocks, 1 block. */
static void erofs_sb(uint8_t *b)
{
	memset(b, 0, IMAGE_PROBE_BYTES);
	put32(b + 1024, 0xE0F5E1E2);
	b[1024 + 12] = 12;
	put32(b + 1024 + 36, 1);
}

static void test_squashfs(void **s)
{
	(void)s;
	uint8_t b[IMAGE_PROBE_BYTES];
	struct image_info in;
	struct err_reason why = { 0 };
	squashfs_sb(b);
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), 0);
	assert_int_equal(in.type, IMAGE_SQUASHFS);
	assert_string_equal(in.fstype, "squashfs");
	assert_string_equal(in.compressor, "zstd");
	assert_int_equal(in.block_size, 128 * 1024);
	assert_int_equal(in.bytes_used, 270);
	assert_int_equal(in.meta_start, 0x63);   /* the inode table: the tables run from here to bytes_used */
	/* exactly as long as the superblock says: fine; one byte less: truncated */
	assert_int_equal(image_probe(b, sizeof(b), 270, &in, &why), 0);
	assert_int_equal(image_probe(b, sizeof(b), 269, &in, &why), -EFBIG);
	assert_non_null(strstr(why.msg, "truncated: the squashfs superblock says 270 bytes, the file has 269"));
	/* a header cut inside the superblock */
	assert_int_equal(image_probe(b, 60, 60, &in, &why), -ENODATA);
}

static void test_squashfs_corrupt(void **s)
{
	(void)s;
	static const struct { int off, width; uint64_t val; int rc; const char *why; } cases[] = {
		{ 28, 2, 3, -EINVAL, "squashfs version 3.0" },
		{ 12, 4, 100000, -EINVAL, "block size 100000" },
		{ 12, 4, 2 * 1024 * 1024, -EINVAL, "block size" },
		{ 22, 2, 16, -EINVAL, "log 16" },
		{ 20, 2, 0, -EINVAL, "compressor id 0" },
		{ 20, 2, 7, -EINVAL, "compressor id 7" },
		{ 40, 8, 10, -EINVAL, "bytes_used 10" },
		{ 40, 8, UINT64_MAX, -EFBIG, "truncated" },
		{ 64, 8, 0x10e, -EINVAL, "table at byte 64" },
		{ 48, 8, UINT64_MAX, -EINVAL, "table at byte 48" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint8_t b[IMAGE_PROBE_BYTES];
		struct image_info in;
		struct err_reason why = { 0 };
		squashfs_sb(b);
		if (cases[i].width == 2)
			put16(b + cases[i].off, (uint16_t)cases[i].val);
		else if (cases[i].width == 4)
			put32(b + cases[i].off, (uint32_t)cases[i].val);
		else
			put64(b + cases[i].off, cases[i].val);
		int rc = image_probe(b, sizeof(b), 4096, &in, &why);
		if (rc != cases[i].rc || !strstr(why.msg, cases[i].why))
			fail_msg("case %zu: rc %d why '%s', want %d '%s'", i, rc, why.msg, cases[i].rc, cases[i].why);
	}
}

static void test_erofs(void **s)
{
	(void)s;
	uint8_t b[IMAGE_PROBE_BYTES];
	struct image_info in;
	struct err_reason why = { 0 };
	erofs_sb(b);
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), 0);
	assert_int_equal(in.type, IMAGE_EROFS);
	assert_string_equal(in.fstype, "erofs");
	assert_int_equal(in.block_size, 4096);
	assert_int_equal(in.bytes_used, 4096);
	assert_int_equal(in.meta_start, 4096);   /* EROFS: no separate table area */
	put32(b + 1024 + 36, 1000);
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), -EFBIG);
	assert_non_null(strstr(why.msg, "truncated: the EROFS superblock says 4096000 bytes, the file has 4096"));
	erofs_sb(b);
	b[1024 + 12] = 40;
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), -EINVAL);
	erofs_sb(b);
	put16(b + 1024 + 86, 2);
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "extra device"));
	erofs_sb(b);
	put32(b + 1024 + 36, 0);
	assert_int_equal(image_probe(b, sizeof(b), 4096, &in, &why), -EINVAL);
	/* the file ends inside the EROFS superblock */
	erofs_sb(b);
	assert_int_equal(image_probe(b, 1060, 1060, &in, &why), -ENODATA);
}

static void test_not_an_image(void **s)
{
	(void)s;
	uint8_t b[IMAGE_PROBE_BYTES];
	struct image_info in;
	struct err_reason why = { 0 };
	const char *text = "This is not an image.\n";
	memset(b, 0, sizeof(b));
	memcpy(b, text, strlen(text));
	assert_int_equal(image_probe(b, strlen(text), strlen(text), &in, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "not a squashfs or EROFS image"));
	assert_int_equal(image_probe(b, sizeof(b), 1 << 20, &in, &why), -EINVAL);
	assert_non_null(strstr(why.msg, "no EROFS magic at byte 1024"));
	assert_int_equal(image_probe(b, 0, 0, &in, &why), -ENODATA);
	/* len beyond the file size is not read: the magic past the end does not count */
	squashfs_sb(b);
	assert_int_equal(image_probe(b, sizeof(b), 3, &in, &why), -EINVAL);
	/* why may be NULL */
	assert_int_equal(image_probe(b, 2, 2, &in, NULL), -EINVAL);
}

static void test_ram_limit(void **s)
{
	(void)s;
	static const struct { const char *spec; uint64_t want; int rc; } cases[] = {
		{ "1", 2ULL << 30, 0 },             /* half of 4 GiB */
		{ "2G", 2ULL << 30, 0 },
		{ "512M", 512ULL << 20, 0 },
		{ "512m", 512ULL << 20, 0 },
		{ "64K", 64ULL << 10, 0 },
		{ "1000000", 1000000, 0 },
		{ "25%", (4ULL << 30) / 100 * 25, 0 },
		{ "100%", (4ULL << 30) / 100 * 100, 0 },
		{ "0", 0, -EINVAL },
		{ "", 0, -EINVAL },
		{ "G", 0, -EINVAL },
		{ "2GB", 0, -EINVAL },
		{ "101%", 0, -EINVAL },
		{ "0%", 0, -EINVAL },
		{ "-1", 0, -EINVAL },
		{ "2T", 0, -EINVAL },
		{ "99999999999999999999", 0, -EINVAL },
		{ "17179869184G", 0, -EINVAL },     /* 2^34 GiB overflows 64 bits */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t got = 7;
		int rc = image_ram_limit(cases[i].spec, 4ULL << 30, &got);
		if (rc != cases[i].rc || (!rc && got != cases[i].want))
			fail_msg("'%s': rc %d limit %llu, want %d %llu", cases[i].spec, rc, (unsigned long long)got,
				 cases[i].rc, (unsigned long long)cases[i].want);
	}
}

static void test_meminfo(void **s)
{
	(void)s;
	const char *t = "MemTotal:         492044 kB\nMemFree:          400000 kB\nMemAvailable:     431432 kB\n";
	uint64_t total = 0, avail = 0;
	assert_int_equal(image_meminfo(t, strlen(t), &total, &avail), 0);
	assert_int_equal(total, 492044ULL * 1024);
	assert_int_equal(avail, 431432ULL * 1024);
	/* a kernel too old for MemAvailable (before 3.14), a cut text, a key inside a line */
	const char *old = "MemTotal: 1000 kB\nMemFree: 10 kB\n";
	assert_int_equal(image_meminfo(old, strlen(old), &total, &avail), -ENODATA);
	assert_int_equal(image_meminfo(t, 10, &total, &avail), -ENODATA);
	const char *inside = "XMemTotal: 5 kB\nMemAvailable: 1 kB\n";
	assert_int_equal(image_meminfo(inside, strlen(inside), &total, &avail), -ENODATA);
	const char *nodigits = "MemTotal: kB\nMemAvailable: 1 kB\n";
	assert_int_equal(image_meminfo(nodigits, strlen(nodigits), &total, &avail), -ENODATA);
}

static void test_name_version(void **s)
{
	(void)s;
	static const struct { const char *name; int rc; const char *want; } cases[] = {
		{ "bookworm-2026.12.01.squashfs", 0, "bookworm-2026.12.01" },
		{ "v2.sqfs", 0, "v2" },
		{ "root.erofs", 0, "root" },
		{ "disk.img", 0, "disk" },
		{ "plain", 0, "plain" },
		{ "a.squashfs.erofs", 0, "a.squashfs" },  /* one ending only */
		{ ".squashfs", 0, ".squashfs" },           /* nothing left: keep the name */
		{ "x y.squashfs", -EINVAL, "" },
		{ "v1\n.squashfs", -EINVAL, "" },
		{ "$(reboot).squashfs", -EINVAL, "" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[64] = "junk";
		int rc = image_name_version(cases[i].name, out, sizeof(out));
		if (rc != cases[i].rc || (!rc && strcmp(out, cases[i].want)))
			fail_msg("'%s': rc %d '%s', want %d '%s'", cases[i].name, rc, out, cases[i].rc, cases[i].want);
	}
	char small[4];
	assert_int_equal(image_name_version("abcd.squashfs", small, sizeof(small)), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_squashfs),
		cmocka_unit_test(test_squashfs_corrupt),
		cmocka_unit_test(test_erofs),
		cmocka_unit_test(test_not_an_image),
		cmocka_unit_test(test_ram_limit),
		cmocka_unit_test(test_meminfo),
		cmocka_unit_test(test_name_version),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
