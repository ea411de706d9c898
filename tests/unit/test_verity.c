/* dm-verity (mounts/verity.c): the root hash parameter, the superblock
 * veritysetup writes, the tree's size against veritysetup's own figures,
 * the target line and the device-mapper ioctl request. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/dm-ioctl.h>

#include "../../mounts/verity.h"

/* The first 120 bytes of the superblock `veritysetup format data.img
 * hash.img` (cryptsetup 2.6.1) wrote for 10 blocks of 4 KiB; the rest is
 * zero. */
static const char real_sb_hex[] =
	"766572697479000001000000010000003ac90bbea6a043d68ac55eaa2d33"
	"4d9473686132353600000000000000000000000000000000000000000000"
	"0000000000100000001000000a000000000000002000000000000000161a"
	"ed7d6c42015bc58fcb3c7051baf7817d5245e8f08afcc59400afb59838fa";
static const char real_salt[] = "161aed7d6c42015bc58fcb3c7051baf7817d5245e8f08afcc59400afb59838fa";
static const char real_root[] = "08ab5d32bd82eaa077241a0d7f9b20648cd74a4f214641966868f313783de872";

static void real_sb(uint8_t *b)
{
	memset(b, 0, VERITY_SB_SIZE);
	for (size_t i = 0; i < sizeof(real_sb_hex) / 2; i++)
		sscanf(real_sb_hex + 2 * i, "%2hhx", &b[i]);
}

static void test_root_hash(void **s)
{
	(void)s;
	struct err_reason why;
	assert_int_equal(verity_root_hash_check(real_root, &why), 32);
	assert_int_equal(verity_root_hash_check("8AD7FE7D1414349372D028CA299B0FF5B4C0DABE", &why), 20);
	char h512[129];
	memset(h512, 'a', 128);
	h512[128] = '\0';
	assert_int_equal(verity_root_hash_check(h512, &why), 64);
	h512[127] = '\0';
	assert_int_equal(verity_root_hash_check(h512, &why), -EINVAL);
	assert_string_equal(why.msg, "127 hexadecimal digits; a root hash has 64 (sha256), 40 (sha1) or 128 (sha512)");
	assert_int_equal(verity_root_hash_check("08ab 5d", &why), -EINVAL);
	assert_string_equal(why.msg, "' ' at position 5 is not a hexadecimal digit");
	assert_int_equal(verity_root_hash_check("0x08ab", &why), -EINVAL);
	assert_int_equal(verity_root_hash_check("", &why), -EINVAL);
}

static void test_oncorrupt(void **s)
{
	(void)s;
	enum verity_oncorrupt oc = VERITY_ONCORRUPT_PANIC;
	assert_int_equal(verity_oncorrupt_parse("eio", &oc), 0);
	assert_int_equal(oc, VERITY_ONCORRUPT_EIO);
	assert_int_equal(verity_oncorrupt_parse("restart", &oc), 0);
	assert_int_equal(oc, VERITY_ONCORRUPT_RESTART);
	assert_int_equal(verity_oncorrupt_parse("panic", &oc), 0);
	assert_int_equal(oc, VERITY_ONCORRUPT_PANIC);
	assert_int_equal(verity_oncorrupt_parse("Panic", &oc), -EINVAL);
	assert_int_equal(verity_oncorrupt_parse("", &oc), -EINVAL);
	assert_int_equal(oc, VERITY_ONCORRUPT_PANIC);
}

static void test_sb_real(void **s)
{
	(void)s;
	uint8_t b[VERITY_SB_SIZE];
	struct verity_sb sb;
	struct err_reason why;
	char salt[2 * VERITY_SALT_MAX + 1];

	real_sb(b);
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb, &why), 0);
	assert_int_equal(sb.hash_type, 1);
	assert_string_equal(sb.algorithm, "sha256");
	assert_int_equal(sb.digest_size, 32);
	assert_int_equal(sb.data_block_size, 4096);
	assert_int_equal(sb.hash_block_size, 4096);
	assert_int_equal(sb.data_blocks, 10);
	assert_int_equal(sb.salt_size, 32);
	for (int i = 0; i < sb.salt_size; i++)
		snprintf(salt + 2 * i, 3, "%02x", sb.salt[i]);
	assert_string_equal(salt, real_salt);
	assert_int_equal(verity_sectors(&sb), 80);
}

