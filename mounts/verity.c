#include "verity.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/dm-ioctl.h>
#include "../common/le.h"

/* cryptsetup lib/verity/verity.c, struct verity_sb, little-endian. */
#define SB_SIGNATURE   "verity\0\0"
#define SB_VERSION     8
#define SB_HASH_TYPE   12
#define SB_ALGORITHM   32
#define SB_DATA_BS     64
#define SB_HASH_BS     68
#define SB_DATA_BLOCKS 72
#define SB_SALT_SIZE   80
#define SB_SALT        88

static const struct { const char *name; unsigned size; } algorithms[] = {
	{ "sha256", 32 }, { "sha1", 20 }, { "sha512", 64 },
};

int verity_root_hash_check(const char *hex, struct err_reason *err)
{
	size_t n = strspn(hex, "0123456789abcdefABCDEF");

	if (hex[n])
		return err_fail(err, -EINVAL, "'%c' at position %zu is not a hexadecimal digit", hex[n], n + 1);
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (n == 2 * algorithms[i].size)
			return (int)algorithms[i].size;
	return err_fail(err, -EINVAL, "%zu hexadecimal digits; a root hash has 64 (sha256), 40 (sha1) or 128 (sha512)",
			n);
}

int verity_oncorrupt_parse(const char *s, enum verity_oncorrupt *out)
{
	for (int i = VERITY_ONCORRUPT_EIO; i <= VERITY_ONCORRUPT_PANIC; i++)
		if (!strcmp(s, verity_oncorrupt_name((enum verity_oncorrupt)i))) {
			*out = (enum verity_oncorrupt)i;
			return 0;
		}
	return -EINVAL;
}

const char *verity_oncorrupt_name(enum verity_oncorrupt oc)
{
	return oc == VERITY_ONCORRUPT_RESTART ? "restart" : oc == VERITY_ONCORRUPT_PANIC ? "panic" : "eio";
}

static bool block_size_ok(uint32_t bs)
{
	return bs >= VERITY_BLOCK_MIN && bs <= VERITY_BLOCK_MAX && !(bs & (bs - 1));
}

static int sb_algorithm(const uint8_t *field, struct verity_sb *sb, struct err_reason *err)
{
	const void *nul = memchr(field, '\0', sizeof(sb->algorithm));
	if (!nul)
		return err_fail(err, -EINVAL, "corrupt verity superblock (hash algorithm name not terminated)");
	memcpy(sb->algorithm, field, sizeof(sb->algorithm));
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (!strcmp(sb->algorithm, algorithms[i].name)) {
			sb->digest_size = algorithms[i].size;
			return 0;
		}
	/* the name goes into a console line: printable or not shown */
	for (const char *c = sb->algorithm; *c; c++)
		if (*c < '!' || *c > '~')
			return err_fail(err, -EINVAL, "verity superblock names an unreadable hash algorithm");
	return err_fail(err, -EINVAL, "hash algorithm %s (nfsinit knows sha256, sha1 and sha512)", sb->algorithm);
}

int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *sb, struct err_reason *err)
{
	uint32_t version;
	int rc;

	memset(sb, 0, sizeof(*sb));
	if (len < VERITY_SB_SIZE)
		return err_fail(err, -ENODATA, "truncated: %zu bytes, shorter than a verity superblock", len);
	if (memcmp(buf, SB_SIGNATURE, 8))
		return err_fail(err, -EINVAL, "no verity superblock (no 'verity' signature)");
	if ((version = le32(buf + SB_VERSION)) != 1)
		return err_fail(err, -EINVAL, "verity superblock version %u (nfsinit reads 1)", version);
	sb->hash_type = le32(buf + SB_HASH_TYPE);
	if (sb->hash_type > 1)
		return err_fail(err, -EINVAL, "verity hash type %u (0 or 1)", sb->hash_type);
	if ((rc = sb_algorithm(buf + SB_ALGORITHM, sb, err)))
		return rc;
	sb->data_block_size = le32(buf + SB_DATA_BS);
	sb->hash_block_size = le32(buf + SB_HASH_BS);
	if (!block_size_ok(sb->data_block_size) || !block_size_ok(sb->hash_block_size))
		return err_fail(err, -EINVAL, "verity block sizes %u/%u (powers of two, 512 to 4096)",
			       sb->data_block_size, sb->hash_block_size);
	sb->data_blocks = le64(buf + SB_DATA_BLOCKS);
	/* the device's length in sectors and in bytes must stay within 63 bits */
	if (sb->data_blocks == 0 || sb->data_blocks > (UINT64_MAX >> 1) / sb->data_block_size)
		return err_fail(err, -EINVAL, "verity superblock says %llu data blocks",
			       (unsigned long long)sb->data_blocks);
	sb->salt_size = le16(buf + SB_SALT_SIZE);
	if (sb->salt_size > VERITY_SALT_MAX)
		return err_fail(err, -EINVAL, "verity salt of %u bytes (at most %d)", sb->salt_size, VERITY_SALT_MAX);
	memcpy(sb->salt, buf + SB_SALT, sb->salt_size);
	return 0;
}

