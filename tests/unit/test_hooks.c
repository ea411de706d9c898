/* The hook runner against real scripts in a temporary directory: name order,
 * skipped entries, environment, a failing optional hook, a hanging hook killed
 * with its process group, and a failing .required hook that stops the run. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../hooks/hooks.h"
#include "../../common/log.h"

static char dir[64], out[128], pidfile[128];

static void script(const char *name, mode_t mode, const char *body)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/pre-mount/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "#!/bin/sh\n%s\n", body);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
	static char buf[256];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static int setup(void **s)
{
	(void)s;
	char sub[128];
	strcpy(dir, "/tmp/nfsi5-hooks.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(sub, sizeof(sub), "%s/pre-mount", dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(pidfile, sizeof(pidfile), "%s/pid", dir);
	return 0;
}

static int teardown(void **s)
{
	(void)s;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_order_outcomes_timeout(void **s)
{
	(void)s;
	char failed[512] = "", envout[160];
	snprintf(envout, sizeof(envout), "OUT=%s", out);
	char *env[] = { "PATH=/usr/bin:/bin", envout, "NFS_SERVER=10.0.0.1", NULL };

	script("10-a", 0755, "echo \"a $1 $NFS_SERVER\" >>\"$OUT\"");
	/* leaves a grandchild behind: the group kill must take it too */
	char hang[256];
	snprintf(hang, sizeof(hang), "sleep 30 & echo $! >'%s'\nsleep 30", pidfile);
	script("20-b.1s", 0755, hang);
	script("30-c", 0755, "echo c >>\"$OUT\"; exit 3");
	script("35-disabled", 0644, "echo disabled >>\"$OUT\"");
	script(".40-hidden", 0755, "echo hidden >>\"$OUT\"");
	script("40-d.required", 0755, "echo d >>\"$OUT\"");
	script("50-e.required.sh", 0755, "echo e >>\"$OUT\"; exit 1");
	script("60-f", 0755, "echo f >>\"$OUT\"");

	/* orphans of the killed hook come to us, so we can see how they ended */
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	long long t0 = uptime_ms();
	int rc = hooks_run("pre-mount", NULL, dir, env, 30000, failed, sizeof(failed));
	long long ms = uptime_ms() - t0;

	assert_int_equal(rc, -ECANCELED);
	assert_non_null(strstr(failed, "/pre-mount/50-e.required.sh"));
	assert_string_equal(slurp(out), "a pre-mount 10.0.0.1\nc\nd\ne\n");
	assert_true(ms >= 1000 && ms < 10000); /* 20-b.1s was cut at its own 1 s */

	pid_t orphan = (pid_t)atoi(slurp(pidfile));
	int status = 0;
	assert_true(orphan > 0);
	/* Either it came to us (the subreaper) killed, or the hook's shell
	 * reaped it in the instant between the two deaths; alive it is not,
	 * though its sleep had 29 s left. */
	pid_t r = waitpid(orphan, &status, 0);
	if (r == orphan) {
		assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	} else {
		assert_int_equal(errno, ECHILD);
		assert_int_equal(kill(orphan, 0), -1);
		assert_int_equal(errno, ESRCH);
	}
}

static void test_missing_dir_is_fine(void **s)
{
	(void)s;
	char failed[64] = "";
	char *env[] = { NULL };
	assert_int_equal(hooks_run("early", NULL, "/nonexistent-nfsi5", env, 1000, failed, sizeof(failed)), 0);
	assert_string_equal(failed, "");
}

/* The four stage folders, and near misses that would never run. */
static void test_stage_names(void **s)
{
	(void)s;
	assert_true(hooks_stage_known("early"));
	assert_true(hooks_stage_known("pre-net"));
	assert_true(hooks_stage_known("pre-mount"));
	assert_true(hooks_stage_known("pre-switch"));
	assert_false(hooks_stage_known("pre_mount"));
	assert_false(hooks_stage_known("pre-pivot"));
	assert_false(hooks_stage_known("Early"));
	assert_false(hooks_stage_known(""));
}

/* Item 13: the shared root's hooks run chrooted into it, so NEWROOT must be
 * "/" for them (it was the initramfs's /newroot, and their writes went to
 * <root>/newroot/...). Runs in a child with its own mount namespace: the
 * /proc, /sys, /dev lent to the root vanish with it. Needs root and a static
 * busybox for the chroot's /bin/sh. */
static void test_root_hooks_get_newroot_slash(void **s)
{
	(void)s;
	char root[128], failed[256] = "";
	if (geteuid() != 0 || access("/bin/busybox", X_OK) != 0)
		skip();
	snprintf(root, sizeof(root), "%s/root", dir);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/bin %s/etc/nfsinit/hooks/pre-switch && cp /bin/busybox %s/bin/sh && "
		 "printf '#!/bin/sh\\necho \"$NEWROOT $NFS_SERVER\" >/hook-saw\\n' >%s/etc/nfsinit/hooks/pre-switch/10-env && "
		 "chmod 755 %s/etc/nfsinit/hooks/pre-switch/10-env", root, root, root, root, root);
	assert_int_equal(system(cmd), 0);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char *env[] = { "PATH=/bin", "NEWROOT=/newroot", "NFS_SERVER=10.0.0.1", NULL };
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(2);
		_exit(hooks_run("pre-switch", root, "/etc/nfsinit/hooks", env, 10000, failed, sizeof(failed)) ? 1 : 0);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char saw[160];
	snprintf(saw, sizeof(saw), "%s/hook-saw", root);
	assert_string_equal(slurp(saw), "/ 10.0.0.1\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_outcomes_timeout, setup, teardown),
		cmocka_unit_test(test_missing_dir_is_fine),
		cmocka_unit_test(test_stage_names),
		cmocka_unit_test_setup_teardown(test_root_hooks_get_newroot_slash, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
