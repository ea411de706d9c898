/* dm-verity over the image-file root (nfsinit.root.verity): the pure half.
 * The root hash given on the command line, the superblock veritysetup
 * writes in front of the hash tree, the size the tree must have, the
 * "verity" target line and the device-mapper ioctl request that carries it.
 * Bytes in, structs and text out: no I/O and no logging (unit-tested and
 * fuzzed). The ioctls themselves are in mounts/dm.c. */
#ifndef NFSINIT_VERITY_H
#define NFSINIT_VERITY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

#define VERITY_SB_SIZE     512   /* struct verity_sb of cryptsetup's lib/verity */
#define VERITY_DIGEST_MAX  64    /* sha512 */
#define VERITY_HEX_MAX     (2 * VERITY_DIGEST_MAX + 1)
#define VERITY_SALT_MAX    256
#define VERITY_BLOCK_MIN   512
#define VERITY_BLOCK_MAX   4096  /* dm-verity: at most PAGE_SIZE */
#define VERITY_PARAMS_MAX  1024  /* the target line: two 128-hex-digit hashes and a 512-digit salt fit */
#define VERITY_DM_NAME     "nfsinit-root"

/* nfsinit.root.verity.oncorrupt: what dm-verity does when a block read
 * later does not match (its own optional arguments). */
enum verity_oncorrupt { VERITY_ONCORRUPT_EIO = 0, VERITY_ONCORRUPT_RESTART, VERITY_ONCORRUPT_PANIC };

struct verity_sb {
	uint32_t hash_type;          /* 1: normal; 0: Chrome OS (salt after the data) */
	char algorithm[32];          /* "sha256" */
	unsigned digest_size;        /* bytes of one hash of that algorithm */
	uint32_t data_block_size, hash_block_size;
	uint64_t data_blocks;
	uint16_t salt_size;
	uint8_t salt[VERITY_SALT_MAX];
};

/* The root hash as given: hexadecimal digits only, 40, 64 or 128 of them
 * (sha1, sha256, sha512). Returns the digest size in bytes, or -EINVAL with
 * err saying what is wrong. */
int verity_root_hash_check(const char *hex, struct err_reason *err);

/* "eio", "restart" or "panic"; -EINVAL otherwise. */
int verity_oncorrupt_parse(const char *s, enum verity_oncorrupt *out);
const char *verity_oncorrupt_name(enum verity_oncorrupt oc);

/* The superblock: the first len bytes at the hash tree's offset. 0, or
 * -ENODATA (shorter than a superblock), -EINVAL (not one, or a field the
 * kernel would refuse), with err saying which. */
int verity_sb_parse(const uint8_t *buf, size_t len, struct verity_sb *sb, struct err_reason *err);

/* Where the tree starts and ends on the hash device when its superblock is
 * at byte sb_offset (a multiple of 512): *start_block in hash blocks, as the
 * target line wants it, and *end the bytes the device must have. -EOVERFLOW
 * for sizes no file has. */
int verity_tree_span(const struct verity_sb *sb, uint64_t sb_offset, uint64_t *start_block, uint64_t *end);

/* The "verity" target's parameters (the kernel's verity.rst):
 * <version> <data dev> <hash dev> <data bs> <hash bs> <data blocks>
 * <hash start> <algorithm> <root hash> <salt|-> [1 restart_on_corruption|
 * panic_on_corruption]. -ENOSPC when it does not fit in cap. */
struct verity_target {
	const struct verity_sb *sb;
	const char *data_dev, *hash_dev;  /* "/dev/loop0" */
	uint64_t hash_start_block;
	const char *root_hash;            /* checked by verity_root_hash_check */
	enum verity_oncorrupt oncorrupt;
};
int verity_target_params(const struct verity_target *t, char *out, size_t cap);

/* The data device's length in 512-byte sectors. */
uint64_t verity_sectors(const struct verity_sb *sb);

/* One device-mapper ioctl request in buf: struct dm_ioctl (interface 4.0.0)
 * for device name with flags, followed, when target_type is not NULL, by one
 * dm_target_spec covering sectors [0, sectors) and its NUL-terminated
 * params. *used is what the header's data_size says. -ENAMETOOLONG for a
 * name or type the kernel's fields cannot hold, -ENOSPC when buf is short. */
int dm_request_build(void *buf, size_t cap, const char *name, uint32_t flags, const char *target_type,
		     uint64_t sectors, const char *params, size_t *used);

#endif
