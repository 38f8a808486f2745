# SPDX-License-Identifier: MIT
# specvisor freestanding guests; included by the top Makefile (paths are
# relative to the repository root).  Everything here is prefixed GUEST_ so
# it cannot collide with the host build.  Outputs:
#   $(BUILD)/guest/demo.elf          the bundled demonstration guest
#   $(BUILD)/guest/tests/<name>.elf  one guest per integration scenario
# Add a test guest: drop guest/tests/<name>.c (with an int main(void)) and
# add <name> to GUEST_TESTS.

BUILD        ?= build
GUEST_CC     ?= gcc
GUEST_LD     ?= ld
GUEST_OUT    := $(BUILD)/guest
GUEST_OBJ    := $(GUEST_OUT)/obj

GUEST_TESTS  := hello smp triplefault mmio cmdline msrprobe fw_cfg idle msrloop echo

GUEST_CFLAGS := -std=c11 -m64 -ffreestanding -fno-pic -fno-pie -mno-red-zone \
                -mgeneral-regs-only -fno-stack-protector -nostdlib -O2 -g \
                -fno-asynchronous-unwind-tables -fcf-protection=none \
                -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
                -Iguest/rt -Iguest/vmitig -MMD -MP
# GCC would otherwise turn the byte loops of memset/memcpy into calls to themselves.
ifeq ($(findstring clang,$(shell $(GUEST_CC) --version 2>/dev/null | head -n1)),)
GUEST_CFLAGS += -fno-tree-loop-distribute-patterns
endif
GUEST_ASFLAGS := -m64 -fno-pic -fno-pie -Iguest/rt -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -T guest/rt/link.ld -z max-page-size=0x1000 \
                 -z noexecstack --build-id=none \
                 $(shell $(GUEST_LD) --help 2>/dev/null | grep -q -- --no-warn-rwx-segments && echo --no-warn-rwx-segments)

GUEST_RT_SRC := $(wildcard guest/rt/*.c) guest/vmitig/vmitig.c
GUEST_RT_ASM := guest/rt/entry.S guest/rt/isr.S guest/rt/safe.S guest/rt/trampoline.S
GUEST_RT_OBJ := $(GUEST_RT_SRC:guest/%.c=$(GUEST_OBJ)/%.o) $(GUEST_RT_ASM:guest/%.S=$(GUEST_OBJ)/%.o)
GUEST_MB_OBJ := $(GUEST_OBJ)/rt/mbheader.o
GUEST_MAIN_OBJ := $(GUEST_OBJ)/demo/demo.o $(GUEST_TESTS:%=$(GUEST_OBJ)/tests/%.o)

GUEST_MB_ELF := $(GUEST_OUT)/demo.elf $(GUEST_TESTS:%=$(GUEST_OUT)/tests/%.elf)
# Direct 64-bit ELF entry (no multiboot header): specvisor only.
GUEST_ELF64  := $(GUEST_OUT)/tests/hello64.elf
GUEST_ALL    := $(GUEST_MB_ELF) $(GUEST_ELF64)

define guest_link
@mkdir -p $(dir $@)
@$(if $(Q),echo "  GUESTLD $@")
$(Q)$(GUEST_LD) $(GUEST_LDFLAGS) -e $(1) -o $@ $(filter %.o,$^)
endef

$(GUEST_RT_SRC:guest/%.c=$(GUEST_OBJ)/%.o) $(GUEST_MAIN_OBJ): $(GUEST_OBJ)/%.o: guest/%.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTCC $<")
	$(Q)$(GUEST_CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_RT_ASM:guest/%.S=$(GUEST_OBJ)/%.o) $(GUEST_MB_OBJ): $(GUEST_OBJ)/%.o: guest/%.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  GUESTAS $<")
	$(Q)$(GUEST_CC) $(GUEST_ASFLAGS) -c $< -o $@

$(GUEST_OUT)/demo.elf: $(GUEST_OBJ)/demo/demo.o $(GUEST_MB_OBJ) $(GUEST_RT_OBJ) guest/rt/link.ld
	$(call guest_link,_start)

$(GUEST_TESTS:%=$(GUEST_OUT)/tests/%.elf): $(GUEST_OUT)/tests/%.elf: \
		$(GUEST_OBJ)/tests/%.o $(GUEST_MB_OBJ) $(GUEST_RT_OBJ) guest/rt/link.ld
	$(call guest_link,_start)

$(GUEST_OUT)/tests/hello64.elf: $(GUEST_OBJ)/tests/hello.o $(GUEST_RT_OBJ) guest/rt/link.ld
	$(call guest_link,_start64)
