# Resonans: one non-recursive GNU Makefile.
#   make            build build/$(CONFIG)/resonans (CONFIG=release|debug|asan|fuzz)
#   make demo       install missing Debian packages, build, load the demo, show it
#   make test       unit tests + fuzz replay under ASan/UBSan, golden CLI tests
#   make bench      benchmarks (never part of make test)
#   make fuzz       libFuzzer targets with clang
#   make lint       clang-tidy and cppcheck
#   make check-headers   every header compiles on its own
CONFIG ?= release
B := $(or $(BUILD_DIR),build/$(CONFIG))

PKGS := sqlite3 jansson libutf8proc gsl libxxhash libsodium libmicrohttpd \
        libqrencode libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lstemmer -lm -lpthread

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
        -Wformat=2 -Wwrite-strings -Wvla -Werror
CSTD := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CC ?= cc

ifeq ($(CONFIG),release)
  OPT := -O2 -g -DNDEBUG
else ifeq ($(CONFIG),debug)
  OPT := -O0 -g3
else ifeq ($(CONFIG),asan)
  OPT := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
         -fno-omit-frame-pointer -DARENA_DEBUG
  LDOPT := -fsanitize=address,undefined
else ifeq ($(CONFIG),fuzz)
  CC := clang
  # long phrase-bank literals are split across lines on purpose
  OPT := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -DARENA_DEBUG \
         -Wno-string-concatenation
  LDOPT := -fsanitize=fuzzer,address,undefined
else
  $(error CONFIG must be release, debug, asan or fuzz)
endif

CPPFLAGS := -Isrc -Itests/harness -I$(B)/gen $(PKG_CFLAGS)
CFLAGS := $(CSTD) $(WARN) $(OPT) -MMD -MP
LDFLAGS := $(LDOPT)

LIB_SRC := $(sort $(filter-out src/main.c,$(shell find src -name '*.c')))
LIB_OBJ := $(LIB_SRC:%.c=$(B)/obj/%.o) $(B)/obj/gen/schema_sqlite.o \
           $(B)/obj/gen/text_data.o $(B)/obj/gen/web_assets.o
