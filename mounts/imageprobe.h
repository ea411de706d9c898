/* Root from an image file: what the first bytes of a squashfs or EROFS file
 * say about it, checked before the kernel ever sees the file. Pure: bytes in,
 * struct out, no I/O and no logging (unit-tested and fuzzed). */
#ifndef NFSINIT_IMAGEPROBE_H
#define NFSINIT_IMAGEPROBE_H

#include <stddef.h>
#include <stdint.h>
#include "../common/err.h"

/* Bytes to read from the start of the file: the EROFS superblock sits at 1024. */
#define IMAGE_PROBE_BYTES 2048
/* File name endings taken off the name to make a version (bookworm-2026.12.01.squashfs). */
#define IMAGE_EXTS { ".squashfs", ".sqfs", ".erofs", ".img" }

enum image_type { IMAGE_SQUASHFS = 1, IMAGE_EROFS };

struct image_info {
	enum image_type type;
	const char *fstype;        /* "squashfs" or "erofs": the kernel's name */
	const char *compressor;    /* squashfs: "gzip", "xz", "zstd", ...; EROFS: "" */
	uint32_t block_size;
	uint64_t bytes_used;       /* what the superblock says the image occupies */
	uint64_t meta_start;       /* squashfs: its tables (inodes, directories, ids) from here to
				    * bytes_used, read by every boot; EROFS: bytes_used (interleaved) */
};

/* head: the first len bytes of a file of file_size bytes. Returns 0 and fills
 * info for a squashfs 4.0 or EROFS image whose superblock is sane and whose
 * stated size fits in the file; else -EINVAL (not an image of either kind, or
 * a field out of range), -EFBIG (the image is longer than the file:
 * truncated), -ENODATA (the file is shorter than a superblock); err says
 * what is wrong. */
int image_probe(const uint8_t *head, size_t len, uint64_t file_size, struct image_info *info,
		struct err_reason *err);

/* The version a file name carries: the name less one IMAGE_EXTS ending,
 * checked as IMGVER_PATH's content is (letters, digits, . _ - + :). Returns 0,
 * -EINVAL or -ENAMETOOLONG. */
int image_name_version(const char *name, char *out, size_t cap);

/* nfsinit.root.ram=<spec>: "1" is half of mem_total, "<p>%" that share of
 * it, "<n>[k|M|G]" bytes. Returns 0 with *limit, or -EINVAL. */
int image_ram_limit(const char *spec, uint64_t mem_total, uint64_t *limit);

/* /proc/meminfo text: MemTotal and MemAvailable in bytes. -ENODATA when
 * either line is missing. */
int image_meminfo(const char *text, size_t len, uint64_t *total, uint64_t *avail);

#endif
