/* Mounting for /init: early API filesystems, the NFS root, the overlay, and
 * the switch into the new root. Functions return 0 or -errno. */
#ifndef NFSINIT_MOUNTS_H
#define NFSINIT_MOUNTS_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/stat.h>
#include "nfsroot.h"
#include "imageprobe.h"
#include "verity.h"

/* Fixed places, visible in the booted system under /run because /run moves. */
#define NFSINIT_RUN      "/run/nfsinit"
#define NFSINIT_LOWER    "/run/nfsinit/lower"   /* the NFS export, read-only */
#define NFSINIT_RW       "/run/nfsinit/rw"      /* the tmpfs holding upper and work */
#define NFSINIT_NEWROOT  "/newroot"
#define NFSINIT_IMAGEDIR "/run/nfsinit/imagedir" /* root from a file: its NFS directory, read-only */
#define NFSINIT_RAM      "/run/nfsinit/ram"      /* nfsinit.root.ram: the tmpfs holding the image */
/* Root in RAM leaves this much of MemAvailable for the overlay and the system. */
#define RAM_RESERVE_BYTES (64ULL << 20)

/* One mount through fsopen/fsconfig/fsmount/move_mount so that the kernel's
 * own message ("nfs: ...") can be read back into msg; falls back to mount(2)
 * with the same text options where the new API is missing. */
int fs_mount(const char *fstype, const char *source, const char *target,
	     const char *options, bool readonly, char *msg, size_t msglen);

/* /proc, /sys, /dev (devtmpfs) and a tmpfs on /run. */
int mounts_early(void);

/* One NFS export, server:path (server an IPv4 address or a bracketed IPv6
 * one, as in the source the kernel shows), at target: walks
 * down the version ladder (4.2, 4.1, 4.0, 3; r->vers "4": its three minor
 * versions; another r->vers: only that one) with r->options, and stops early
 * when the server does not answer (nfs_unreachable). NFS_MOUNT_LOUD logs the
 * mount and the failures that matter on the console as "<who>: ...", else
 * at debug level only. Returns 0 or the last -errno; when the last version
 * found no server but an earlier one answered, that answer. */
#define NFS_MOUNT_RO    1u
#define NFS_MOUNT_LOUD  2u
int nfs_mount_export(const char *who, const struct nfs_root *r, const char *server, const char *path,
		     const char *target, unsigned flags);

/* Called before each NFS version is tried ("4.2" ... "3"), fallback true
 * when an earlier version was refused: init/ loads that version's module
 * there. NULL: none. */
void nfs_set_version_hook(void (*fn)(const char *vers, bool fallback));

/* The server did not answer at all (timeout, refused, no route). It will
 * not answer for the next NFS version either: go on to the next server (or
 * the backoff) instead of walking down the version ladder. */
static inline bool nfs_unreachable(int rc)
{
	return rc == -ETIMEDOUT || rc == -ECONNREFUSED || rc == -EHOSTUNREACH || rc == -ENETUNREACH;
}

/* Mounts r at target, read-only; vers "" tries 4.2, 4.1, 4.0 then 3
 * (and "4" the three minor versions). servers is one server or a comma
 * list (mounts/servers.h), tried in the order the MAC (NULL: none) gives; a
 * name is looked up with res (NULL: names fail) each round, within the
 * time left. The server that answered goes to used, as an address (IPv6 in
 * brackets).
 * Retries with backoff until timeout_ms, logging each failure with server,
 * path and the error. The server that answered goes to used. -ENOTDIR: the
 * path names a file (an image, see image_root_mount), nothing is mounted. */
struct nfs_resolver {
	/* Fills addr with the address of name (an IPv4 address or a bracketed
	 * IPv6 one) within timeout_ms, or returns -errno with the reason (the
	 * name and the DNS servers asked) in err. */
	int (*lookup)(void *ctx, const char *name, unsigned timeout_ms, char *addr, size_t cap,
		      struct err_reason *err);
	void *ctx;
};
int nfs_mount_root(const struct nfs_root *r, const char *servers, const uint8_t *mac, const char *client_ip,
		   const struct nfs_resolver *res, const char *target, unsigned timeout_ms, char *used,
		   size_t usedcap);

/* The root is an image file (the NFS path named a file, whose directory is
 * mounted at NFSINIT_IMAGEDIR). */
struct image_root {
	char resolved[NI_PATH_MAX];  /* its name in that directory, symlinks followed */
	char loopdev[32];
	char dmdev[32];              /* nfsinit.root.verity: the verified device, mounted instead */
	uint64_t size;
	bool in_ram;
	bool verified;
	struct image_info info;
};

/* nfsinit.root.verity: the root hash (checked with verity_root_hash_check)
 * and what a corrupt block does later. */
struct image_verity_opts {
	const char *root_hash;
	enum verity_oncorrupt oncorrupt;
};

