# Makefile — the README's commands. The build itself is Meson + Ninja (meson.build).
#   make demo    install what is missing, build, run the main job on the embedded default
#   make test    install, build, then every test under AddressSanitizer + UBSan
#   make bench   benchmarks (optimised build); make fuzz: run the fuzzers for a while
#   make format / make lint
BUILD  ?= build
TBUILD ?= build-test
MESON  := meson

.PHONY: all deps build build-test demo test bench fuzz format lint clean

all: build

deps:
	@bash scripts/deps.sh

$(BUILD)/build.ninja:
	@CC=gcc $(MESON) setup $(BUILD) --buildtype=release -Db_ndebug=false >/dev/null

$(TBUILD)/build.ninja:
	@CC=clang $(MESON) setup $(TBUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false -Dfuzz=true >/dev/null

build: deps $(BUILD)/build.ninja
	@ninja -C $(BUILD) >/dev/null || ninja -C $(BUILD)

build-test: deps $(TBUILD)/build.ninja
	@ninja -C $(TBUILD) >/dev/null || ninja -C $(TBUILD)

demo: build
	@./$(BUILD)/warden demo

test: build build-test
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  python3 tests/run.py $(TBUILD)

bench: build
	@bash scripts/deps.sh --bench
	@bash bench/run.sh $(BUILD)

fuzz: build-test
	@for t in $$(ls tests/fuzz/corpus); do mkdir -p $(TBUILD)/corpus-$$t; \
	  ./$(TBUILD)/tests/fuzz_$$t -max_total_time=$${FUZZ_SECONDS:-60} $(TBUILD)/corpus-$$t tests/fuzz/corpus/$$t || exit 1; done

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

lint: build
	@cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability --inline-suppr \
	  --suppress=missingIncludeSystem --suppress=unknownMacro -I src $$(git ls-files 'src/*.c')
	@! git grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|gets|atoi)\(' -- 'src/*.c' 'src/*.h' ':!src/core/banned.h'

clean:
	rm -rf $(BUILD) $(TBUILD)
