/* libFuzzer: the verity superblock read from the export (appended to the
 * image file or in <image>.verity), and what /init builds from it: the
 * tree's span, the target line and the device-mapper request. The first 8
 * bytes are the superblock's offset in its file, then the superblock; its
 * tail doubles as a root hash parameter. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/dm-ioctl.h>
#include "../../mounts/verity.h"

static void check_built(const struct verity_sb *sb, uint64_t off, const char *root)
{
	uint64_t start, end;
	char line[VERITY_PARAMS_MAX];
	static uint64_t req[(sizeof(struct dm_ioctl) + sizeof(struct dm_target_spec) + VERITY_PARAMS_MAX) / 8 + 2];
	size_t used;

	if (verity_tree_span(sb, off, &start, &end) == 0 &&
	    (start * sb->hash_block_size < off || end < start * sb->hash_block_size || end > UINT64_MAX / 2))
		__builtin_trap();
	struct verity_target t = { sb, "/dev/loop0", "/dev/loop1", start, root, VERITY_ONCORRUPT_PANIC };
	/* any accepted superblock and root hash make a line that fits */
	if (verity_target_params(&t, line, sizeof(line)) != 0 || !memchr(line, '\0', sizeof(line)))
		__builtin_trap();
	if (dm_request_build(req, sizeof(req), VERITY_DM_NAME, DM_READONLY_FLAG, "verity", verity_sectors(sb), line,
			     &used) != 0 || used % 8 || used > sizeof(req))
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t off = 0;
	struct verity_sb sb;
	struct err_reason why;
	char root[VERITY_HEX_MAX] = "08ab5d32bd82eaa077241a0d7f9b20648cd74a4f214641966868f313783de872";

	if (size >= 8) {
		memcpy(&off, data, 8);
		data += 8;
		size -= 8;
	}
	off &= ~(uint64_t)511;   /* veritysetup: a multiple of 512 */
	if (size > VERITY_SB_SIZE) {
		size_t n = size - VERITY_SB_SIZE < VERITY_HEX_MAX - 1 ? size - VERITY_SB_SIZE : VERITY_HEX_MAX - 1;
		char text[VERITY_HEX_MAX];
		memcpy(text, data + VERITY_SB_SIZE, n);
		text[n] = '\0';
		int digest = verity_root_hash_check(text, &why);
		if (digest > 0 && (strlen(text) != 2 * (size_t)digest || strspn(text, "0123456789abcdefABCDEF") != strlen(text)))
			__builtin_trap();
		if (digest > 0)
			memcpy(root, text, strlen(text) + 1);
	}
	if (verity_sb_parse(data, size, &sb, &why) != 0) {
		if (!memchr(why.msg, '\0', sizeof(why.msg)))
			__builtin_trap();
		return 0;
	}
	if (sb.salt_size > VERITY_SALT_MAX || !sb.digest_size || sb.data_block_size < 512 ||
	    sb.data_block_size > 4096 || (sb.hash_block_size & (sb.hash_block_size - 1)) || !sb.data_blocks ||
	    !memchr(sb.algorithm, '\0', sizeof(sb.algorithm)))
		__builtin_trap();
	check_built(&sb, off, root);
	return 0;
}
