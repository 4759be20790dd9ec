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
        test-unit test-store test-api bench bench-micro clean
.PHONY: sanitize fuzz fuzz-build fuzz-smoke

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

test: test-server test-web

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

# The whole ctest suite built with g++ under AddressSanitizer and UBSan.
SANITIZE_DIR ?= build-sanitize
sanitize: deps
	cmake -S . -B $(SANITIZE_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DNOABER_SANITIZE=ON -DNOABER_BUILD_BENCH=OFF
	cmake --build $(SANITIZE_DIR) -j $(JOBS)
	cd $(SANITIZE_DIR) && ASAN_OPTIONS=detect_leaks=1:strict_string_checks=1 \
	  UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j $(JOBS) --timeout 600

# libFuzzer targets (fuzz/) under ASan and UBSan, built with clang in their
# own directory. Each runs FUZZ_SECONDS on a scratch copy of its seed corpus,
# so runs never add files to the repository; crashes land in $(FUZZ_WORK).
FUZZ_DIR ?= build-fuzz
FUZZ_CXX ?= clang++-16
FUZZ_CC ?= clang-16
FUZZ_SECONDS ?= 60
FUZZ_WORK ?= $(FUZZ_DIR)/work
FUZZ_TARGETS := fuzz_request_pipeline fuzz_json_body fuzz_markdown fuzz_cursor

$(FUZZ_DIR)/build.ninja:
	@scripts/install-deps fuzz
	cmake -S . -B $(FUZZ_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DCMAKE_CXX_COMPILER=$(FUZZ_CXX) -DCMAKE_C_COMPILER=$(FUZZ_CC) -DNOABER_FUZZ=ON \
	  -DNOABER_BUILD_TESTS=OFF -DNOABER_BUILD_BENCH=OFF

fuzz-build: deps $(FUZZ_DIR)/build.ninja
	@scripts/install-deps fuzz
	cmake --build $(FUZZ_DIR) -j $(JOBS) --target $(FUZZ_TARGETS)

fuzz: fuzz-build
	@set -e; for t in $(FUZZ_TARGETS); do \
	  rm -rf $(FUZZ_WORK)/$$t && mkdir -p $(FUZZ_WORK)/$$t/corpus $(FUZZ_WORK)/$$t/artifacts && \
	  cp fuzz/corpus/$$t/* $(FUZZ_WORK)/$$t/corpus/ && \
	  echo "== $$t: $(FUZZ_SECONDS) s" && \
	  $(FUZZ_DIR)/fuzz/$$t -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	    -artifact_prefix=$(FUZZ_WORK)/$$t/artifacts/ -dict=fuzz/$$t.dict \
	    $(FUZZ_WORK)/$$t/corpus 2>$(FUZZ_WORK)/$$t/log.txt || \
	    { tail -n 60 $(FUZZ_WORK)/$$t/log.txt; exit 1; }; \
	  grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb)' \
	    $(FUZZ_WORK)/$$t/log.txt; \
	done

# Every target for ten seconds (not yet part of .ci/run: see fuzz/README.md).
fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

clean:
	rm -rf $(BUILD_DIR) web/dist web/node_modules
