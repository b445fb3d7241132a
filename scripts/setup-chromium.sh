#!/usr/bin/env bash
# Make sure a headless-capable Chromium is available for the browser tests
# (tests/report/test_report_browser.py, tests/web/test_browser.py; pytest marker "browser").
#
# - If chromium / chromium-browser is already on PATH: print its version, exit 0.
# - Else, when running as root on a system with apt-get: install Debian's "chromium".
# - Either way, as root with apt-get: add Debian's "chromium-driver" (chromedriver, for the Selenium
#   tests of `lagebild serve`) when it is missing; without it those tests are skipped.
# - Else: explain how to install it and exit 1.
#
# Idempotent: a second run only prints the version.
set -euo pipefail

find_chromium() {
    local name
    for name in chromium chromium-browser; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

print_version() {
    local bin="$1" version
    # --version does not start a browser; guard it anyway so a broken install cannot hang us.
    if version="$(timeout 30 "$bin" --version 2>/dev/null)"; then
        echo "setup-chromium: found $bin: $version"
    else
        echo "setup-chromium: found $bin (could not read its version)"
    fi
}

ensure_driver() {
    if command -v chromedriver >/dev/null 2>&1; then
        return 0
    fi
    if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
        echo "setup-chromium: chromedriver not found; installing chromium-driver with apt-get ..."
        if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver >/dev/null 2>&1; then
            apt-get update -qq
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-driver >/dev/null \
                || echo "setup-chromium: could not install chromium-driver; the Selenium tests will be skipped" >&2
        fi
    fi
}

if bin="$(find_chromium)"; then
    print_version "$bin"
    ensure_driver
    exit 0
fi

if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "setup-chromium: chromium not found; installing it with apt-get (this can take a minute) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    if bin="$(find_chromium)"; then
        print_version "$bin"
        ensure_driver
        exit 0
    fi
    echo "setup-chromium: apt-get install finished but no chromium binary is on PATH" >&2
    exit 1
fi

cat >&2 <<'EOF'
setup-chromium: no chromium binary found on PATH (looked for: chromium, chromium-browser).
Install it, then rerun the browser tests:
  Debian/Ubuntu (as root):  apt-get update && apt-get install -y chromium
  Fedora:                   dnf install chromium
  macOS (Homebrew):         brew install --cask chromium   (and put it on PATH as "chromium")
Without it, the tests marked "browser" are skipped.
EOF
exit 1