/* Checks NFSINIT_IMAGEDIR/name is a complete squashfs or EROFS image; with
 * ram_spec (nfsinit.root.ram, "" = off) copies it into a tmpfs when it fits
 * and unmounts NFSINIT_IMAGEDIR; attaches it read-only to a loop device and
 * mounts it read-only at target; with verity (NULL = off) through a
 * dm-verity device that must verify first (image_verity_setup). what names
 * it on the console (server:path). Logs every failure; returns 0 or -errno. */
int image_root_mount(const char *name, const char *what, const char *ram_spec,
		     const struct image_verity_opts *verity, const char *target, struct image_root *img);

/* Shared by imagefile.c and imageverity.c. Opens name in dir: a regular
 * file on dir's filesystem (a symlink may lead elsewhere in the export, not
 * out of the mount); err says what is wrong. */
int image_open_file(const char *dir, const char *name, int *fdp, struct stat *st, struct err_reason *err);
/* Up to cap bytes of fd from off; *got is less at the end of the file. */
int image_read_at(int fd, uint64_t off, uint8_t *buf, size_t cap, size_t *got);
/* Opens a block device node read-only, waiting for devtmpfs to make it. */
int image_open_node(const char *dev);
/* Attaches fd read-only to a free loop device (label: what losetup shows);
 * *lfdp holds it open until a user of its own has it (autoclear detaches it
 * when the last user goes). */
int image_loop_attach(int fd, const char *label, char *dev, size_t cap, int *lfdp);

/* nfsinit.root.verity (imageverity.c): finds the hash tree of the image open
 * on fd (appended to the file, else <resolved>.verity beside it in
 * NFSINIT_IMAGEDIR; copied to RAM too when img->in_ram), checks its
 * superblock and size, puts the image on loop devices under a dm-verity
 * device (img->loopdev, img->dmdev) and reads what every boot reads through
 * it (in RAM: all of it). *dfdp holds the device open until it is mounted.
 * Logs every failure with what and what did not verify; returns 0 or
 * -errno, with nothing left behind on failure. */
int image_verity_setup(int fd, struct image_root *img, const struct image_verity_opts *vo, const char *what,
		       int *dfdp);

/* Device-mapper (dm.c): a read-only "verity" device named VERITY_DM_NAME
 * from t, live on return; dev gets its node (/dev/dm-N). Returns 0 or
 * -errno (the kernel logs why a table was refused). */
int dm_verity_create(const struct verity_target *t, char *dev, size_t cap);
/* The same device with a new table (the corruption option after the check). */
int dm_verity_reload(const struct verity_target *t);
int dm_remove(const char *name);

/* Root in RAM (ramroot.c): MemTotal and MemAvailable, in bytes. */
int ram_meminfo(uint64_t *total, uint64_t *avail);
/* Copies src (size bytes) to NFSINIT_RAM/name on a new tmpfs of that size,
 * logging progress each second; *fdp is the copy, read-only. */
int ram_copy(int src, uint64_t size, const char *name, const char *what, int *fdp);
/* One more file into that tmpfs (a hash tree beside the image), which grows
 * by its size; -ENOMEM when MemAvailable has no room for it. */
int ram_copy_more(int src, uint64_t size, const char *name, const char *what, int *fdp);

/* tmpfs of the given size (tmpfs syntax: 256M, 25%) at NFSINIT_RW, then an
 * overlay (aufs where the kernel has no overlayfs) of lower at newroot. */
int overlay_assemble(const char *lower, const char *size, const char *newroot);

/* Where the kernel has neither overlayfs nor aufs: lower bound read-only on
 * newroot, and each of the comma-separated absolute paths copied from lower
 * onto the tmpfs at NFSINIT_RW (already mounted by overlay_assemble) and
 * bound over newroot<path>. Paths the export lacks stay read-only. */
int rofallback_assemble(const char *lower, const char *newroot, const char *paths);

/* Moves /dev /proc /sys /run into newroot, empties the initramfs without
 * leaving its filesystem, makes newroot / and execs init. Returns only on
 * failure, with -errno. */
int switch_root(const char *newroot, const char *init, char *const argv[]);

/* Is init, looked up inside newroot as the new root will see it (absolute
 * symlinks resolved against newroot, ".." never above it), an executable
 * regular file? 0, -EACCES, or the lookup's -errno. */
int switch_check_init(const char *newroot, const char *init);

/* Tests turn openat2(RESOLVE_IN_ROOT) off to exercise the walk that kernels
 * before 5.6 get. */
void switch_set_openat2(bool on);

/* Deletes everything below dirfd that lives on device dev; never crosses into
 * another filesystem. Exposed for the cleanup test. */
int remove_tree_on_dev(int dirfd, dev_t dev);

#endif
