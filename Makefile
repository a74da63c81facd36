# The two commands a newcomer types (README.md): `make run` and `make test`.
# Both install what is missing (scripts/install-deps.sh), configure and build first.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all deps configure build run phold test bench asan fuzz clean

all: build

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job on its default: the quickstart scenario (100 service nodes, 500 clients,
# 10 simulated minutes), its summary and its report.
run: build
	$(BUILD_DIR)/sim/app/sessionsim run scenarios/quickstart.yaml --out out/quickstart --report

# PHOLD, the engine's own benchmark model.
phold: build
	$(BUILD_DIR)/sim/app/sessionsim phold --lps 1000 --events-per-lp 10 --end 1000

test: build
	ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: build
	$(BUILD_DIR)/bench/bench_engine
	$(BUILD_DIR)/bench/bench_onion
	$(BUILD_DIR)/bench/bench_scenario
	$(BUILD_DIR)/bench/bench_memory

# The test suite under AddressSanitizer + UndefinedBehaviorSanitizer, in its own build folder.
# -O1 -g1 (line tables: reports keep file:line) compiles about twice as fast as -O2 -g, which
# keeps CI inside its budget; -O1 is what the sanitizers' own documentation recommends.
asan: deps
	@cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSESSIONSIM_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DSESSIONSIM_BUILD_BENCH=OFF >/dev/null
	@cmake --build build-asan -j $(JOBS)
	ctest --test-dir build-asan --output-on-failure -j $(JOBS) -LE long

# libFuzzer targets (clang), each run for FUZZ_SECONDS from its committed seed corpus; -O1 with
# line tables, as the sanitizer build.
FUZZ_SECONDS ?= 30
fuzz: deps
	@cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSESSIONSIM_FUZZ=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only -DNDEBUG" -DCMAKE_CXX_COMPILER=clang++ >/dev/null
	@cmake --build build-fuzz -j $(JOBS)
	bash tests/fuzz/run-fuzzers.sh build-fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR) build-asan build-fuzz
