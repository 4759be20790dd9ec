# Noaber: `make run` serves the demo on http://localhost:8080, `make test`
# runs every test. Both install what they need first (Debian packages, npm
# packages).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DB ?= data/noaber.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
NOABER := $(BUILD_DIR)/noaber

WEB_DEPS := web/node_modules/.package-lock.json
WEB_SOURCES := $(shell find web/src web/public web/scripts -type f 2>/dev/null) \
               web/index.html web/vite.config.ts web/tsconfig.json web/package.json

.PHONY: all build server web deps configure run test test-server test-web \
        test-unit test-store test-api test-scaleout bench bench-micro clean
.PHONY: sanitize fuzz fuzz-build fuzz-smoke soak

all: build

build: server web

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

server: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

# The web app: npm packages from the lock file, then a Vite build into
# web/dist with .gz/.br siblings for every asset.
$(WEB_DEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund
	@touch $@

web/dist/index.html: $(WEB_DEPS) $(WEB_SOURCES)
	cd web && npm run build

web: web/dist/index.html

run: build
	$(NOABER) migrate --db $(DB)
	$(NOABER) seed-demo --db $(DB)
	$(NOABER) serve --db $(DB) --listen $(LISTEN) --web web/dist

# Everything CI runs: the suites, the browser tests, the same suites again
# under ASan and UBSan, and ten seconds of every fuzz target.
test: test-server test-web sanitize fuzz-smoke

# Every C++ suite; the store contract runs on SQLite and on a throwaway
# PostgreSQL 15 cluster that scripts/test-postgres starts and removes.
test-server: server
	@scripts/install-deps postgres bench
	scripts/test-postgres ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS) --timeout 300

# Browser tests: Debian's Chromium driven by playwright-core.
test-web: server web
	@scripts/install-deps browser
	cd web && NOABER_BINARY=../$(NOABER) npm test

test-unit test-store test-api: server
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L $(subst test-,,$@)

# Two server processes on one PostgreSQL behind nginx (tests/scaleout).
test-scaleout: server
	@scripts/install-deps postgres
	scripts/test-postgres ctest --test-dir $(BUILD_DIR) --output-on-failure -L scaleout

# The load benchmark (docs/performance.md): one table of feed reads, the
# nginx limit, durable writes, a mixed load and peak memory, measured in one
# run. BENCH_SCALE=tiny|small|national (national is the quoted one).
BENCH_SCALE ?= national
bench: server
	@scripts/install-deps bench
	NOABER_BINARY=$(NOABER) bench/bench.sh --scale $(BENCH_SCALE)

# Google Benchmark micro-benchmarks: cursor codec, Markdown, feed JSON, and
# the feed query on a large synthetic data set (NOABER_BENCH_DB to reuse one).
bench-micro: server
	$(BUILD_DIR)/noaber_benchmarks

# A long mixed load against one server: zero 5xx, memory growth under 10 %.
SOAK_SECONDS ?= 600
soak: server
	@scripts/install-deps bench
	NOABER_BINARY=$(NOABER) bench/soak.sh --duration $(SOAK_SECONDS)s

# One clang build under AddressSanitizer and UBSan serves both the sanitized
# test run and the libFuzzer targets (fuzz/): the libraries carry the fuzzer's
# coverage hooks too, which cost the tests little and save a second build.
# -O1 with line tables keeps the build quick and the stack traces readable.
SANITIZE_DIR ?= build-sanitize
SANITIZE_CXX ?= clang++-16
SANITIZE_CC ?= clang-16
SANITIZE_FLAGS := -O1 -gline-tables-only

$(SANITIZE_DIR)/build.ninja:
	@scripts/install-deps fuzz
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=None \
	  -DCMAKE_CXX_COMPILER=$(SANITIZE_CXX) -DCMAKE_C_COMPILER=$(SANITIZE_CC) \
	  -DCMAKE_CXX_FLAGS="$(SANITIZE_FLAGS)" -DCMAKE_C_FLAGS="$(SANITIZE_FLAGS)" \
	  -DNOABER_FUZZ=ON -DNOABER_BUILD_BENCH=OFF

# Every C++ suite (both store backends) under the sanitizers.
sanitize: deps $(SANITIZE_DIR)/build.ninja
	@scripts/install-deps fuzz
	@scripts/install-deps postgres
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 UBSAN_OPTIONS=print_stacktrace=1 \
	  scripts/test-postgres ctest --test-dir $(SANITIZE_DIR) --output-on-failure -j $(JOBS) --timeout 600

# The libFuzzer targets. Each runs FUZZ_SECONDS on a scratch copy of its seed
# corpus, so runs never add files to the repository; crashes land in
# $(FUZZ_WORK).
FUZZ_SECONDS ?= 60
FUZZ_WORK ?= $(SANITIZE_DIR)/fuzz-work
FUZZ_TARGETS := fuzz_request_pipeline fuzz_json_body fuzz_markdown fuzz_cursor

fuzz-build: deps $(SANITIZE_DIR)/build.ninja
	@scripts/install-deps fuzz
	cmake --build $(SANITIZE_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_WORK)/$$t && mkdir -p $(FUZZ_WORK)/$$t/corpus $(FUZZ_WORK)/$$t/artifacts && \
	  cp fuzz/corpus/$$t/* $(FUZZ_WORK)/$$t/corpus/ && \
	  echo "== $$t: $(FUZZ_SECONDS) s" && \
	  $(SANITIZE_DIR)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_WORK)/$$t/artifacts/ -dict=fuzz/$$t.dict \
	    $(FUZZ_WORK)/$$t/corpus 2>$(FUZZ_WORK)/$$t/log.txt || \
	    { tail -n 60 $(FUZZ_WORK)/$$t/log.txt; exit 1; }; \
	  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
	    $(FUZZ_WORK)/$$t/log.txt; \
	done

# Every target for ten seconds; part of `make test`.
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

clean:
	rm -rf $(BUILD_DIR) $(SANITIZE_DIR) web/dist web/node_modules
