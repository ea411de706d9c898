/* nfsinit.root.verity: the image file under dm-verity before anything is
 * mounted from it. The hash tree is found (appended to the file, as
 * `veritysetup format --hash-offset=<image size>` writes it, else in
 * <image>.verity beside it), its superblock and size are checked against the
 * file, the image goes on loop devices under a read-only verity target, and
 * what every boot reads is read once through it: a wrong root hash or a
 * tree that does not match the image stops the boot here, not in the
 * middle of the root's init. */
#include "mounts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../common/log.h"

#define TREE_ALIGN        4096u             /* mksquashfs pads to 4 KiB; EROFS files are whole blocks */
#define CHECK_CHUNK       (1024 * 1024)     /* one read through the verity device */
#define CHECK_META_MAX    (64ULL << 20)     /* a squashfs's tables read at setup, at most */
#define TREE_SUFFIX       ".verity"

/* Where the hash tree of one image is. */
struct tree {
	int fd;                     /* the image's own fd when appended */
	bool appended;
	uint64_t sb_offset, file_size, start_block, end;
	char hashdev[32];
	char where[NI_PATH_MAX + 64];   /* for the console: "appended at byte N" or "<name>.verity" */
	struct verity_sb sb;
};

/* The tree beside the image, copied to RAM when the image was. */
static int open_side_tree(const struct image_root *img, const char *what, struct tree *t)
{
	char name[NI_PATH_MAX];
	struct err_reason why;
	struct stat st;
	int fd, rc;

	if (snprintf(name, sizeof(name), "%s" TREE_SUFFIX, img->resolved) >= (int)sizeof(name))
		return -ENAMETOOLONG;
	snprintf(t->where, sizeof(t->where), "hash tree file %s", name);
	if ((rc = image_open_file(NFSINIT_IMAGEDIR, name, &fd, &st, &why))) {
		if (rc == -ENOENT)
			logx("root: image file %s: dm-verity: no hash tree: nothing after the image (byte %llu) and no %s "
			     "beside it; not booting it", what, (unsigned long long)t->sb_offset, name);
		else
			logx("root: image file %s: dm-verity: %s: %s; not booting it", what, t->where, why.msg);
		return rc;
	}
	t->fd = fd;
	t->file_size = (uint64_t)st.st_size;
	t->sb_offset = 0;
	if (img->in_ram) {
		const char *base = strrchr(name, '/');
		rc = ram_copy_more(fd, t->file_size, base ? base + 1 : name, t->where, &t->fd);
		close(fd);
		if (rc)
			logerr(rc, "root: image file %s: dm-verity: copying %s to RAM; not booting it", what, name);
	}
	return rc;
}

/* Appended when the file goes on past the image, else beside it. */
static int find_tree(int fd, const struct image_root *img, const char *what, struct tree *t)
{
	uint8_t buf[VERITY_SB_SIZE];
	struct err_reason why;
	size_t got;
	int rc;

	t->sb_offset = (img->info.bytes_used + TREE_ALIGN - 1) / TREE_ALIGN * TREE_ALIGN;
	t->appended = img->size > t->sb_offset;
	if (t->appended) {
		t->fd = fd;
		t->file_size = img->size;
		snprintf(t->where, sizeof(t->where), "hash tree appended at byte %llu", (unsigned long long)t->sb_offset);
	} else if ((rc = open_side_tree(img, what, t))) {
		return rc;
	}
	if ((rc = image_read_at(t->fd, t->sb_offset, buf, sizeof(buf), &got))) {
		logerr(rc, "root: image file %s: dm-verity: reading the %s", what, t->where);
		return rc;
	}
	if ((rc = verity_sb_parse(buf, got, &t->sb, &why)))
		logx("root: image file %s: dm-verity: %s: %s; not booting it", what, t->where, why.msg);
	return rc;
}

