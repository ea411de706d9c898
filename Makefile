# nfsinit: one plain GNU Makefile. Sources are found by wildcard; override any
# variable on the command line (make CC=clang, make SAN=1 unit).

MUSL_CC  ?= musl-gcc
CC       ?= cc
PREFIX   ?= /usr/local
B        ?= build

# The one version of everything built here (commands' --version, /init's first
# console line, the image's /etc/nfsinit/version, debian/changelog).
VERSION  := $(shell cat VERSION)
VERSION_DEF = -DNFSINIT_VERSION='"$(VERSION)"'

WARN      = -Wall -Wextra -Werror
# musl has no kernel headers of its own; take Debian's after musl's.
KHDR      = -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu
INIT_CFLAGS = -Os -std=gnu11 $(WARN) $(KHDR) -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -fno-unwind-tables -D_GNU_SOURCE $(VERSION_DEF)
# noseparate-code: no page of padding between code and data segments (8 kB).
# norelro: only musl's dynamic linker applies PT_GNU_RELRO, so in this static
# program it would be page-alignment padding and nothing else (2 kB).
INIT_LDFLAGS = -static -s -Wl,--gc-sections -Wl,-z,noseparate-code -Wl,-z,norelro

comma    := ,
SAN      ?=
SANFLAGS  = $(if $(SAN),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
HB        = $(B)/host$(if $(SAN),-san)
HOST_CFLAGS = -O1 -g -std=gnu11 $(WARN) -D_GNU_SOURCE $(SANFLAGS) $(VERSION_DEF)

PKGS      = libkmod libarchive
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Everything under these folders is part of /init; main.c is the only entry point.
LIB_SRCS  := $(filter-out init/main.c,$(wildcard common/*.c netcfg/*.c mounts/*.c modules/*.c hooks/*.c identity/*.c init/*.c))
INIT_OBJS := $(patsubst %.c,$(B)/musl/%.o,$(LIB_SRCS) init/main.c)
HOST_OBJS := $(patsubst %.c,$(HB)/%.o,$(LIB_SRCS))

MK_SRCS   := $(filter-out mkinitramfs/main.c,$(wildcard mkinitramfs/*.c))
MK_OBJS   := $(patsubst %.c,$(HB)/%.o,$(MK_SRCS))

# nfsinit-check: /init's parsers and template code on the host (init/check/:
# a front end of init/, like init/main.c, so it may include init/ headers).
CHK_SRCS  := $(filter-out init/check/main.c,$(wildcard init/check/*.c))
CHK_OBJS  := $(patsubst %.c,$(HB)/%.o,$(CHK_SRCS))

# Host commands installed to sbin (the Debian package takes this list).
HOST_CMDS = nfsinit-mkimage nfsinit-update nfsinit-check nfsinit-prepare-root nfsinit-status nfsinit-verity

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(HB)/tests/%,$(UNIT_SRCS))

.PHONY: all unit check check-full check-os system-tests boot-tests demo clean install uninstall distclean tools fuzz fuzz-long bench bench-dhcp bench-scale deps-check lint packages
all: deps-check $(B)/init $(B)/nfsinit-mkimage $(B)/nfsinit-update $(B)/nfsinit-check $(B)/nfsinit-prepare-root $(B)/nfsinit-status $(B)/nfsinit-verity tools

# Dependencies point one way: init/ (the PID-1 shell) calls the stages, and no
# stage, tool or the builder includes an init/ header (the unit and fuzz
# tests of init/ may). A bad include fails the build here.
deps-check:
	@bad=$$(find . -path ./init -prune -o -path ./tests -prune -o -path './$(B)' -prune -o -path ./.git -prune \
	  -o -name '*.[ch]' -print | xargs grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"([^"]*/)?init/'); \
	if [ -n "$$bad" ]; then echo "deps-check: only init/ may include init/ headers:"; echo "$$bad"; exit 1; fi

# Small front ends to one part (e.g. netcfg/cli/nfsinit-dhcp.c runs the DHCP
# client alone in a network namespace): static musl, linked like /init.
TOOL_SRCS := $(wildcard */cli/*.c)
TOOL_BINS := $(patsubst %.c,$(B)/tools/%,$(notdir $(TOOL_SRCS)))
tools: $(TOOL_BINS)
$(B)/tools/%: $(B)/musl/cli-objs/%.o $(filter-out $(B)/musl/init/main.o,$(INIT_OBJS))
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(INIT_LDFLAGS) -o $@ $^
$(B)/musl/cli-objs/%.o: $(TOOL_SRCS) VERSION
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(INIT_CFLAGS) -c -o $@ $(filter %/$*.c,$(TOOL_SRCS))

$(B)/init: $(INIT_OBJS)
	$(MUSL_CC) $(INIT_LDFLAGS) -o $@ $^
	@echo "built $@: $$(stat -c %s $@) bytes, static musl"

$(B)/musl/%.o: %.c VERSION
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(INIT_CFLAGS) -MMD -MP -c -o $@ $<

$(HB)/%.o: %.c VERSION
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(HB)/libnfsinit.a: $(HOST_OBJS)
	rm -f $@; ar rcs $@ $^

$(HB)/libmkimage.a: $(MK_OBJS)
	rm -f $@; ar rcs $@ $^

# Where the builder looks for /init when nothing else gives one.
$(HB)/mkinitramfs/main.o: HOST_CFLAGS += -DNFSINIT_PREFIX='"$(PREFIX)"'
$(B)/nfsinit-mkimage: $(HB)/mkinitramfs/main.o $(HB)/libmkimage.a $(HB)/libnfsinit.a
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

# Scripts (bash, python3): copied so every host command is in build/.
$(B)/nfsinit-prepare-root: prepare/nfsinit-prepare-root
	@mkdir -p $(dir $@)
	install -m 0755 $< $@
$(B)/nfsinit-status: status/nfsinit-status VERSION
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(VERSION)/' $< >$@.tmp && chmod 0755 $@.tmp && mv $@.tmp $@
$(B)/nfsinit-verity: prepare/nfsinit-verity VERSION
	@mkdir -p $(dir $@)
	sed 's/@VERSION@/$(VERSION)/' $< >$@.tmp && chmod 0755 $@.tmp && mv $@.tmp $@

$(HB)/libcheck.a: $(CHK_OBJS)
	rm -f $@; ar rcs $@ $^

$(B)/nfsinit-check: $(HB)/init/check/main.o $(HB)/libcheck.a $(HB)/libnfsinit.a
	$(CC) $(SANFLAGS) -o $@ $^

$(HB)/tests/%: tests/unit/%.c $(HB)/libmkimage.a $(HB)/libcheck.a $(HB)/libnfsinit.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(HB)/libmkimage.a $(HB)/libcheck.a $(HB)/libnfsinit.a -lcmocka $(PKG_LIBS)

# Unit tests: cmocka prints its own summary per suite; tests/unit/run sums them.
unit: $(UNIT_BINS)
	@tests/unit/run $(UNIT_BINS)
	@python3 status/test_status.py

# QEMU boots against a real nfs-ganesha on 127.0.0.1 (needs root, qemu, ganesha).
# faults: the fault matrix (server late, failover, bad export, no DHCP, ...).
# dhcp-root: root path only from DHCP option 17, dnsmasq + ganesha in a netns on a tap.
# nic-models: one image on virtio-net, vmxnet3 (and e1000 on the standard kernel).
# image-root: root from a squashfs/EROFS file on the export, in RAM, and bad image files.
# verity: that file under dm-verity: right root hash (tree appended, beside, in RAM), refused ones, EIO later.
# aufs: the aufs kernel in ../shared, with and without the overlay module.
# remote-log: rsyslog in the netns receives a good and a failed boot; nfsinit-status reads them.
# vlan-bond: root over VLAN 20 (vlan=) and over an active-backup bond whose slaves lose their link (bond=).
# ipv6-names: NFS server by name (dnsmasq DNS), unknown name, IPv6-only static and ip=auto6 roots.
# pkg/deb: the Debian package built, installed with a kernel package into a
# debootstrap root (the kernel hook makes the image), that image booted.
BOOT_TESTS = tests/boot/run-all tests/boot/dhcp-root tests/boot/identity tests/boot/faults tests/boot/nic-models tests/boot/aufs \
	tests/boot/image-root tests/boot/verity tests/boot/remote-log tests/boot/vlan-bond tests/boot/ipv6-names tests/pkg/deb
boot-tests: all
	@rc=0; for t in $(BOOT_TESTS); do echo "== $$t"; $$t || rc=1; done; exit $$rc

# Tests of one part against the real kernel interfaces on this host: mount
# namespaces, network namespaces with dnsmasq, the image builder on a real
# kernel's modules. Each prints "N passed, N failed".
# ns/rofallback: the read-only fallback keeps owners and modes (set-ID too).
# pkg/docs: man pages render, README and nfsinit(7) agree; pkg/install: make
# install and uninstall.
SYSTEM_TESTS = tests/ns/switchroot-cleanup tests/ns/rofallback $(wildcard tests/mkimage/run tests/net/dhcp-netns tests/net/dhcp-hostile tests/net/dns-netns tests/net/dhcp6-netns) \
	tests/pkg/docs tests/pkg/install tests/check/run tests/prepare/run
system-tests: all
	@rc=0; for t in $(SYSTEM_TESTS); do echo "== $$t"; $$t || rc=1; done; exit $$rc

# A fresh Debian 12 machine: tests/deps installs the packages the tests need
# first (as root; otherwise it names what is missing), then the tests run.
check: deps-check
	tests/deps check
	$(MAKE) unit system-tests boot-tests
packages:
	tests/deps check

# shellcheck on every shell script: each file whose first line is a sh or bash
# #!, plus the libraries the tests source (no #!; each names its shell).
LINT_SKIP = -path ./.git -o -path ./build -o -path ./tests/.cache -o -path ./tests/fuzz/corpus -o -path ./tests/fuzz/seeds
lint:
	@files=$$(find . \( $(LINT_SKIP) \) -prune -o -type f -print | sort | while read -r f; do \
	    head -n 1 "$$f" | grep -qE '^#!.*[/ ](ba|da)?sh( |$$)' && echo "$$f"; done); \
	echo "shellcheck:" $$files tests/boot/lib.sh tests/lib/report.sh tests/bench/lib.sh; \
	shellcheck -x $$files tests/boot/lib.sh tests/lib/report.sh tests/bench/lib.sh

# Real nodes (tests/full/run): a Debian root with systemd from debootstrap
# (cached in tests/.cache/fullroot), PXE-booted by QEMU from dnsmasq and
# ganesha in a network namespace, two nodes, an online image update. 4 to 7
# minutes under TCG, then check-os (about 11), so not part of check; .ci/run
# runs it after check.
check-full: all
	@rc=0; tests/full/run || rc=1; $(MAKE) check-os || rc=1; exit $$rc

# The booted system's own network stack (NetworkManager, ifupdown, netplan
# roots, tests/full/os): boot, restart of the stack, lease renewals, reboot
# and power-off with persistence. Run by check-full.
check-os: all
	tests/full/os

# Benchmark (prints figures, never fails on them): time to a DHCP lease for
# nfsinit, udhcpc, dhcpcd and klibc ipconfig against one dnsmasq in a netns.
RUNS ?= 15
bench-dhcp: tools
	tests/bench/dhcp $(RUNS)

# nfsinit against initramfs-tools, dracut and a busybox floor: sizes, build
# and boot times, stages, timeline (build/bench/), on the machines of
# BENCH_VARIANTS; then the full Debian root with nfsinit, initramfs-tools and
# dracut to multi-user (tests/bench/full, build/bench-full/; BENCH_FULL=0
# skips it). Prints figures; not part of check. BENCH_RUNS=N boots each image
# N times (default 3). Needs root.
bench: all
	tests/bench/run
	[ "$${BENCH_FULL:-1}" = 0 ] || tests/bench/full

# What booting many nodes costs one NFS server (tests/bench/scale, docs/scale.md):
# NFS calls, bytes and ganesha CPU per full Debian boot by root mode, boot
# storms. Prints figures; not part of check. Needs root. SCALE_LOCK=FILE runs
# each part under flock FILE; parts alone: tests/bench/scale calls|storm-small|storm-full.
bench-scale: all
	tests/bench/scale

# Build an image and boot one QEMU node from a loopback NFS root.
demo: 
	tests/boot/demo

# libFuzzer targets over every parser of outside input, each run for
# FUZZ_SECONDS. A target reads its committed seeds (tests/fuzz/seeds/<target>:
# real dnsmasq replies, module indexes, command lines, templates, ELF files)
# and grows its corpus in tests/fuzz/corpus/<target> (not committed): without
# seeds a fresh run never got past the DHCP header. Targets named fuzz_mk_*
# cover the image builder and link its objects and libraries.
CLANG    ?= clang
FUZZ_SECONDS ?= 30
FUZZ_LONG_SECONDS ?= 600
FB        = $(B)/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FB)/%,$(FUZZ_SRCS))
FUZZ_CFLAGS = -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=address,undefined -fno-sanitize-recover=all $(VERSION_DEF)
FUZZ_LIB_OBJS = $(patsubst %.c,$(FB)/obj/%.o,$(LIB_SRCS))
FUZZ_MK_OBJS  = $(patsubst %.c,$(FB)/obj/%.o,$(MK_SRCS))
# Kept between runs (make would delete them as intermediates and rebuild all).
.SECONDARY: $(FUZZ_LIB_OBJS) $(FUZZ_MK_OBJS)
$(FB)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<
$(FB)/fuzz_mk_%: tests/fuzz/fuzz_mk_%.c $(FUZZ_MK_OBJS) $(FUZZ_LIB_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) $(PKG_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS)
$(FB)/%: tests/fuzz/%.c $(FUZZ_LIB_OBJS)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^
# A finding (crash, leak, sanitizer report) fails the target: libFuzzer's exit
# status is kept (a pipe into grep would lose it); the input that did it is
# saved as $(FB)/logs/<target>-crash-*. Each target prints its executions and
# its coverage (cov: edges, ft: features) after the seeds and at the end.
define run_fuzz
	@mkdir -p $(FB)/logs; for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p tests/fuzz/corpus/$$n; \
	  seeds=; [ -d tests/fuzz/seeds/$$n ] && seeds=tests/fuzz/seeds/$$n; \
	  echo "fuzz: $$n for $(1) s"; \
	  $$f -max_total_time=$(1) -print_final_stats=1 -artifact_prefix=$(FB)/logs/$$n- \
	    tests/fuzz/corpus/$$n $$seeds >$(FB)/logs/$$n.log 2>&1; rc=$$?; \
	  grep -E 'INITED|DONE|stat::number_of_executed_units|ERROR|SUMMARY' $(FB)/logs/$$n.log; \
	  [ $$rc = 0 ] || { echo "fuzz: $$n found a problem (exit $$rc): $(FB)/logs/$$n.log"; exit 1; }; done
endef
fuzz: $(FUZZ_BINS)
	$(call run_fuzz,$(FUZZ_SECONDS))
# The figures in README.md ("Fuzzing"): every target for FUZZ_LONG_SECONDS
# (default 600 s: 13 targets take 2 h 10 min); not part of CI.
fuzz-long: $(FUZZ_BINS)
	$(call run_fuzz,$(FUZZ_LONG_SECONDS))

# ---------------------------------------------------------------- install
# make install DESTDIR=... PREFIX=... puts these in place (debian/rules uses
# it too); make uninstall removes exactly them, and nfsinit's own folders
# when they are empty. Host commands: each is $(B)/<name>, installed to sbin.
SYSCONFDIR ?= /etc
MAN_PAGES  := $(wildcard man/*.[1-8])
HOOK_EXAMPLES := $(wildcard hooks/examples/*/*)
D = $(DESTDIR)
INSTALLED = $(addprefix $(PREFIX)/sbin/,$(HOST_CMDS)) $(PREFIX)/lib/nfsinit/init \
	$(patsubst hooks/examples/%,$(PREFIX)/share/nfsinit/hooks/%,$(HOOK_EXAMPLES)) \
	$(SYSCONFDIR)/nfsinit/mkimage.conf $(SYSCONFDIR)/kernel/postinst.d/nfsinit \
	$(SYSCONFDIR)/kernel/postrm.d/nfsinit $(PREFIX)/share/bash-completion/completions/nfsinit-mkimage \
	$(foreach m,$(MAN_PAGES),$(PREFIX)/share/man/man$(subst .,,$(suffix $(m)))/$(notdir $(m)))
# Deepest first, so a parent is empty when its turn comes.
OWN_DIRS = $(sort $(dir $(patsubst hooks/examples/%,$(PREFIX)/share/nfsinit/hooks/%,$(HOOK_EXAMPLES)))) \
	$(PREFIX)/share/nfsinit/hooks $(PREFIX)/share/nfsinit $(PREFIX)/lib/nfsinit \
	$(SYSCONFDIR)/nfsinit/mkimage.conf.d $(SYSCONFDIR)/nfsinit

$(B)/nfsinit-update: mkinitramfs/host/nfsinit-update VERSION
	sed 's/@VERSION@/$(VERSION)/' $< >$@.tmp && chmod 0755 $@.tmp && mv $@.tmp $@

install: all $(addprefix $(B)/,$(HOST_CMDS))
	for c in $(HOST_CMDS); do install -D -m 0755 $(B)/$$c $(D)$(PREFIX)/sbin/$$c || exit 1; done
	install -D -m 0755 $(B)/init $(D)$(PREFIX)/lib/nfsinit/init
	for h in $(HOOK_EXAMPLES); do \
	  install -D -m 0755 $$h $(D)$(PREFIX)/share/nfsinit/hooks/$${h#hooks/examples/} || exit 1; done
	install -D -m 0644 mkinitramfs/host/mkimage.conf $(D)$(SYSCONFDIR)/nfsinit/mkimage.conf
	install -d -m 0755 $(D)$(SYSCONFDIR)/nfsinit/mkimage.conf.d
	install -D -m 0755 mkinitramfs/host/kernel-postinst $(D)$(SYSCONFDIR)/kernel/postinst.d/nfsinit
	install -D -m 0755 mkinitramfs/host/kernel-postrm $(D)$(SYSCONFDIR)/kernel/postrm.d/nfsinit
	install -D -m 0644 mkinitramfs/host/nfsinit-mkimage.bash \
	  $(D)$(PREFIX)/share/bash-completion/completions/nfsinit-mkimage
	for m in $(MAN_PAGES); do d=$(D)$(PREFIX)/share/man/man$${m##*.}; \
	  install -d $$d && sed 's/@VERSION@/$(VERSION)/' $$m >$$d/$${m##*/} && chmod 0644 $$d/$${m##*/} || exit 1; done

uninstall:
	rm -f $(addprefix $(D),$(INSTALLED))
	rmdir $(addprefix $(D),$(OWN_DIRS)) 2>/dev/null || true

clean:
	rm -rf $(B)

# Only the object trees: build/ also holds test roots with *.d directories.
-include $(shell find $(wildcard $(B)/musl $(B)/host* $(FB)/obj) -name '*.d' -type f 2>/dev/null)
