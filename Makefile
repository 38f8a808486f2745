# specvisor — GNU Make build.  `make help` lists the targets.
#
# Every .c under src/ except src/main.c goes into build/libspecvisor.a, so a new
# file needs no Makefile change.  Unit tests are tests/unit/test_*.c (one binary
# each, cmocka); fuzz targets are tests/fuzz/fuzz_*.c (libFuzzer, clang).
# The freestanding guests are built by guest/guest.mk.

CC       ?= cc
PREFIX   ?= /usr/local
BUILD    ?= build
V        ?= 0

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter
CFLAGS   ?= -O2 -g
# Models are found next to the binary, installed under PREFIX, or (last) in
# the source tree it was built from, so an out-of-tree BUILD works too.
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARN) -Isrc -MMD -MP \
             -DSPECVISOR_SRC_DATA='"$(abspath data)"' $(CFLAGS)
LDLIBS   += -ljansson -lpthread

ifeq ($(V),0)
Q := @
endif

LIB_SRC  := $(filter-out src/main.c,$(shell find src -name '*.c' | sort))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB      := $(BUILD)/libspecvisor.a
BIN      := $(BUILD)/specvisor

UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
UNIT_HELPERS := $(filter-out $(UNIT_SRC),$(wildcard tests/unit/*.c))

FUZZ_SRC := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
FUZZ_CC  ?= clang
FUZZ_FLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined \
              -fno-sanitize-recover=undefined
FUZZ_TIME ?= 60

DEPS_STAMP := $(BUILD)/.deps-ok
# make run: plan a pool of Cascade Lake and Sapphire Rapids hosts, then boot the
# demo guest on the pool's model as if on the Sapphire Rapids host.
DEMO_POOL := $(BUILD)/clx-spr-pool.json
RUN_ARGS ?= --cpu-model $(DEMO_POOL) --host-profile data/hosts/sapphirerapids.json --report text

.PHONY: lint all check unit integration run fuzz fuzz-build bench install asan valgrind clean help guests deps

all: $(BIN) guests

help:
	@echo "make            build specvisor and the bundled guests"
	@echo "make run        build, then boot the demonstration guest (RUN_ARGS=... to change)"
	@echo "make check      all tests: unit, then integration (needs /dev/kvm, else skipped loudly)"
	@echo "make unit       unit tests only"
	@echo "make fuzz       build the libFuzzer targets and run each for FUZZ_TIME seconds"
	@echo "make bench      benchmarks (bench/), results in docs/performance.md"
	@echo "make asan       build with ASan+UBSan into build-asan/ and run the test suite"
	@echo "make valgrind   run the unit tests and an integration boot under valgrind"
	@echo "make lint       cppcheck and the clang static analyzer over src/"
	@echo "make install    install to PREFIX ($(PREFIX))"

# The project installs what it needs (scripts/deps.sh, idempotent) before the
# first compile.
$(DEPS_STAMP): scripts/deps.sh
	$(Q)scripts/deps.sh
	@mkdir -p $(dir $@) && touch $@

$(BUILD)/%.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@$(if $(Q),echo "  AR      $@")
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(BUILD)/src/main.o $(LIB)
	@$(if $(Q),echo "  LD      $@")
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(UNIT_HELPERS) $(LIB)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  TEST    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) $< $(UNIT_HELPERS) $(LIB) -o $@ $(LDLIBS) -lcmocka

include guest/guest.mk

guests: $(GUEST_ALL)

unit: $(UNIT_BIN)
	$(Q)tests/run-unit.sh $(UNIT_BIN)

integration: $(BIN) guests
	$(Q)SPECVISOR=$(BIN) GUESTS=$(BUILD)/guest tests/integration/run.sh

check: $(BIN) guests $(UNIT_BIN) $(FUZZ_BIN)
	$(Q)FUZZ_BINS="$(FUZZ_BIN)" tests/run-all.sh "$(BIN)" "$(BUILD)/guest" $(UNIT_BIN)

run: $(BIN) guests
	$(BIN) pool baseline data/hosts/cascadelake.json data/hosts/sapphirerapids.json \
	  --name clx-spr-pool --output $(DEMO_POOL)
	$(BIN) run $(RUN_ARGS)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRC)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) $< $(LIB_SRC) -o $@ -ljansson -lpthread

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	$(Q)for f in $(FUZZ_BIN); do n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus-$$n; \
	  echo "  fuzz $$n for $(FUZZ_TIME)s (new inputs: $(BUILD)/fuzz/corpus-$$n)"; \
	  $$f -max_total_time=$(FUZZ_TIME) -print_final_stats=0 -artifact_prefix=$(BUILD)/fuzz/$$n- \
	    $(BUILD)/fuzz/corpus-$$n tests/fuzz/corpus/$$n >/dev/null 2>$(BUILD)/fuzz/$$n.log \
	    || { tail -40 $(BUILD)/fuzz/$$n.log; exit 1; }; done

bench: $(BIN) guests
	$(Q)bench/run.sh

asan:
	$(MAKE) BUILD=build-asan CC=$(CC) CFLAGS="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer" \
	  LDFLAGS="-fsanitize=address,undefined" check

valgrind: $(BIN) guests $(UNIT_BIN)
	$(Q)VALGRIND=1 tests/run-all.sh "$(BIN)" "$(BUILD)/guest" $(UNIT_BIN)

install: $(BIN) guests
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/specvisor/models $(DESTDIR)$(PREFIX)/share/specvisor/guest
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/specvisor
	install -m 644 data/models/*.json $(DESTDIR)$(PREFIX)/share/specvisor/models/
	install -m 644 $(BUILD)/guest/demo.elf $(DESTDIR)$(PREFIX)/share/specvisor/guest/

deps:
	scripts/deps.sh

lint:
	$(Q)scripts/lint.sh

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) build-asan -name '*.d' 2>/dev/null)
