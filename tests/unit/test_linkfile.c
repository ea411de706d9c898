/* The .link file that keeps the root NIC's name (netcfg/linkfile.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../netcfg/linkfile.h"

static struct net_lease lease(const char *ifname)
{
	struct net_lease l;
	memset(&l, 0, sizeof(l));
	snprintf(l.ifname, sizeof(l.ifname), "%s", ifname);
	memcpy(l.mac, "\x52\x54\x00\x88\x01\x0a", 6);
	return l;
}

static void test_render(void **s)
{
	(void)s;
	struct net_lease l = lease("eth0");
	char buf[512];
	int n = linkfile_render(&l, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	assert_non_null(strstr(buf, "\n[Match]\nMACAddress=52:54:00:88:01:0a\nType=ether\n"));
	assert_non_null(strstr(buf, "\n[Link]\nNamePolicy=\nName=eth0\n"));
	/* every line is a comment, a section, a key=value or empty */
	for (char *line = buf; *line;) {
		char *nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(line[0] == '#' || line[0] == '[' || line == nl || memchr(line, '=', (size_t)(nl - line)));
		line = nl + 1;
	}
}

static void test_render_limits(void **s)
{
	(void)s;
	struct net_lease l = lease("eth0");
	char buf[512];
	int n = linkfile_render(&l, buf, sizeof(buf));
	assert_int_equal(linkfile_render(&l, buf, (size_t)n), -ENOBUFS);   /* no room for the NUL */
	assert_int_equal(linkfile_render(&l, buf, (size_t)n + 1), n);
	l = lease("");
	assert_int_equal(linkfile_render(&l, buf, sizeof(buf)), -EINVAL);
}

static void test_path(void **s)
{
	(void)s;
	char buf[64];
	assert_int_equal(linkfile_path("enp0s3", buf, sizeof(buf)), (int)strlen("systemd/network/10-nfsinit-enp0s3.link"));
	assert_string_equal(buf, "systemd/network/10-nfsinit-enp0s3.link");
	assert_int_equal(linkfile_path("enp0s3", buf, 10), -ENAMETOOLONG);
}

static void test_write(void **s)
{
	(void)s;
	char dir[] = "/tmp/nfsinit-linkfile.XXXXXX", path[256], got[512], want[512], cmd[300];
	struct net_lease l = lease("eth1");
	FILE *f;
	size_t n;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(linkfile_write(&l, dir), 0);
	/* a second write replaces the file, and the directories already exist */
	assert_int_equal(linkfile_write(&l, dir), 0);
	snprintf(path, sizeof(path), "%s/systemd/network/10-nfsinit-eth1.link", dir);
	assert_non_null(f = fopen(path, "r"));
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	fclose(f);
	assert_int_equal(linkfile_render(&l, want, sizeof(want)), (int)n);
	assert_string_equal(got, want);
	/* a run directory below a regular file: nothing can be created */
	snprintf(path, sizeof(path), "%s/file", dir);
	assert_non_null(f = fopen(path, "w"));
	fclose(f);
	snprintf(path, sizeof(path), "%s/file/run", dir);
	assert_int_equal(linkfile_write(&l, path), -ENOTDIR);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_render),
		cmocka_unit_test(test_render_limits),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_write),
	};
	return cmocka_run_group_tests_name("linkfile", tests, NULL, NULL);
}