/* What the superblock says against the file and the root hash given. */
static int check_tree(struct tree *t, const struct image_root *img, const char *root_hash, const char *what)
{
	uint64_t covered = t->sb.data_blocks * t->sb.data_block_size;
	size_t hexlen = strlen(root_hash);

	if (hexlen != 2 * t->sb.digest_size) {
		logx("root: image file %s: dm-verity: nfsinit.root.verity has %zu hexadecimal digits, the %s is %s "
		     "(%u); not booting it", what, hexlen, t->where, t->sb.algorithm, 2 * t->sb.digest_size);
		return -EINVAL;
	}
	if (covered < img->info.bytes_used || covered > img->size || (t->appended && covered > t->sb_offset)) {
		logx("root: image file %s: dm-verity: the %s covers %llu bytes, the image has %llu (a tree made for "
		     "another file?); not booting it", what, t->where, (unsigned long long)covered,
		     (unsigned long long)img->info.bytes_used);
		return -EINVAL;
	}
	if (verity_tree_span(&t->sb, t->sb_offset, &t->start_block, &t->end)) {
		logx("root: image file %s: dm-verity: the %s states an impossible size; not booting it", what, t->where);
		return -EINVAL;
	}
	if (t->end > t->file_size) {
		logx("root: image file %s: dm-verity: the %s is truncated: its superblock needs %llu bytes, the file "
		     "has %llu; not booting it", what, t->where, (unsigned long long)t->end,
		     (unsigned long long)t->file_size);
		return -EFBIG;
	}
	return 0;
}

/* The target line for this tree; the check at setup runs with plain I/O
 * errors (restart or panic on a wrong root hash would loop the node). */
static struct verity_target target_of(const struct tree *t, const struct image_root *img, const char *root_hash,
				      enum verity_oncorrupt oc)
{
	return (struct verity_target){ &t->sb, img->loopdev, t->hashdev, t->start_block, root_hash, oc };
}

/* Loop devices under the verity target; the appended tree shares the
 * image's loop device (the target reads it at the tree's offset). */
static int attach(int fd, struct tree *t, struct image_root *img, const char *root_hash, const char *what)
{
	char label[NI_PATH_MAX + sizeof(TREE_SUFFIX)];
	int lfd = -1, hfd = -1, rc;

	if ((rc = image_loop_attach(fd, img->resolved, img->loopdev, sizeof(img->loopdev), &lfd))) {
		logerr(rc, "root: image file %s: attaching it to a loop device", what);
		return rc;
	}
	snprintf(t->hashdev, sizeof(t->hashdev), "%s", img->loopdev);
	snprintf(label, sizeof(label), "%s" TREE_SUFFIX, img->resolved);
	if (!t->appended && (rc = image_loop_attach(t->fd, label, t->hashdev, sizeof(t->hashdev), &hfd)))
		logerr(rc, "root: image file %s: dm-verity: attaching the %s to a loop device", what, t->where);
	if (!rc) {
		struct verity_target vt = target_of(t, img, root_hash, VERITY_ONCORRUPT_EIO);
		if ((rc = dm_verity_create(&vt, img->dmdev, sizeof(img->dmdev))))
			logerr(rc, "root: image file %s: dm-verity: setting up %s over %s and %s (see the kernel's "
			       "device-mapper line)", what, VERITY_DM_NAME, img->loopdev, t->hashdev);
	}
	/* the verity device holds the loop devices now; without it autoclear frees them */
	close(lfd);
	if (hfd >= 0)
		close(hfd);
	return rc;
}

/* The first block in [off, off + len) that does not read, for the console. */
static uint64_t first_bad_block(int dfd, uint64_t off, size_t len, uint32_t bs, uint8_t *buf)
{
	size_t got;
	for (uint64_t b = off / bs * bs; b < off + len; b += bs)
		if (image_read_at(dfd, b, buf, bs, &got))
			return b;
	return off;
}

