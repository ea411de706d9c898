#include "imageprobe.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include "imgver.h"
#include "../common/le.h"

/* squashfs 4.0 superblock (fs/squashfs/squashfs_fs.h), little-endian. */
#define SQFS_MAGIC        0x73717368u   /* "hsqs" */
#define SQFS_SB_SIZE      96
#define SQFS_BLOCK_MIN    4096u
#define SQFS_BLOCK_MAX    (1024u * 1024u)
/* EROFS superblock at byte 1024 (fs/erofs/erofs_fs.h). */
#define EROFS_SB_OFFSET   1024
#define EROFS_MAGIC       0xE0F5E1E2u
#define EROFS_SB_SIZE     128

static const char *sqfs_compressor(uint16_t id)
{
	static const char *const names[] = { "", "gzip", "lzma", "lzo", "xz", "lz4", "zstd" };
	return id >= 1 && id < sizeof(names) / sizeof(names[0]) ? names[id] : NULL;
}

static int probe_squashfs(const uint8_t *sb, uint64_t file_size, struct image_info *info, struct err_reason *err)
{
	uint32_t bs = le32(sb + 12);
	uint16_t comp = le16(sb + 20), blog = le16(sb + 22), major = le16(sb + 28), minor = le16(sb + 30);
	uint64_t used = le64(sb + 40);
	/* id, inode and directory tables lie inside the image; the others may be
	 * absent (all ones). */
	static const int tables[] = { 48, 64, 72 };

	if (major != 4 || minor != 0)
		return err_fail(err, -EINVAL, "squashfs version %u.%u, the kernel reads 4.0", major, minor);
	if (bs < SQFS_BLOCK_MIN || bs > SQFS_BLOCK_MAX || (bs & (bs - 1)) || blog > 31 || (1u << blog) != bs)
		return err_fail(err, -EINVAL, "corrupt squashfs superblock (block size %u, log %u)", bs, blog);
	if (!sqfs_compressor(comp))
		return err_fail(err, -EINVAL, "corrupt squashfs superblock (compressor id %u)", comp);
	if (used < SQFS_SB_SIZE)
		return err_fail(err, -EINVAL, "corrupt squashfs superblock (bytes_used %llu)",
			       (unsigned long long)used);
	if (used > file_size)
		return err_fail(err, -EFBIG, "truncated: the squashfs superblock says %llu bytes, the file has %llu",
			       (unsigned long long)used, (unsigned long long)file_size);
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		if (le64(sb + tables[i]) >= used)
			return err_fail(err, -EINVAL, "corrupt squashfs superblock (table at byte %d points past the image)",
				       tables[i]);
	info->type = IMAGE_SQUASHFS;
	info->fstype = "squashfs";
	info->compressor = sqfs_compressor(comp);
	info->block_size = bs;
	info->bytes_used = used;
	info->meta_start = le64(sb + 64);
	return 0;
}

static int probe_erofs(const uint8_t *sb, uint64_t file_size, struct image_info *info, struct err_reason *err)
{
	unsigned bits = sb[12];
	uint64_t blocks = le32(sb + 36);
	uint16_t extra = le16(sb + 86);

	if (bits < 9 || bits > 16)
		return err_fail(err, -EINVAL, "corrupt EROFS superblock (block size 2^%u)", bits);
	if (blocks == 0)
		return err_fail(err, -EINVAL, "corrupt EROFS superblock (0 blocks)");
	if (extra)
		return err_fail(err, -EINVAL, "EROFS image needs %u extra device(s); only single files boot", extra);
	if (blocks << bits > file_size)
		return err_fail(err, -EFBIG, "truncated: the EROFS superblock says %llu bytes, the file has %llu",
			       (unsigned long long)(blocks << bits), (unsigned long long)file_size);
	info->type = IMAGE_EROFS;
	info->fstype = "erofs";
	info->compressor = "";
	info->block_size = 1u << bits;
	info->bytes_used = blocks << bits;
	info->meta_start = info->bytes_used;
	return 0;
}

