/* Device-mapper for /init: one read-only "verity" device from a table line,
 * through the ioctls of /dev/mapper/control (no dmsetup, no libdevmapper).
 * Every dm ioctl lives in this file; the requests are built by
 * dm_request_build (verity.c, unit-tested). */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include <linux/dm-ioctl.h>

#define DM_CONTROL       "/dev/mapper/control"
#define DM_CONTROL_MAJOR 10
#define DM_CONTROL_MINOR 236
#define DM_REQ_MAX       (sizeof(struct dm_ioctl) + sizeof(struct dm_target_spec) + VERITY_PARAMS_MAX + 8)

/* As /dev/loop-control: a node of our own makes the kernel ask for
 * char-major-10-236, which the module helper answers with dm-mod. */
static int dm_control(void)
{
	int fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		(void)mkdir("/dev/mapper", 0755);
		if (mknod(DM_CONTROL, S_IFCHR | 0600, makedev(DM_CONTROL_MAJOR, DM_CONTROL_MINOR)) == 0 ||
		    errno == EEXIST)
			fd = open(DM_CONTROL, O_RDWR | O_CLOEXEC);
	}
	return fd < 0 ? -errno : fd;
}

/* One request; the kernel's answer comes back in the same buffer. */
static int dm_call(int ctl, unsigned long cmd, const char *name, uint32_t flags, const char *type,
		   uint64_t sectors, const char *params, struct dm_ioctl *answer)
{
	static uint64_t buf[DM_REQ_MAX / 8 + 1];
	size_t used;
	int rc = dm_request_build(buf, sizeof(buf), name, flags, type, sectors, params, &used);
	if (rc)
		return rc;
	if (ioctl(ctl, cmd, buf) < 0)
		return -errno;
	if (answer)
		memcpy(answer, buf, sizeof(*answer));
	return 0;
}

/* Loads t into the device's inactive slot; resuming swaps it in. dm-verity
 * refuses a writable table. */
static int load_and_resume(int ctl, const struct verity_target *t)
{
	char params[VERITY_PARAMS_MAX];
	int rc = verity_target_params(t, params, sizeof(params));
	if (!rc)
		rc = dm_call(ctl, DM_TABLE_LOAD, VERITY_DM_NAME, DM_READONLY_FLAG, "verity", verity_sectors(t->sb),
			     params, NULL);
	if (!rc)
		rc = dm_call(ctl, DM_DEV_SUSPEND, VERITY_DM_NAME, 0, NULL, 0, NULL, NULL);
	return rc;
}

int dm_verity_create(const struct verity_target *t, char *dev, size_t cap)
{
	struct dm_ioctl io;
	int ctl, rc;

	if ((ctl = dm_control()) < 0)
		return ctl;
	if (!(rc = dm_call(ctl, DM_DEV_CREATE, VERITY_DM_NAME, DM_READONLY_FLAG, NULL, 0, NULL, &io))) {
		if ((rc = load_and_resume(ctl, t)))
			(void)dm_call(ctl, DM_DEV_REMOVE, VERITY_DM_NAME, 0, NULL, 0, NULL, NULL);
		else
			snprintf(dev, cap, "/dev/dm-%u", minor((dev_t)io.dev));
	}
	close(ctl);
	return rc;
}

int dm_verity_reload(const struct verity_target *t)
{
	int ctl = dm_control(), rc;
	if (ctl < 0)
		return ctl;
	rc = load_and_resume(ctl, t);
	close(ctl);
	return rc;
}

int dm_remove(const char *name)
{
	int ctl = dm_control(), rc;
	if (ctl < 0)
		return ctl;
	rc = dm_call(ctl, DM_DEV_REMOVE, name, 0, NULL, 0, NULL, NULL);
	close(ctl);
	return rc;
}
