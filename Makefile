# Noaber: `make run` serves the demo on http://localhost:8080, `make test`
# runs every test. Both install what they need first (Debian packages).

BUILD_DIR ?= build
BUILD_TYPE ?= RelWithDebInfo
DB ?= data/noaber.db
LISTEN ?= 127.0.0.1:8080
JOBS ?= $(shell nproc)
NOABER := $(BUILD_DIR)/noaber

.PHONY: all build deps configure run test test-unit test-store test-api bench clean

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE)

configure: $(BUILD_DIR)/build.ninja

build: deps configure
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: build
	$(NOABER) migrate --db $(DB)
	$(NOABER) seed-demo --db $(DB)
	$(NOABER) serve --db $(DB) --listen $(LISTEN) --web web/dist

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

test-unit test-store test-api: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L $(subst test-,,$@)

# Micro-benchmarks of hot functions, then feed reads over HTTP with wrk.
bench: build
	@scripts/install-deps bench
	$(BUILD_DIR)/noaber_benchmarks
	bench/feed_wrk.sh

clean:
	rm -rf $(BUILD_DIR)
