# Sourced by .ci/run (venv active): Debian's chromium for the headless-browser tests, and
# CJK fonts so the screenshots show Chinese instead of boxes. Idempotent: installs only what
# is missing. Runs as root or through sudo.
# shellcheck shell=bash

_sxworker_apt_install() {
    local sudo=""
    if [ "$(id -u)" != "0" ]; then
        if command -v sudo >/dev/null 2>&1; then sudo="sudo -n"; else
            echo "setup-chromium: need root or sudo to install $*" >&2
            return 1
        fi
    fi
    if [ -z "${_SXWORKER_APT_UPDATED:-}" ]; then
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || return 1
        _SXWORKER_APT_UPDATED=1
    fi
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null \
        || $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

_sxworker_missing=()
[ -x /usr/bin/chromium ] || _sxworker_missing+=(chromium)
if ! { command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q .; }; then
    _sxworker_missing+=(fonts-noto-cjk fontconfig)
fi
if [ "${#_sxworker_missing[@]}" -gt 0 ]; then
    echo "setup-chromium: installing ${_sxworker_missing[*]}" >&2
    _sxworker_apt_install "${_sxworker_missing[@]}"
fi
unset _sxworker_missing
unset -f _sxworker_apt_install

# The tests look here; export it so a chromium elsewhere could be named instead.
export SXWORKER_CHROMIUM="${SXWORKER_CHROMIUM:-/usr/bin/chromium}"
