# netmon — one Makefile. Variants share these rules through BUILD/VARIANT_CFLAGS:
#   build/         release binaries (hardened)
#   build/san/     unit tests under ASan+UBSan
#   build/hooks/   binaries with test-only switches (NETMON_TEST_HOOKS), for integration tests
#   build/asan/    the four daemons under ASan+UBSan+LSan, with the test switches
#                  (NETMON_SANITIZER_BUILD widens the sandbox for LeakSanitizer's exit check
#                  only there), for tests/integration/t_sanitizer_daemons.sh
#   build/fuzz/    libFuzzer targets (clang)
CC        ?= cc
BUILD     ?= build
PREFIX    ?= /usr/local
DESTDIR   ?=
SBINDIR   ?= $(PREFIX)/sbin
MANDIR    ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
UNITDIR   ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
TMPFILESDIR ?= $(PREFIX)/lib/tmpfiles.d
VARIANT_CFLAGS  ?=
VARIANT_LDFLAGS ?=
OPT       ?= -O2

PKGS      := libpcap libcurl jansson libseccomp zlib libcares
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)

# A first `make` on a machine without the -dev packages says what to do instead
# of failing on a missing header. check/demo/bench install them first (deps).
NO_DEPS_GOALS := check deps demo bench clean deb rpm
ifeq ($(filter $(NO_DEPS_GOALS),$(MAKECMDGOALS)),)
MISSING_PKGS := $(shell for p in $(PKGS); do pkg-config --exists $$p 2>/dev/null || echo $$p; done)
ifneq ($(MISSING_PKGS),)
$(error missing build dependencies ($(strip $(MISSING_PKGS))): run 'make deps' as root, or 'sh packaging/build-deps.sh' to see the apt-get command)
endif
endif

WARN      := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wmissing-prototypes -Wvla
HARDEN    := -U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=3 -fstack-protector-strong -fstack-clash-protection \
             -fcf-protection -fPIE
CFLAGS_ALL := -std=c11 -D_GNU_SOURCE $(OPT) -g $(WARN) $(HARDEN) -iquote common $(PKG_CFLAGS) $(VARIANT_CFLAGS) $(CFLAGS)
LDFLAGS_ALL := -pie -Wl,-z,relro,-z,now -Wl,-z,noexecstack -Wl,--as-needed $(VARIANT_LDFLAGS) $(LDFLAGS)

LIBS_capd     := -lpcap -lseccomp
LIBS_arpd     := -lseccomp
LIBS_sysd     := -lseccomp
LIBS_reporter := -ljansson -lcurl -lcares -lz -lseccomp
LIBS_tests    := -lcmocka -lpcap -ljansson -lcurl -lcares -lz -lseccomp -lm

