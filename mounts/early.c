/* The API filesystems every later stage needs. devtmpfs gives us /dev/console
 * and the NIC nodes without a device manager. */
#include "mounts.h"

#include <errno.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include "../common/log.h"

struct early_mount {
	const char *fstype, *target, *options;
	unsigned long flags;
};

static const struct early_mount early[] = {
	{ "proc", "/proc", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "sysfs", "/sys", NULL, MS_NOSUID | MS_NODEV | MS_NOEXEC },
	{ "devtmpfs", "/dev", "mode=0755", MS_NOSUID },
	{ "tmpfs", "/run", "mode=0755,size=10%", MS_NOSUID | MS_NODEV },
};

int mounts_early(void)
{
	int first_err = 0;
	for (size_t i = 0; i < sizeof(early) / sizeof(early[0]); i++) {
		const struct early_mount *m = &early[i];
		(void)mkdir(m->target, 0755);
		if (mount(m->fstype, m->target, m->fstype, m->flags, m->options) < 0 && errno != EBUSY) {
			int err = errno;
			/* The console may not be open yet; log anyway, it is kept in memory. */
			logerr(err, "early: mount %s on %s", m->fstype, m->target);
			if (!first_err)
				first_err = -err;
		}
	}
	return first_err;
}
