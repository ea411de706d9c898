#include "clientid.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int clientid_format(const uint8_t mac[6], char *buf, size_t cap)
{
	int n = snprintf(buf, cap, "nfsinit-%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3],
			 mac[4], mac[5]);
	return n < 0 || (size_t)n >= cap ? -ENOBUFS : n;
}

int clientid_set(const char *param, const char *id)
{
	size_t len = strlen(id);
	int rc = 0, fd = open(param, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, id, len) != (ssize_t)len)
		rc = errno ? -errno : -EIO;
	if (close(fd) < 0 && !rc)
		rc = -errno;
	return rc;
}
