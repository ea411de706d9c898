/* sysfs walk for hwscan.h: /sys/bus/<bus>/devices/<dev>/modalias. */
#include "hwscan.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static int read_line(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n <= 0)
		return n < 0 ? -errno : -ENODATA;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf[0] ? 0 : -ENODATA;
}

static int scan_bus(const char *root, const char *bus, void (*fn)(const char *, void *), void *ctx)
{
	char path[PATH_MAX], alias[MOD_SCAN_ALIAS_MAX];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	if (snprintf(path, sizeof(path), "%s/%s/devices", root, bus) >= (int)sizeof(path) ||
	    !(dir = opendir(path)))
		return 0;
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		if (snprintf(path, sizeof(path), "%s/%s/devices/%s/modalias", root, bus, d->d_name) >=
		    (int)sizeof(path))
			continue;
		if (read_line(path, alias, sizeof(alias)) == 0) {
			fn(alias, ctx);
			n++;
		}
	}
	closedir(dir);
	return n;
}

int mod_scan_modaliases(const char *root, void (*fn)(const char *modalias, void *ctx), void *ctx)
{
	DIR *dir = opendir(root);
	struct dirent *d;
	int n = 0;

	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			n += scan_bus(root, d->d_name, fn, ctx);
	closedir(dir);
	return n;
}