ROLES     := capd arpd sysd reporter
COMMON_SRC := $(wildcard common/*.c)
# Each role's logic lives in its modules; main.c only wires them (and is left out of tests).
mod_src = $(filter-out $(1)/main.c,$(wildcard $(1)/*.c))
MODULE_SRC := $(foreach r,$(ROLES),$(call mod_src,$(r)))
obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))

COMMON_OBJ := $(call obj,$(COMMON_SRC))
MODULE_OBJ := $(call obj,$(MODULE_SRC))
BINS       := $(foreach r,$(ROLES),$(BUILD)/netmon-$(r))
UNIT_SRC   := $(wildcard tests/unit/test_*.c)
UNIT_BINS  := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
FUZZ_SRC   := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS  := $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(FUZZ_SRC))
TOOL_SRC   := $(wildcard tests/tools/*.c)
TOOL_BINS  := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRC))

.PHONY: all bins daemons unit-bins fuzz-bins tool-bins sanitized-bins check deps test-builds install clean bench demo deb rpm
all: bins

bins: $(BINS) $(TOOL_BINS)
daemons: $(BINS)
unit-bins: $(UNIT_BINS)
fuzz-bins: $(FUZZ_BINS)
tool-bins: $(TOOL_BINS)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -MMD -MP -c $< -o $@

define role_rule
$(BUILD)/netmon-$(1): $(call obj,$(1)/main.c) $(call obj,$(call mod_src,$(1))) $(COMMON_OBJ)
	$$(CC) $$(CFLAGS_ALL) $$^ $$(LDFLAGS_ALL) $$(LIBS_$(1)) -o $$@
endef
$(foreach r,$(ROLES),$(eval $(call role_rule,$(r))))

$(BUILD)/tests/%: tests/unit/%.c $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I. -Itests/unit $^ $(LDFLAGS_ALL) $(LIBS_tests) -o $@

$(BUILD)/tools/%: tests/tools/%.c $(MODULE_OBJ) $(COMMON_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -I. $^ $(LDFLAGS_ALL) $(LIBS_tests) -o $@

# Fuzz targets: built only in the fuzz variant (clang, -fsanitize=fuzzer).
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(MODULE_OBJ) $(COMMON_OBJ)
	$(CC) $(CFLAGS_ALL) -I. -fsanitize=fuzzer $^ $(LDFLAGS_ALL) $(LIBS_tests) -o $@

SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The daemons only (no tools, no tests): the sanitized run of t_sanitizer_daemons.
sanitized-bins:
	$(MAKE) --no-print-directory BUILD=build/asan OPT=-O1 \
	  VARIANT_CFLAGS="$(SAN) -DNETMON_SANITIZER_BUILD -DNETMON_TEST_HOOKS" VARIANT_LDFLAGS="$(SAN)" \
	  $(foreach r,$(ROLES),build/asan/netmon-$(r))

test-builds: bins sanitized-bins
	$(MAKE) --no-print-directory BUILD=build/san OPT=-O1 VARIANT_CFLAGS="$(SAN)" VARIANT_LDFLAGS="$(SAN)" unit-bins
	$(MAKE) --no-print-directory BUILD=build/plain unit-bins
	$(MAKE) --no-print-directory BUILD=build/hooks VARIANT_CFLAGS=-DNETMON_TEST_HOOKS bins
	$(MAKE) --no-print-directory BUILD=build/fuzz CC=clang OPT=-O1 \
	  VARIANT_CFLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" \
	  VARIANT_LDFLAGS="-fsanitize=address,undefined" fuzz-bins

deps:
	@sh packaging/build-deps.sh

check: deps
	$(MAKE) --no-print-directory all test-builds
	sh tests/run-suite.sh

bench: deps all
	sh bench/run.sh

# The whole agent on an isolated LAN of network namespaces (demo/run.sh):
# DEMO_CYCLES snapshots (default 12), then everything it made is removed.
demo: deps all
	sh demo/run.sh

install: daemons
	install -d $(DESTDIR)$(SBINDIR)
	install -m 0755 $(BINS) $(DESTDIR)$(SBINDIR)/
	install -d $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 $(DESTDIR)$(MANDIR)/man7
	for m in docs/man/*.8; do [ -e "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man8/; done; true
	for m in docs/man/*.5; do [ -e "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man5/; done; true
	for m in docs/man/*.7; do [ -e "$$m" ] && install -m 0644 "$$m" $(DESTDIR)$(MANDIR)/man7/; done; true
	install -d $(DESTDIR)$(SYSCONFDIR)/netmon
	install -m 0640 packaging/netmon.conf $(DESTDIR)$(SYSCONFDIR)/netmon/netmon.conf.example
	install -d $(DESTDIR)$(UNITDIR) $(DESTDIR)$(SYSUSERSDIR) $(DESTDIR)$(TMPFILESDIR)
	for u in packaging/systemd/*.service packaging/systemd/*.target; do \
	  sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' "$$u" \
	    > $(DESTDIR)$(UNITDIR)/$$(basename "$$u") && chmod 0644 $(DESTDIR)$(UNITDIR)/$$(basename "$$u"); \
	done
	install -m 0644 packaging/sysusers-netmon.conf $(DESTDIR)$(SYSUSERSDIR)/netmon.conf
	install -m 0644 packaging/tmpfiles-netmon.conf $(DESTDIR)$(TMPFILESDIR)/netmon.conf

# Packages: build/deb/netmon_*.deb (debhelper, checked by lintian) and
# build/rpm/RPMS/*/netmon-*.rpm (rpmbuild -bb). Both build from the files git tracks.
deb: deps
	sh packaging/deb.sh

rpm: deps
	sh packaging/rpm.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj -name '*.d' 2>/dev/null)
