/* Root in RAM (nfsinit.root.ram): the image file is copied from the NFS
 * directory into a tmpfs of its own size, so that the node can drop the NFS
 * mount and run without the server (Warewulf's and xCAT's model). */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>
#include "../common/file.h"
#include "../common/log.h"

#define RAM_COPY_CHUNK   (1024 * 1024)  /* one NFS READ at the usual rsize */
#define RAM_PROGRESS_MS  1000

int ram_meminfo(uint64_t *total, uint64_t *avail)
{
	char buf[8192];
	size_t len;
	int rc = file_read("/proc/meminfo", buf, sizeof(buf), &len);
	return rc ? rc : image_meminfo(buf, len, total, avail);
}

static void log_rate(const char *what, uint64_t done, uint64_t size, long long ms, bool last)
{
	unsigned long long kbps = ms > 0 ? done / (unsigned long long)ms : 0; /* bytes per ms = kB/s */
	if (last)
		logx("root: copied %s to RAM: %llu bytes in %lld.%03lld s, %llu.%01llu MB/s", what,
		     (unsigned long long)done, ms / 1000, ms % 1000, kbps / 1000, (kbps % 1000) / 100);
	else
		logx("root: copying %s to RAM: %llu of %llu bytes (%llu%%), %llu.%01llu MB/s", what,
		     (unsigned long long)done, (unsigned long long)size,
		     (unsigned long long)(size ? done * 100 / size : 100), kbps / 1000, (kbps % 1000) / 100);
}

/* Copies size bytes; a line every second for a large image. The NFS pages
 * already copied are dropped as we go: the image is in RAM once, not twice. */
static int copy_with_progress(int src, int dst, uint64_t size, const char *what)
{
	/* mmap, not malloc: the allocator would be 8 kB of /init for this alone */
	uint8_t *buf = mmap(NULL, RAM_COPY_CHUNK, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long long t0 = uptime_ms(), next = t0 + RAM_PROGRESS_MS;
	uint64_t done = 0;
	int rc = buf != MAP_FAILED ? 0 : -ENOMEM;

	while (!rc && done < size) {
		size_t want = size - done < RAM_COPY_CHUNK ? (size_t)(size - done) : RAM_COPY_CHUNK;
		ssize_t n = read(src, buf, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -ENODATA; /* shorter than at open: changed on the server */
			break;
		}
		if ((rc = file_write_all(dst, buf, (size_t)n)))
			break;
		done += (uint64_t)n;
		if (uptime_ms() >= next) {
			log_rate(what, done, size, uptime_ms() - t0, false);
			(void)posix_fadvise(src, 0, (off_t)done, POSIX_FADV_DONTNEED);
			next = uptime_ms() + RAM_PROGRESS_MS;
		}
	}
	if (buf != MAP_FAILED)
		munmap(buf, RAM_COPY_CHUNK);
	if (!rc)
		log_rate(what, done, size, uptime_ms() - t0, true);
	(void)posix_fadvise(src, 0, 0, POSIX_FADV_DONTNEED);
	return rc;
}

/* src into a new file at NFSINIT_RAM/name; *fdp is the copy, read-only. */
static int copy_into_ram(int src, uint64_t size, const char *name, const char *what, int *fdp)
{
	char path[NI_PATH_MAX];
	int dst, rc;

	if (snprintf(path, sizeof(path), "%s/%s", NFSINIT_RAM, name) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	dst = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0400);
	rc = dst < 0 ? -errno : copy_with_progress(src, dst, size, what);
	if (dst >= 0 && close(dst) < 0 && !rc)
		rc = -errno;
	if (!rc && (*fdp = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		rc = -errno;
	if (rc)
		(void)unlink(path);
	return rc;
}

/* whole MiB and one spare: tmpfs rounds to pages, the file must fit */
static unsigned long long tmpfs_size(uint64_t size)
{
	return ((unsigned long long)(size >> 20) + 2) << 20;
}

int ram_copy(int src, uint64_t size, const char *name, const char *what, int *fdp)
{
	char opts[64], msg[256];
	int rc;

	snprintf(opts, sizeof(opts), "size=%llu,mode=0700,nr_inodes=16", tmpfs_size(size));
	(void)mkdir(NFSINIT_RAM, 0700);
	if ((rc = fs_mount("tmpfs", "nfsinit-ram", NFSINIT_RAM, opts, false, msg, sizeof(msg)))) {
		logerr(rc, "root: tmpfs %s on %s%s%s", opts, NFSINIT_RAM, msg[0] ? ": " : "", msg);
		return rc;
	}
	if ((rc = copy_into_ram(src, size, name, what, fdp)))
		(void)umount2(NFSINIT_RAM, MNT_DETACH);
	return rc;
}

int ram_copy_more(int src, uint64_t size, const char *name, const char *what, int *fdp)
{
	char opts[64];
	struct statfs sf;
	uint64_t total, avail;
	int rc;

	if ((rc = ram_meminfo(&total, &avail)))
		return rc;
	if (size + RAM_RESERVE_BYTES > avail)
		return -ENOMEM;
	if (statfs(NFSINIT_RAM, &sf) < 0)
		return -errno;
	/* the tmpfs grows by this file's size: a remount keeps what it holds */
	snprintf(opts, sizeof(opts), "size=%llu",
		 (unsigned long long)sf.f_blocks * (unsigned long long)sf.f_bsize + tmpfs_size(size));
	if (mount("nfsinit-ram", NFSINIT_RAM, NULL, MS_REMOUNT, opts) < 0)
		return -errno;
	return copy_into_ram(src, size, name, what, fdp);
}
