#include "sysfs.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "dir.h"
#include "file.h"

static int scan_bus(const char *root, const char *bus, void (*fn)(const char *, void *), void *ctx)
{
	char path[PATH_MAX], alias[SYSFS_ALIAS_MAX];
	struct dir_reader dir;
	struct dirent *d;
	int n = 0;

	if (snprintf(path, sizeof(path), "%s/%s/devices", root, bus) >= (int)sizeof(path) ||
	    dir_open(&dir, AT_FDCWD, path))
		return 0;
	while ((d = dir_next(&dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/devices/%s/modalias", root, bus, d->d_name) >=
		    (int)sizeof(path))
			continue;
		if (file_read_text(path, alias, sizeof(alias)) == 0 &&
		    (alias[strcspn(alias, "\n")] = '\0', alias[0])) {
			fn(alias, ctx);
			n++;
		}
	}
	dir_close(&dir);
	return n;
}

int sysfs_modaliases(const char *bus_root, void (*fn)(const char *modalias, void *ctx), void *ctx)
{
	struct dir_reader dir;
	struct dirent *d;
	int n = 0, rc;

	if ((rc = dir_open(&dir, AT_FDCWD, bus_root)))
		return rc;
	while ((d = dir_next(&dir)))
		if (d->d_name[0] != '.')
			n += scan_bus(bus_root, d->d_name, fn, ctx);
	dir_close(&dir);
	return n;
}
