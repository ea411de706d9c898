# nfsinit: one plain GNU Makefile. Sources are found by wildcard; override any
# variable on the command line (make CC=clang, make SAN=1 unit).

MUSL_CC  ?= musl-gcc
CC       ?= cc
PREFIX   ?= /usr/local
B        ?= build

WARN      = -Wall -Wextra -Werror
# musl has no kernel headers of its own; take Debian's after musl's.
KHDR      = -idirafter /usr/include -idirafter /usr/include/x86_64-linux-gnu
INIT_CFLAGS = -Os -std=gnu11 $(WARN) $(KHDR) -ffunction-sections -fdata-sections -D_GNU_SOURCE
INIT_LDFLAGS = -static -s -Wl,--gc-sections

comma    := ,
SAN      ?=
SANFLAGS  = $(if $(SAN),-fsanitize=address$(comma)undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
HB        = $(B)/host$(if $(SAN),-san)
HOST_CFLAGS = -O1 -g -std=gnu11 $(WARN) -D_GNU_SOURCE $(SANFLAGS)

PKGS      = libkmod libarchive
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

# Everything under these folders is part of /init; main.c is the only entry point.
LIB_SRCS  := $(filter-out init/main.c,$(wildcard common/*.c netcfg/*.c mounts/*.c modules/*.c hooks/*.c identity/*.c init/*.c))
INIT_OBJS := $(patsubst %.c,$(B)/musl/%.o,$(LIB_SRCS) init/main.c)
HOST_OBJS := $(patsubst %.c,$(HB)/%.o,$(LIB_SRCS))

MK_SRCS   := $(filter-out mkinitramfs/main.c,$(wildcard mkinitramfs/*.c))
MK_OBJS   := $(patsubst %.c,$(HB)/%.o,$(MK_SRCS))

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(HB)/tests/%,$(UNIT_SRCS))

.PHONY: all unit check check-full system-tests boot-tests demo clean install distclean tools fuzz bench bench-dhcp deps-check lint
all: deps-check $(B)/init $(B)/nfsinit-mkimage tools

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
$(B)/musl/cli-objs/%.o: $(TOOL_SRCS)
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(INIT_CFLAGS) -c -o $@ $(filter %/$*.c,$(TOOL_SRCS))

$(B)/init: $(INIT_OBJS)
	$(MUSL_CC) $(INIT_LDFLAGS) -o $@ $^
	@echo "built $@: $$(stat -c %s $@) bytes, static musl"

$(B)/musl/%.o: %.c
	@mkdir -p $(dir $@)
	$(MUSL_CC) $(INIT_CFLAGS) -MMD -MP -c -o $@ $<

$(HB)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -MMD -MP -c -o $@ $<

$(HB)/libnfsinit.a: $(HOST_OBJS)
	rm -f $@; ar rcs $@ $^

$(HB)/libmkimage.a: $(MK_OBJS)
	rm -f $@; ar rcs $@ $^

$(B)/nfsinit-mkimage: $(HB)/mkinitramfs/main.o $(HB)/libmkimage.a $(HB)/libnfsinit.a
	$(CC) $(SANFLAGS) -o $@ $^ $(PKG_LIBS)

$(HB)/tests/%: tests/unit/%.c $(HB)/libmkimage.a $(HB)/libnfsinit.a
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) $(PKG_CFLAGS) -o $@ $< $(HB)/libmkimage.a $(HB)/libnfsinit.a -lcmocka $(PKG_LIBS)

# Unit tests: cmocka prints its own summary per suite; tests/unit/run sums them.
unit: $(UNIT_BINS)
	@tests/unit/run $(UNIT_BINS)

# QEMU boots against a real nfs-ganesha on 127.0.0.1 (needs root, qemu, ganesha).
# faults: the fault matrix (server late, failover, bad export, no DHCP, ...).
# dhcp-root: root path only from DHCP option 17, dnsmasq + ganesha in a netns on a tap.
# nic-models: one image on virtio-net, vmxnet3 (and e1000 on the standard kernel).
# image-root: root from a squashfs/EROFS file on the export, in RAM, and bad image files.
BOOT_TESTS = tests/boot/run-all tests/boot/dhcp-root tests/boot/identity tests/boot/faults tests/boot/nic-models tests/boot/image-root
boot-tests: all
	@rc=0; for t in $(BOOT_TESTS); do echo "== $$t"; $$t || rc=1; done; exit $$rc

# Tests of one part against the real kernel interfaces on this host: mount
# namespaces, network namespaces with dnsmasq, the image builder on a real
# kernel's modules. Each prints "N passed, N failed".
SYSTEM_TESTS = tests/ns/switchroot-cleanup $(wildcard tests/mkimage/run tests/net/dhcp-netns)
system-tests: all
	@rc=0; for t in $(SYSTEM_TESTS); do echo "== $$t"; $$t || rc=1; done; exit $$rc

check: deps-check unit system-tests boot-tests

# shellcheck on every shell script: each file whose first line is a sh or bash
# #!, plus the libraries the tests source (no #!; each names its shell).
LINT_SKIP = -path ./.git -o -path ./build -o -path ./tests/.cache -o -path ./tests/fuzz/corpus
lint:
	@files=$$(find . \( $(LINT_SKIP) \) -prune -o -type f -print | sort | while read -r f; do \
	    head -n 1 "$$f" | grep -qE '^#!.*[/ ](ba|da)?sh( |$$)' && echo "$$f"; done); \
	echo "shellcheck:" $$files tests/boot/lib.sh tests/lib/report.sh; \
	shellcheck -x $$files tests/boot/lib.sh tests/lib/report.sh

# Real nodes (tests/full/run): a Debian root with systemd from debootstrap
# (cached in tests/.cache/fullroot), PXE-booted by QEMU from dnsmasq and
# ganesha in a network namespace, two nodes, an online image update. 4 to 7
# minutes under TCG, so not part of check; .ci/run runs it after check.
check-full: all
	tests/full/run

# Benchmark (prints figures, never fails on them): time to a DHCP lease for
# nfsinit, udhcpc, dhcpcd and klibc ipconfig against one dnsmasq in a netns.
RUNS ?= 15
bench-dhcp: tools
	tests/bench/dhcp $(RUNS)

# nfsinit against initramfs-tools, dracut and a busybox floor: sizes, build
# and boot times, stages, timeline (build/bench/). Prints figures; not part of
# check. BENCH_RUNS=N boots each image N times (default 3). Needs root.
bench: all
	tests/bench/run

# Build an image and boot one QEMU node from a loopback NFS root.
demo: 
	tests/boot/demo

# libFuzzer targets over every parser of outside input, each run for
# FUZZ_SECONDS; corpora grow in tests/fuzz/corpus/<target> (not committed).
CLANG    ?= clang
FUZZ_SECONDS ?= 30
FB        = $(B)/fuzz
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(FB)/%,$(FUZZ_SRCS))
FUZZ_CFLAGS = -g -O1 -std=gnu11 -D_GNU_SOURCE -fsanitize=address,undefined
# Kept between runs (make would delete them as intermediates and rebuild all).
.SECONDARY: $(patsubst %.c,$(FB)/obj/%.o,$(LIB_SRCS))
$(FB)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
$(FB)/%: tests/fuzz/%.c $(patsubst %.c,$(FB)/obj/%.o,$(LIB_SRCS))
	$(CLANG) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^
# A finding (crash, leak, sanitizer report) fails the target: libFuzzer's exit
# status is kept (a pipe into grep would lose it); the input that did it is
# saved as $(FB)/logs/<target>-crash-*.
fuzz: $(FUZZ_BINS)
	@mkdir -p $(FB)/logs; for f in $(FUZZ_BINS); do n=$$(basename $$f); mkdir -p tests/fuzz/corpus/$$n; \
	  echo "fuzz: $$n for $(FUZZ_SECONDS) s"; \
	  $$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 -artifact_prefix=$(FB)/logs/$$n- \
	    tests/fuzz/corpus/$$n >$(FB)/logs/$$n.log 2>&1; rc=$$?; \
	  grep -E 'stat::number_of_executed_units|ERROR|SUMMARY|Done' $(FB)/logs/$$n.log; \
	  [ $$rc = 0 ] || { echo "fuzz: $$n found a problem (exit $$rc): $(FB)/logs/$$n.log"; exit 1; }; done

install: all
	install -D -m 0755 $(B)/nfsinit-mkimage $(DESTDIR)$(PREFIX)/bin/nfsinit-mkimage
	install -D -m 0755 $(B)/init $(DESTDIR)$(PREFIX)/lib/nfsinit/init

clean:
	rm -rf $(B)

# Only the object trees: build/ also holds test roots with *.d directories.
-include $(shell find $(wildcard $(B)/musl $(B)/host*) -name '*.d' -type f 2>/dev/null)
