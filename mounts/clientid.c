#include "clientid.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "../common/mac.h"

int clientid_format(const uint8_t mac[6], char *buf, size_t cap)
{
	char m[MAC_TEXT_MAX];
	int n = snprintf(buf, cap, "nfsinit-%s", mac_format(mac, ':', m));
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