/* Reads [off, end) through the verity device; EIO is a block that did not verify. */
static int read_through(int dfd, uint64_t off, uint64_t end, const struct tree *t, const char *root_hash,
			const char *what)
{
	/* mmap, not malloc: the allocator would be 8 kB of /init for this alone */
	uint8_t *buf = mmap(NULL, CHECK_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int rc = buf != MAP_FAILED ? 0 : -errno;

	for (size_t got; !rc && off < end; off += got) {
		size_t want = end - off < CHECK_CHUNK ? (size_t)(end - off) : CHECK_CHUNK;
		if (!(rc = image_read_at(dfd, off, buf, want, &got)) && got < want)
			rc = -ENODATA;
		if (rc == -EIO) {
			uint64_t bad = first_bad_block(dfd, off, want, t->sb.data_block_size, buf);
			logx("root: image file %s: dm-verity: block at byte %llu did not verify against root hash %s "
			     "(%s): %s; not booting it", what, (unsigned long long)bad, root_hash, t->where,
			     bad == 0 ? "wrong root hash, or the image or its hash tree changed"
				      : "the image differs from its hash tree");
		} else if (rc) {
			logerr(rc, "root: image file %s: dm-verity: reading bytes %llu-%llu through it", what,
			       (unsigned long long)off, (unsigned long long)(off + want));
		}
	}
	if (buf != MAP_FAILED)
		munmap(buf, CHECK_CHUNK);
	return rc;
}

/* The first block (the superblock mounted from), the squashfs tables every
 * lookup reads; in RAM, all of it (it is there now, and nothing reads the
 * server later). The verified head must say what the raw one said. */
static int verify_reads(int dfd, const struct image_root *img, const struct tree *t, const char *root_hash,
			const char *what, uint64_t *checked)
{
	uint64_t data = t->sb.data_blocks * t->sb.data_block_size, meta = img->info.meta_start;
	uint8_t head[IMAGE_PROBE_BYTES];
	struct image_info again;
	size_t got;
	int rc;

	if (img->in_ram)
		return *checked = data, read_through(dfd, 0, data, t, root_hash, what);
	if ((rc = read_through(dfd, 0, t->sb.data_block_size, t, root_hash, what)))
		return rc;
	if (img->info.bytes_used - meta > CHECK_META_MAX)
		meta = img->info.bytes_used - CHECK_META_MAX;
	if ((rc = read_through(dfd, meta, img->info.bytes_used, t, root_hash, what)))
		return rc;
	*checked = t->sb.data_block_size + img->info.bytes_used - meta;
	if ((rc = image_read_at(dfd, 0, head, sizeof(head), &got)) ||
	    (rc = image_probe(head, got, data, &again, NULL)) || again.type != img->info.type ||
	    again.bytes_used != img->info.bytes_used) {
		logx("root: image file %s: dm-verity: the verified superblock differs from the file's; not booting it",
		     what);
		return rc ? rc : -EINVAL;
	}
	return 0;
}

/* After the check: restart or panic on corruption from now on. */
static int set_oncorrupt(const struct tree *t, const struct image_root *img, const struct image_verity_opts *vo,
			 const char *what)
{
	struct verity_target vt = target_of(t, img, vo->root_hash, vo->oncorrupt);
	int rc = vo->oncorrupt == VERITY_ONCORRUPT_EIO ? 0 : dm_verity_reload(&vt);
	if (rc)
		logerr(rc, "root: image file %s: dm-verity: nfsinit.root.verity.oncorrupt=%s", what,
		       verity_oncorrupt_name(vo->oncorrupt));
	return rc;
}

int image_verity_setup(int fd, struct image_root *img, const struct image_verity_opts *vo, const char *what,
		       int *dfdp)
{
	struct tree t = { .fd = -1 };
	long long t0 = uptime_ms();
	uint64_t checked = 0;
	int dfd = -1, rc;

	if (!(rc = find_tree(fd, img, what, &t)) && !(rc = check_tree(&t, img, vo->root_hash, what)) &&
	    !(rc = attach(fd, &t, img, vo->root_hash, what))) {
		if ((dfd = image_open_node(img->dmdev)) < 0)
			logerr(rc = dfd, "root: image file %s: dm-verity: opening %s", what, img->dmdev);
		else if (!(rc = verify_reads(dfd, img, &t, vo->root_hash, what, &checked)))
			rc = set_oncorrupt(&t, img, vo, what);
		if (rc) {
			if (dfd >= 0)
				close(dfd);
			(void)dm_remove(VERITY_DM_NAME);
		}
	}
	if (t.fd >= 0 && t.fd != fd)
		close(t.fd);
	if (rc)
		return rc;
	long long ms = uptime_ms() - t0;
	logx("root: image file %s: dm-verity: root hash %s verified (%s, %s, %llu bytes read in %lld.%03lld s) on %s; "
	     "a block that does not verify later: %s", what, vo->root_hash, t.where, t.sb.algorithm,
	     (unsigned long long)checked, ms / 1000, ms % 1000, img->dmdev,
	     vo->oncorrupt == VERITY_ONCORRUPT_EIO ? "I/O error" : verity_oncorrupt_name(vo->oncorrupt));
	img->verified = true;
	*dfdp = dfd;
	return 0;
}