/* The kernel's own arithmetic (dm-verity-target.c, verity_ctr): hashes per
 * block a power of two, levels until one block holds the top, each level
 * rounded up. */
static uint64_t tree_blocks(const struct verity_sb *sb)
{
	unsigned bits = 0, levels = 0;
	uint64_t total = 0;

	while ((2u << bits) <= sb->hash_block_size / sb->digest_size)
		bits++;
	while (bits * levels < 64 && (sb->data_blocks - 1) >> (bits * levels))
		levels++;
	for (unsigned i = 0; i < levels; i++) {
		unsigned shift = (i + 1) * bits;
		total += shift >= 64 ? 1 : (sb->data_blocks + (1ULL << shift) - 1) >> shift;
	}
	return total;
}

int verity_tree_span(const struct verity_sb *sb, uint64_t sb_offset, uint64_t *start_block, uint64_t *end)
{
	uint64_t hbs = sb->hash_block_size, blocks = tree_blocks(sb);

	if (sb_offset > UINT64_MAX / 2)
		return -EOVERFLOW;
	/* cryptsetup: the tree begins at the first hash block after the superblock */
	*start_block = (sb_offset + VERITY_SB_SIZE + hbs - 1) / hbs;
	if (*start_block + blocks > (UINT64_MAX >> 1) / hbs)
		return -EOVERFLOW;
	*end = (*start_block + blocks) * hbs;
	return 0;
}

uint64_t verity_sectors(const struct verity_sb *sb)
{
	return sb->data_blocks * (sb->data_block_size / 512);
}

int verity_target_params(const struct verity_target *t, char *out, size_t cap)
{
	static const char *const opt[] = { "", " 1 restart_on_corruption", " 1 panic_on_corruption" };
	const struct verity_sb *sb = t->sb;
	char salt[2 * VERITY_SALT_MAX + 1] = "-";
	int n;

	for (unsigned i = 0; i < sb->salt_size; i++)
		snprintf(salt + 2 * i, 3, "%02x", sb->salt[i]);
	n = snprintf(out, cap, "%u %s %s %u %u %llu %llu %s %s %s%s", sb->hash_type, t->data_dev, t->hash_dev,
		     sb->data_block_size, sb->hash_block_size, (unsigned long long)sb->data_blocks,
		     (unsigned long long)t->hash_start_block, sb->algorithm, t->root_hash, salt,
		     opt[t->oncorrupt <= VERITY_ONCORRUPT_PANIC ? t->oncorrupt : 0]);
	return n < 0 || (size_t)n >= cap ? -ENOSPC : 0;
}

static size_t align8(size_t n) { return (n + 7) & ~(size_t)7; }

int dm_request_build(void *buf, size_t cap, const char *name, uint32_t flags, const char *target_type,
		     uint64_t sectors, const char *params, size_t *used)
{
	struct dm_ioctl *io = buf;
	struct dm_target_spec *spec;
	size_t total = sizeof(*io), plen = 0;

	if (strlen(name) >= sizeof(io->name) || (target_type && strlen(target_type) >= sizeof(spec->target_type)))
		return -ENAMETOOLONG;
	if (target_type) {
		plen = strlen(params) + 1;
		total += align8(sizeof(*spec) + plen);
	}
	if (cap < total || total > UINT32_MAX)
		return -ENOSPC;
	memset(buf, 0, total);
	io->version[0] = DM_VERSION_MAJOR;  /* 4.0.0: what every 4.x kernel accepts */
	io->data_size = (uint32_t)total;
	io->data_start = sizeof(*io);
	io->flags = flags;
	strcpy(io->name, name);
	if (target_type) {
		spec = (struct dm_target_spec *)(void *)((char *)buf + sizeof(*io));
		io->target_count = 1;
		spec->length = sectors;
		spec->next = (uint32_t)align8(sizeof(*spec) + plen);
		strcpy(spec->target_type, target_type);
		memcpy(spec + 1, params, plen);
	}
	*used = total;
	return 0;
}