SCHEMA_SQLITE := $(sort $(wildcard src/store/schema/sqlite_*.sql))
# Lexicons, stop words and theme taxonomies, compiled into the binary.
TEXT_DATA := $(sort $(wildcard data/text/*.txt data/text/*.tsv))
# What the server sends as it is: styles, scripts, the OpenAPI document.
# /assets/app.css is web/app.css followed by each view's web/app/*.css
APP_CSS := web/app.css $(sort $(wildcard web/app/*.css))
WEB_DATA := $(filter-out web/app.css,$(sort $(wildcard web/*.css web/*.js web/*.json web/*.svg))) \
            $(B)/gen/app.css
LIB := $(B)/libresonans.a
BIN := $(B)/resonans

HARNESS_SRC := $(wildcard tests/harness/*.c)
HARNESS_OBJ := $(HARNESS_SRC:%.c=$(B)/obj/%.o)
TEST_SRC := $(sort $(shell find tests -name 'test_*.c'))
TEST_BIN := $(TEST_SRC:%.c=$(B)/%)

FUZZ_SRC := $(sort $(wildcard fuzz/*_fuzz.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all demo test units fuzz-targets bench-targets bench fuzz lint fmt clean \
        check-headers deps
all: $(BIN)

deps:
	@scripts/deps.sh

# V=1 shows full command lines.
Q := $(if $(V),,@)

$(B)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(B)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(Q)cc -std=c11 -O1 -Isrc $< -o $@

$(B)/gen/schema_sqlite.c: $(SCHEMA_SQLITE) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(Q)$(B)/tools/embed $@ schema_sqlite $(SCHEMA_SQLITE)

$(B)/gen/text_data.c: $(TEXT_DATA) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(Q)$(B)/tools/embed $@ text_data $(TEXT_DATA)

$(B)/gen/app.css: $(APP_CSS)
	@mkdir -p $(dir $@)
	$(Q)cat $(APP_CSS) > $@

$(B)/gen/web_assets.c: $(WEB_DATA) $(B)/tools/embed
	@mkdir -p $(dir $@)
	$(Q)$(B)/tools/embed $@ web_assets $(WEB_DATA)

$(B)/obj/gen/%.o: $(B)/gen/%.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BIN): $(B)/obj/src/main.o $(LIB)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@

# tests run in a scratch directory: HARNESS_SRC("data/...") finds the tree
$(B)/obj/tests/%.o: CPPFLAGS += -DTEST_SRCDIR='"$(CURDIR)"'

$(B)/tests/%: $(B)/obj/tests/%.o $(HARNESS_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -lcmocka -o $@

# Fuzz targets: libFuzzer under CONFIG=fuzz, else a plain replay driver.
ifeq ($(CONFIG),fuzz)
$(B)/fuzz/%: $(B)/obj/fuzz/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@
else
$(B)/fuzz/%: $(B)/obj/fuzz/%.o $(B)/obj/fuzz/standalone.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@
endif

$(B)/bench/%: $(B)/obj/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@")
	$(Q)$(CC) $(LDFLAGS) $^ $(PKG_LIBS) -o $@

units: $(TEST_BIN) $(FUZZ_BIN) $(BIN)
fuzz-targets: $(FUZZ_BIN)
bench-targets: $(BENCH_BIN)

# Units and fuzz replay under ASan+UBSan; golden CLI tests on the -O2 binary.
test:
	@scripts/deps.sh --browser --check >/dev/null || scripts/deps.sh --browser
	@$(MAKE) --no-print-directory CONFIG=asan units
	@$(MAKE) --no-print-directory CONFIG=release all
	@tests/harness/run-tests.sh build/asan build/release

demo:
	@scripts/deps.sh
	@$(MAKE) --no-print-directory CONFIG=release all
	@scripts/demo.sh build/release/resonans

bench:
	@$(MAKE) --no-print-directory CONFIG=release all bench-targets
	@bench/run.sh build/release

fuzz:
	@scripts/deps.sh --fuzz
	@$(MAKE) --no-print-directory CONFIG=fuzz fuzz-targets
	@echo "fuzzers in build/fuzz/fuzz/; run e.g. build/fuzz/fuzz/csv_fuzz fuzz/corpus/csv_fuzz"

check-headers:
	@set -e; for h in $$(find src -name '*.h'); do \
	  printf '#include "%s"\n' "$${h#src/}" | \
	  $(CC) $(CPPFLAGS) $(CSTD) $(WARN) -fsyntax-only -x c - || { echo "not self-contained: $$h"; exit 1; }; \
	done; echo "headers: all self-contained"

# cppcheck and clang-tidy come from scripts/deps.sh. Both use every core:
# clang-tidy as one process per 8 files (xargs exits non-zero when any
# of them fails). Checks: .clang-tidy; findings that are not errors are
# printed and do not fail the target.
# lint-run is lint without the package check.
LINT_JOBS := $(shell nproc 2>/dev/null || echo 2)
.PHONY: lint-run
lint:
	@scripts/deps.sh --check >/dev/null || scripts/deps.sh
	@$(MAKE) --no-print-directory lint-run
lint-run: check-headers
	cppcheck -j $(LINT_JOBS) --quiet --error-exitcode=1 \
	  --enable=warning,performance,portability \
	  --inline-suppr -Isrc $(LIB_SRC) src/main.c
	printf '%s\n' $(LIB_SRC) src/main.c | xargs -P $(LINT_JOBS) -n 8 \
	  sh -c 'clang-tidy --quiet "$$@" -- $(CPPFLAGS) $(CSTD)' clang-tidy

fmt:
	clang-format -i $$(find src tests fuzz bench tools -name '*.[ch]')

clean:
	rm -rf build

-include $(shell find $(B) -name '*.d' 2>/dev/null)