int image_probe(const uint8_t *head, size_t len, uint64_t file_size, struct image_info *info,
		struct err_reason *err)
{
	memset(info, 0, sizeof(*info));
	if (len > file_size)
		len = (size_t)file_size;
	if (len >= 4 && le32(head) == SQFS_MAGIC) {
		if (len < SQFS_SB_SIZE)
			return err_fail(err, -ENODATA, "truncated: %zu bytes, shorter than a squashfs superblock", len);
		return probe_squashfs(head, file_size, info, err);
	}
	if (len >= EROFS_SB_OFFSET + 4 && le32(head + EROFS_SB_OFFSET) == EROFS_MAGIC) {
		if (len < EROFS_SB_OFFSET + EROFS_SB_SIZE)
			return err_fail(err, -ENODATA, "truncated: %zu bytes, shorter than an EROFS superblock", len);
		return probe_erofs(head + EROFS_SB_OFFSET, file_size, info, err);
	}
	if (len < EROFS_SB_OFFSET + 4)
		return err_fail(err, len ? -EINVAL : -ENODATA,
			       "not a squashfs or EROFS image (%zu bytes, no squashfs magic 'hsqs' at 0)", len);
	return err_fail(err, -EINVAL,
		       "not a squashfs or EROFS image (no 'hsqs' at byte 0, no EROFS magic at byte 1024)");
}

int image_name_version(const char *name, char *out, size_t cap)
{
	static const char *const exts[] = IMAGE_EXTS;
	size_t n = strlen(name);

	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		size_t e = strlen(exts[i]);
		if (n > e && !strcmp(name + n - e, exts[i])) {
			n -= e;
			break;
		}
	}
	if (memchr(name, '\n', n))
		return -EINVAL;
	int rc = imgver_parse(name, n, out, cap);
	return rc == -ENODATA ? -EINVAL : rc;
}

int image_ram_limit(const char *spec, uint64_t mem_total, uint64_t *limit)
{
	const char *p = spec;
	uint64_t v = 0;

	while (*p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (p == spec || v == 0)
		return -EINVAL;
	if (!strcmp(spec, "1")) {
		*limit = mem_total / 2;
		return 0;
	}
	if (*p == '%') {
		if (p[1] || v > 100)
			return -EINVAL;
		*limit = mem_total / 100 * v;
		return 0;
	}
	unsigned shift = 0;
	if (*p == 'k' || *p == 'K')
		shift = 10;
	else if (*p == 'm' || *p == 'M')
		shift = 20;
	else if (*p == 'g' || *p == 'G')
		shift = 30;
	if ((shift && p[1]) || (!shift && *p) || v > (UINT64_MAX >> shift))
		return -EINVAL;
	*limit = v << shift;
	return 0;
}

/* "Key:   123 kB" at the start of a line. */
static bool meminfo_field(const char *text, size_t len, const char *key, uint64_t *out)
{
	size_t kl = strlen(key);
	for (size_t i = 0; i + kl < len; i++) {
		if ((i && text[i - 1] != '\n') || memcmp(text + i, key, kl))
			continue;
		uint64_t v = 0;
		size_t j = i + kl;
		bool digits = false;
		while (j < len && text[j] == ' ')
			j++;
		while (j < len && text[j] >= '0' && text[j] <= '9' && v < UINT64_MAX / 1024 / 10) {
			v = v * 10 + (uint64_t)(text[j++] - '0');
			digits = true;
		}
		if (!digits)
			return false;
		*out = v * 1024;
		return true;
	}
	return false;
}

int image_meminfo(const char *text, size_t len, uint64_t *total, uint64_t *avail)
{
	if (!meminfo_field(text, len, "MemTotal:", total) || !meminfo_field(text, len, "MemAvailable:", avail))
		return -ENODATA;
	return 0;
}