/* One field at a time made wrong; each refused with its reason. */
static void test_sb_bad(void **s)
{
	(void)s;
	static const struct { size_t off; uint8_t val; int rc; const char *msg; } cases[] = {
		{ 0, 'V', -EINVAL, "no verity superblock (no 'verity' signature)" },
		{ 8, 2, -EINVAL, "verity superblock version 2 (nfsinit reads 1)" },
		{ 12, 2, -EINVAL, "verity hash type 2 (0 or 1)" },
		{ 36, 0, -EINVAL, "hash algorithm sha2 (nfsinit knows sha256, sha1 and sha512)" },
		{ 32, 0x07, -EINVAL, "verity superblock names an unreadable hash algorithm" },
		{ 65, 0x20, -EINVAL, "verity block sizes 8192/4096 (powers of two, 512 to 4096)" },
		{ 69, 0x18, -EINVAL, "verity block sizes 4096/6144 (powers of two, 512 to 4096)" },
		{ 72, 0, -EINVAL, "verity superblock says 0 data blocks" },
		{ 79, 0x40, -EINVAL, "verity superblock says 4611686018427387914 data blocks" },
		{ 81, 1, -EINVAL, "verity salt of 288 bytes (at most 256)" },
	};
	uint8_t b[VERITY_SB_SIZE];
	struct verity_sb sb;
	struct err_reason why;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		real_sb(b);
		b[cases[i].off] = cases[i].val;
		assert_int_equal(verity_sb_parse(b, sizeof(b), &sb, &why), cases[i].rc);
		assert_string_equal(why.msg, cases[i].msg);
	}
	real_sb(b);
	memset(b + 32, 'a', 32);   /* the name fills its field, no NUL */
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb, &why), -EINVAL);
	assert_string_equal(why.msg, "corrupt verity superblock (hash algorithm name not terminated)");
	real_sb(b);
	assert_int_equal(verity_sb_parse(b, VERITY_SB_SIZE - 1, &sb, &why), -ENODATA);
	assert_string_equal(why.msg, "truncated: 511 bytes, shorter than a verity superblock");
	assert_int_equal(verity_sb_parse(b, 0, &sb, &why), -ENODATA);
}

/* veritysetup format's "Hash device size" for a tree in a file of its own
 * (superblock at 0), cryptsetup 2.6.1, sparse data files of n blocks. */
static void test_tree_span(void **s)
{
	(void)s;
	static const struct { const char *alg; unsigned digest; uint32_t dbs, hbs; uint64_t blocks, end; } cases[] = {
		{ "sha256", 32, 4096, 4096, 1, 4096 },
		{ "sha256", 32, 4096, 4096, 10, 8192 },
		{ "sha256", 32, 4096, 4096, 128, 8192 },
		{ "sha256", 32, 4096, 4096, 129, 16384 },
		{ "sha256", 32, 4096, 4096, 16385, 544768 },
		{ "sha256", 32, 4096, 4096, 2000000, 64512000 },
		{ "sha512", 64, 512, 1024, 16000000, 1092270080 },
		{ "sha1", 20, 4096, 4096, 10, 8192 },
	};
	struct verity_sb sb;
	uint64_t start, end;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&sb, 0, sizeof(sb));
		strcpy(sb.algorithm, cases[i].alg);
		sb.digest_size = cases[i].digest;
		sb.data_block_size = cases[i].dbs;
		sb.hash_block_size = cases[i].hbs;
		sb.data_blocks = cases[i].blocks;
		assert_int_equal(verity_tree_span(&sb, 0, &start, &end), 0);
		assert_int_equal(start, 1);
		assert_int_equal(end, cases[i].end);
	}
	/* appended after a 40960-byte image: veritysetup made the file 49152 bytes */
	strcpy(sb.algorithm, "sha256");
	sb.digest_size = 32;
	sb.data_block_size = sb.hash_block_size = 4096;
	sb.data_blocks = 10;
	assert_int_equal(verity_tree_span(&sb, 40960, &start, &end), 0);
	assert_int_equal(start, 11);
	assert_int_equal(end, 49152);
	/* a superblock offset or size no file has */
	assert_int_equal(verity_tree_span(&sb, UINT64_MAX - 100, &start, &end), -EOVERFLOW);
	sb.data_blocks = UINT64_MAX >> 13;
	assert_int_equal(verity_tree_span(&sb, (UINT64_MAX >> 1) - 4096, &start, &end), -EOVERFLOW);
}

