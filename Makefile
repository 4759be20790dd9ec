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
        test-unit test-store test-api bench clean

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

test-server: server
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

# Browser tests: Debian's Chromium driven by playwright-core.
test-web: server web
	@scripts/install-deps browser
	cd web && NOABER_BINARY=../$(NOABER) npm test

test-unit test-store test-api: server
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) -L $(subst test-,,$@)

# Micro-benchmarks of hot functions, then feed reads over HTTP with wrk.
bench: server
	@scripts/install-deps bench
	$(BUILD_DIR)/noaber_benchmarks
	NOABER_BINARY=$(NOABER) bench/feed_wrk.sh

clean:
	rm -rf $(BUILD_DIR) web/dist web/node_modules
