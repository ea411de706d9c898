/* Root from an image file on the NFS export: the file's directory is mounted
 * read-only at NFSINIT_IMAGEDIR; here the file is checked, attached read-only
 * to a loop device and mounted as squashfs or EROFS, the overlay's lower
 * layer. Every loop ioctl lives in this file. */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>
#include <linux/loop.h>
#include "../common/log.h"

#define LOOP_CONTROL       "/dev/loop-control"
#define LOOP_CONTROL_MAJOR 10
#define LOOP_CONTROL_MINOR 237
#define LOOP_TRIES         8     /* another process may take the free device first */
#define NODE_WAIT_MS       2000  /* devtmpfs creates /dev/loopN, /dev/dm-N as the device appears */

#ifndef LOOP_CONFIGURE
#define LOOP_CONFIGURE 0x4C0A   /* Linux 5.8 */
struct loop_config {
	__u32 fd;
	__u32 block_size;
	struct loop_info64 info;
	__u64 __reserved[8];
};
#endif

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int image_read_at(int fd, uint64_t off, uint8_t *buf, size_t cap, size_t *got)
{
	ssize_t n;
	*got = 0;
	while (*got < cap && (n = pread(fd, buf + *got, cap - *got, (off_t)(off + *got))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		*got += (size_t)n;
	}
	return 0;
}

int image_open_file(const char *dir, const char *name, int *fdp, struct stat *st, struct err_reason *err)
{
	char path[NI_PATH_MAX];
	struct stat dst;
	int fd, rc = snprintf(path, sizeof(path), "%s/%s", dir, name);

	if (rc < 0 || (size_t)rc >= sizeof(path))
		return err_fail(err, -ENAMETOOLONG, "path too long");
	if (stat(dir, &dst) < 0)
		return err_fail(err, -errno, "cannot stat its directory: %s", strerror(errno));
	/* O_NONBLOCK: a FIFO on the export must not stall the boot in open(). */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return err_fail(err, -errno, "cannot open it: %s", strerror(errno));
	if (fstat(fd, st) < 0)
		rc = err_fail(err, -errno, "cannot stat it: %s", strerror(errno));
	else if (!S_ISREG(st->st_mode))
		rc = err_fail(err, -EINVAL, "not a regular file");
	else if (st->st_dev != dst.st_dev)
		rc = err_fail(err, -EXDEV, "its symlink leads out of the mounted directory");
	else
		rc = 0;
	if (rc) {
		close(fd);
		return rc;
	}
	(void)fcntl(fd, F_SETFL, 0);
	*fdp = fd;
	return 0;
}

/* Opens and checks the image; img gets its resolved name, size and type. */
static int image_open(const char *dir, const char *name, struct image_root *img, int *fdp,
		      struct err_reason *err)
{
	char link[64], path[NI_PATH_MAX];
	uint8_t head[IMAGE_PROBE_BYTES];
	struct stat st;
	size_t got = 0, dl = strlen(dir);
	ssize_t n;
	int fd = -1, rc;

	if ((rc = image_open_file(dir, name, &fd, &st, err)))
		return rc;
	/* the name the server's links led to, for the version and the facts */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	path[n > 0 ? n : 0] = '\0';
	snprintf(img->resolved, sizeof(img->resolved), "%s",
		 !strncmp(path, dir, dl) && path[dl] == '/' ? path + dl + 1 : name);
	img->size = (uint64_t)st.st_size;
	if ((rc = image_read_at(fd, 0, head, sizeof(head), &got)))
		err_fail(err, rc, "reading its first bytes: %s", strerror(-rc));
	else
		rc = image_probe(head, got, img->size, &img->info, err);
	if (rc) {
		close(fd);
		return rc;
	}
	*fdp = fd;
	return 0;
}

/* /dev/loop-control appears when the loop module is loaded; without it, a
 * node of our own makes the kernel ask for char-major-10-237 on open, which
 * the module helper answers (modules.devname lists the node for this). */
static int loop_control(void)
{
	int fd = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT &&
	    mknod(LOOP_CONTROL, S_IFCHR | 0600, makedev(LOOP_CONTROL_MAJOR, LOOP_CONTROL_MINOR)) == 0)
		fd = open(LOOP_CONTROL, O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int image_open_node(const char *dev)
{
	for (int waited = 0;; waited += 50) {
		int fd = open(dev, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT || waited >= NODE_WAIT_MS)
			return fd < 0 ? -errno : fd;
		sleep_ms(50);
	}
}

/* LOOP_CONFIGURE sets file, read-only and autoclear in one step (5.8+);
 * older kernels take LOOP_SET_FD (read-only because fd is) and then
 * LOOP_SET_STATUS64 for autoclear. */
static int loop_configure(int lfd, int fd, const char *label)
{
	struct loop_config lc;
	memset(&lc, 0, sizeof(lc));
	lc.fd = (__u32)fd;
	lc.info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR;
	/* what losetup shows; a long name is cut, it only labels the device */
	size_t n = strnlen(label, sizeof(lc.info.lo_file_name) - 1);
	memcpy(lc.info.lo_file_name, label, n);
	if (ioctl(lfd, LOOP_CONFIGURE, &lc) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOTTY)
		return -errno;
	if (ioctl(lfd, LOOP_SET_FD, fd) < 0)
		return -errno;
	if (ioctl(lfd, LOOP_SET_STATUS64, &lc.info) < 0) {
		int rc = -errno;
		(void)ioctl(lfd, LOOP_CLR_FD, 0);
		return rc;
	}
	return 0;
}

int image_loop_attach(int fd, const char *label, char *dev, size_t cap, int *lfdp)
{
	int ctl = loop_control(), rc = -EBUSY;
	if (ctl < 0)
		return ctl;
	for (int i = 0; i < LOOP_TRIES && rc == -EBUSY; i++) {
		int n = ioctl(ctl, LOOP_CTL_GET_FREE);
		if (n < 0) {
			rc = -errno;
			break;
		}
		snprintf(dev, cap, "/dev/loop%d", n);
		int lfd = image_open_node(dev);
		if (lfd < 0) {
			rc = lfd;
			break;
		}
		if (!(rc = loop_configure(lfd, fd, label)))
			*lfdp = lfd;
		else
			close(lfd);
	}
	close(ctl);
	return rc;
}

/* Takes the image into RAM when it fits: nfsinit.root.ram's limit and what
 * the kernel says is available, less a reserve. On success *fd is the copy. */
static int ram_take(int *fd, const struct image_root *img, const char *what, const char *spec)
{
	uint64_t total, avail, limit;
	unsigned long long size = (unsigned long long)img->size;
	const char *base = strrchr(img->resolved, '/');
	int rc, ramfd;

	if ((rc = ram_meminfo(&total, &avail)) || (rc = image_ram_limit(spec, total, &limit))) {
		logerr(rc, "root: nfsinit.root.ram=%s: no limit from it and /proc/meminfo; booting %s from NFS",
		       spec, what);
		return rc;
	}
	if (img->size > limit) {
		logx("root: image file %s (%llu bytes) is larger than the RAM limit nfsinit.root.ram=%s (%llu bytes); "
		     "booting from NFS", what, size, spec, (unsigned long long)limit);
		return -EFBIG;
	}
	if (img->size + RAM_RESERVE_BYTES > avail) {
		logx("root: image file %s (%llu bytes) does not fit in RAM: %llu MiB available, %llu MiB kept free; "
		     "booting from NFS", what, size, (unsigned long long)(avail >> 20), RAM_RESERVE_BYTES >> 20);
		return -ENOMEM;
	}
	if ((rc = ram_copy(*fd, img->size, base ? base + 1 : img->resolved, what, &ramfd))) {
		logerr(rc, "root: copying image file %s to RAM; booting from NFS", what);
		return rc;
	}
	close(*fd);
	*fd = ramfd;
	return 0;
}

static void log_image(const struct image_root *img, const char *what)
{
	char comp[32] = "";
	if (img->info.compressor[0])
		snprintf(comp, sizeof(comp), "%s, ", img->info.compressor);
	logx("root: image file %s: %s (%s%u KiB blocks), %llu bytes", what, img->info.fstype, comp,
	     img->info.block_size / 1024, (unsigned long long)img->size);
}

/* The image's block device: a loop device, or the verified dm-verity
 * device over it; *hold keeps it until the filesystem has it. */
static int image_device(int fd, struct image_root *img, const struct image_verity_opts *verity, const char *what,
			int *hold)
{
	int rc;
	if (verity)
		return image_verity_setup(fd, img, verity, what, hold);
	rc = image_loop_attach(fd, img->resolved, img->loopdev, sizeof(img->loopdev), hold);
	if (rc)
		logerr(rc, "root: image file %s: attaching it to a loop device (%s)", what, LOOP_CONTROL);
	return rc;
}

int image_root_mount(const char *name, const char *what, const char *ram_spec,
		     const struct image_verity_opts *verity, const char *target, struct image_root *img)
{
	struct err_reason why;
	char msg[256];
	const char *dev;
	int fd = -1, hold = -1, rc;

	memset(img, 0, sizeof(*img));
	if ((rc = image_open(NFSINIT_IMAGEDIR, name, img, &fd, &why))) {
		logx("root: image file %s: %s", what, why.msg);
		return rc;
	}
	log_image(img, what);
	if (ram_spec[0] && !ram_take(&fd, img, what, ram_spec))
		img->in_ram = true;
	rc = image_device(fd, img, verity, what, &hold);
	close(fd);
	if (rc)
		return rc;
	dev = img->verified ? img->dmdev : img->loopdev;
	(void)mkdir(target, 0755);
	/* "ro" for the superblock too: the filesystem must not open the
	 * read-only loop device for writing (EACCES). */
	rc = fs_mount(img->info.fstype, dev, target, "ro", true, msg, sizeof(msg));
	close(hold);
	if (rc) {
		logerr(rc, "root: image file %s: mounting it as %s from %s%s%s", what, img->info.fstype, dev,
		       msg[0] ? ": " : "", msg);
		if (img->verified)
			(void)dm_remove(VERITY_DM_NAME);
		return rc;
	}
	logx("root: mounted image file %s (%s on %s%s%s, read-only) on %s", what, img->info.fstype, dev,
	     img->verified ? ", verified" : "", img->in_ram ? " from RAM" : "", target);
	if (img->in_ram) {
		if (umount2(NFSINIT_IMAGEDIR, 0) < 0)
			logerr(errno, "root: unmounting %s (the node keeps a mount of the server)", NFSINIT_IMAGEDIR);
		else
			logx("root: image in RAM (%s); NFS unmounted: this node no longer needs the server",
			     NFSINIT_RAM);
	}
	return 0;
}