static void test_target_params(void **s)
{
	(void)s;
	uint8_t b[VERITY_SB_SIZE];
	struct verity_sb sb;
	char line[VERITY_PARAMS_MAX], want[VERITY_PARAMS_MAX];

	real_sb(b);
	assert_int_equal(verity_sb_parse(b, sizeof(b), &sb, NULL), 0);
	struct verity_target t = { &sb, "/dev/loop0", "/dev/loop0", 11, real_root, VERITY_ONCORRUPT_EIO };
	assert_int_equal(verity_target_params(&t, line, sizeof(line)), 0);
	snprintf(want, sizeof(want), "1 /dev/loop0 /dev/loop0 4096 4096 10 11 sha256 %s %s", real_root, real_salt);
	assert_string_equal(line, want);
	t.oncorrupt = VERITY_ONCORRUPT_RESTART;
	t.hash_dev = "/dev/loop1";
	t.hash_start_block = 1;
	assert_int_equal(verity_target_params(&t, line, sizeof(line)), 0);
	snprintf(want, sizeof(want), "1 /dev/loop0 /dev/loop1 4096 4096 10 1 sha256 %s %s 1 restart_on_corruption",
		 real_root, real_salt);
	assert_string_equal(line, want);
	t.oncorrupt = VERITY_ONCORRUPT_PANIC;
	sb.salt_size = 0;
	assert_int_equal(verity_target_params(&t, line, sizeof(line)), 0);
	snprintf(want, sizeof(want), "1 /dev/loop0 /dev/loop1 4096 4096 10 1 sha256 %s - 1 panic_on_corruption",
		 real_root);
	assert_string_equal(line, want);
	/* too long for the buffer: refused, never cut */
	assert_int_equal(verity_target_params(&t, line, strlen(want)), -ENOSPC);
	assert_int_equal(verity_target_params(&t, line, strlen(want) + 1), 0);
	/* the longest line there can be fits VERITY_PARAMS_MAX */
	char h512[129];
	memset(h512, 'f', 128);
	h512[128] = '\0';
	sb.salt_size = VERITY_SALT_MAX;
	sb.data_blocks = UINT64_MAX;
	strcpy(sb.algorithm, "sha512");
	t = (struct verity_target){ &sb, "/dev/loop1048575", "/dev/loop1048574", UINT64_MAX, h512,
				    VERITY_ONCORRUPT_RESTART };
	assert_int_equal(verity_target_params(&t, line, sizeof(line)), 0);
}

static void test_dm_request(void **s)
{
	(void)s;
	uint64_t buf[256];
	const struct dm_ioctl *io = (const void *)buf;
	const struct dm_target_spec *spec = (const void *)((const char *)buf + sizeof(*io));
	const char *params = "1 /dev/loop0 /dev/loop0 4096 4096 10 11 sha256 00 -";
	size_t used = 0;

	assert_int_equal(sizeof(struct dm_ioctl), 312);
	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(dm_request_build(buf, sizeof(buf), VERITY_DM_NAME, DM_READONLY_FLAG, NULL, 0, NULL, &used), 0);
	assert_int_equal(used, sizeof(struct dm_ioctl));
	assert_int_equal(io->version[0], 4);
	assert_int_equal(io->version[1], 0);
	assert_int_equal(io->version[2], 0);
	assert_int_equal(io->data_size, used);
	assert_int_equal(io->data_start, sizeof(struct dm_ioctl));
	assert_int_equal(io->flags, DM_READONLY_FLAG);
	assert_int_equal(io->target_count, 0);
	assert_int_equal(io->dev, 0);
	assert_string_equal(io->name, "nfsinit-root");
	assert_string_equal(io->uuid, "");

	memset(buf, 0xa5, sizeof(buf));
	assert_int_equal(dm_request_build(buf, sizeof(buf), VERITY_DM_NAME, DM_READONLY_FLAG, "verity", 80, params,
					  &used), 0);
	size_t spec_len = sizeof(*spec) + strlen(params) + 1;
	assert_int_equal(used, sizeof(*io) + ((spec_len + 7) & ~7u));
	assert_int_equal(used % 8, 0);
	assert_int_equal(io->data_size, used);
	assert_int_equal(io->target_count, 1);
	assert_int_equal(spec->sector_start, 0);
	assert_int_equal(spec->length, 80);
	assert_int_equal(spec->status, 0);
	assert_int_equal(spec->next, (spec_len + 7) & ~7u);
	assert_string_equal(spec->target_type, "verity");
	assert_string_equal((const char *)(spec + 1), params);
	/* the padding after the string is zero, inside data_size */
	for (size_t i = sizeof(*io) + spec_len; i < used; i++)
		assert_int_equal(((const uint8_t *)buf)[i], 0);

	/* too small a buffer and names the kernel cannot hold: refused */
	assert_int_equal(dm_request_build(buf, used - 1, VERITY_DM_NAME, 0, "verity", 80, params, &used), -ENOSPC);
	assert_int_equal(dm_request_build(buf, 100, VERITY_DM_NAME, 0, NULL, 0, NULL, &used), -ENOSPC);
	char name[DM_NAME_LEN + 1];
	memset(name, 'n', DM_NAME_LEN);
	name[DM_NAME_LEN] = '\0';
	assert_int_equal(dm_request_build(buf, sizeof(buf), name, 0, NULL, 0, NULL, &used), -ENAMETOOLONG);
	name[DM_NAME_LEN - 1] = '\0';
	assert_int_equal(dm_request_build(buf, sizeof(buf), name, 0, NULL, 0, NULL, &used), 0);
	assert_int_equal(dm_request_build(buf, sizeof(buf), "x", 0, "a-target-type-name", 1, "", &used),
			 -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_root_hash),
		cmocka_unit_test(test_oncorrupt),
		cmocka_unit_test(test_sb_real),
		cmocka_unit_test(test_sb_bad),
		cmocka_unit_test(test_tree_span),
		cmocka_unit_test(test_target_params),
		cmocka_unit_test(test_dm_request),
	};
	return cmocka_run_group_tests_name("verity", tests, NULL, NULL);
}
