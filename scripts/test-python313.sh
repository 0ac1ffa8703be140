#!/usr/bin/env bash
# Runs the test suite on Debian 13's Python 3.13, in a debootstrap chroot of Debian 13 (trixie).
#
#   scripts/test-python313.sh [--if-debian] [--no-browser] [pytest arguments]
#
# Needs root (debootstrap, chroot and mounts; it asks sudo otherwise) on a Debian machine whose
# apt mirror serves trixie. --if-debian skips a machine that is not Debian with a message
# instead of failing; --no-browser leaves the browser tests out (`make test` runs it with both).
# The first run makes the chroot (Python 3.13 and Graphviz) and a virtual environment in it
# with the test dependencies from pyproject.toml except torch (a few minutes, about 1 GB in
# all; the first run with browser tests adds Chromium, about 700 MB). PyPI's torch for 3.13 is
# a CUDA build of several GB, so the torch comparisons skip there. Later runs reuse both, and
# remake the environment only when pyproject.toml's dependencies change. The checkout is
# mounted read-only at /src, with the JS bundle it has (`make test` builds it first), and
# ../shared beside it at /shared where present (the seed document's tests read it); every
# mount lives in a private mount namespace, so none outlives the run.
#
# MICROGRAD_CHROOT sets the chroot's folder (default /work/chroots/trixie-py313);
# MICROGRAD_DEBIAN_MIRROR the mirror (default: the one apt uses on this machine).
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
CHROOT="${MICROGRAD_CHROOT:-/work/chroots/trixie-py313}"
SUITE=trixie
PACKAGES="python3.13 python3.13-venv ca-certificates graphviz fonts-dejavu-core"
BROWSER_PACKAGES="chromium"
VENV=/opt/venv  # inside the chroot

die() { echo "test-python313: $*" >&2; exit 1; }

browser=yes
while [ $# -gt 0 ]; do
    case "$1" in
        --if-debian)
            if ! grep -qx 'ID=debian' /etc/os-release 2>/dev/null; then
                echo "test-python313: skipped: not a Debian machine (the chroot needs its mirror)"
                exit 0
            fi
            ;;
        --no-browser) browser=no ;;
        *) break ;;
    esac
    shift
done
[ "$browser" = yes ] || set -- -m "not browser" "$@"
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "needs root (debootstrap, chroot, mount)"
    exec sudo --preserve-env=MICROGRAD_CHROOT,MICROGRAD_DEBIAN_MIRROR "$0" "$@"
fi
[ -f "$REPO/micrograd_magic/static/widget.js" ] \
    || die "the JS bundle is missing: build it first (cd js && npm ci && npm run build)"

# The mirror that serves this machine's own Debian release, read from apt's configuration
# (deb822 .sources files or one-line sources.list entries), so that no host name is written here.
debian_mirror() {
    python3 - <<'EOF'
import glob
import re

codename = ""
with open("/etc/os-release", encoding="utf-8") as f:
    for line in f:
        if line.startswith("VERSION_CODENAME="):
            codename = line.split("=", 1)[1].strip().strip('"')
for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
    with open(path, encoding="utf-8") as f:
        for stanza in re.split(r"\n\s*\n", f.read()):
            fields = dict(
                (m.group(1).lower(), m.group(2).split())
                for m in re.finditer(r"^([A-Za-z-]+):[ \t]*(.*)$", stanza, re.M)
            )
            if "deb" in fields.get("types", []) and codename in fields.get("suites", []):
                print(fields["uris"][0])
                raise SystemExit
for path in ["/etc/apt/sources.list", *sorted(glob.glob("/etc/apt/sources.list.d/*.list"))]:
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError:
        continue
    for line in lines:
        words = re.sub(r"\[[^]]*\]", "", line.split("#", 1)[0]).split()
        if len(words) >= 3 and words[0] == "deb" and words[2] == codename:
            print(words[1])
            raise SystemExit
EOF
}

make_chroot() {
    command -v debootstrap >/dev/null 2>&1 || {
        echo "Installing debootstrap with apt-get..."
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
    }
    local mirror="${MICROGRAD_DEBIAN_MIRROR:-$(debian_mirror)}"
    [ -n "$mirror" ] || die "found no Debian mirror in /etc/apt: set MICROGRAD_DEBIAN_MIRROR"
    local partial="$CHROOT.partial"
    rm -rf "$partial"
    mkdir -p "$(dirname "$CHROOT")"
    echo "Making a Debian $SUITE chroot in $CHROOT (a few minutes)..."
    timeout 1800 debootstrap --variant=minbase "$SUITE" "$partial" "$mirror" >"$partial.log" 2>&1 \
        || die "debootstrap failed; its log: $partial.log"
    apt_install "$partial" "$PACKAGES"
    mv "$partial" "$CHROOT"
}

# apt-get install into the chroot at $1 (an interrupted earlier install is finished first). No
# mounts needed: these packages' maintainer scripts run without /proc. The output goes to a log
# beside the chroot, kept when it fails.
apt_install() {
    local log="$CHROOT.partial.log"
    cp /etc/resolv.conf "$1/etc/resolv.conf"
    timeout 1800 chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
        DEBIAN_FRONTEND=noninteractive sh -c "dpkg --configure -a && apt-get update -qq \
        && apt-get install -y -qq --no-install-recommends $2 && apt-get clean" >>"$log" 2>&1 \
        || die "apt-get in the chroot failed; its log: $log"
    rm -f "$log"
}

[ -x "$CHROOT/usr/bin/python3.13" ] || make_chroot
if [ "$browser" = yes ] && [ ! -x "$CHROOT/usr/bin/chromium" ]; then
    echo "Installing Chromium into the chroot for the browser tests (a few minutes)..."
    apt_install "$CHROOT" "$BROWSER_PACKAGES"
fi

# The test dependencies as pyproject.toml lists them, less torch (see the top of this file).
requirements="$(timeout 60 chroot "$CHROOT" /usr/bin/python3.13 <"$REPO/pyproject.toml" -c '
import re, sys, tomllib
project = tomllib.loads(sys.stdin.read())["project"]
for req in project["dependencies"] + project["optional-dependencies"]["test"]:
    if re.match(r"torch\b", req) is None:
        print(req)
')"
stamp="$(printf '%s\n' "$requirements" | sha256sum | cut -c1-16)"

# Everything else runs in a private mount namespace: its mounts vanish with it, however the run
# ends. The host's CA bundle comes along so that pip trusts what the host trusts.
exec unshare --mount --propagation private /usr/bin/env \
    CHROOT="$CHROOT" REPO="$REPO" VENV="$VENV" STAMP="$stamp" REQUIREMENTS="$requirements" \
    bash -euo pipefail -c '
mount -t proc proc "$CHROOT/proc"
mount --bind /dev "$CHROOT/dev"
mount -t tmpfs -o size=1g tmpfs "$CHROOT/dev/shm"
mount -t tmpfs tmpfs "$CHROOT/tmp"
mkdir -p "$CHROOT/src"
mount --bind "$REPO" "$CHROOT/src"
mount -o remount,bind,ro "$CHROOT/src"
if [ -d "$REPO/../shared" ]; then
    mkdir -p "$CHROOT/shared"
    mount --bind "$REPO/../shared" "$CHROOT/shared"
    mount -o remount,bind,ro "$CHROOT/shared"
fi
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$CHROOT/etc/ssl/host-ca.crt"

in_chroot() {  # a time limit in seconds, then the command
    local limit="$1"
    shift
    timeout "$limit" chroot "$CHROOT" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
        PATH="$VENV/bin:/usr/sbin:/usr/bin:/sbin:/bin" PYTHONDONTWRITEBYTECODE=1 \
        PIP_CERT=/etc/ssl/host-ca.crt SSL_CERT_FILE=/etc/ssl/host-ca.crt \
        PIP_DISABLE_PIP_VERSION_CHECK=1 HYPOTHESIS_STORAGE_DIRECTORY=/tmp/hypothesis \
        "$@"
}

if [ "$(cat "$CHROOT$VENV/.stamp" 2>/dev/null)" != "$STAMP" ]; then
    echo "Installing the test dependencies into $VENV in the chroot..."
    rm -rf "$CHROOT$VENV"
    in_chroot 300 /usr/bin/python3.13 -m venv "$VENV"
    printf "%s\n" "$REQUIREMENTS" >"$CHROOT/tmp/requirements.txt"
    in_chroot 1800 pip install -q -r /tmp/requirements.txt
    echo "$STAMP" >"$CHROOT$VENV/.stamp"
fi
# The checkout itself, importable from the venv as an editable install makes it (without its
# build, which would need npm and the editables package).
echo /src >"$CHROOT$VENV/lib/python3.13/site-packages/micrograd_magic_checkout.pth"
in_chroot 60 python --version
in_chroot 3600 env -C /src python -m pytest -p no:cacheprovider "$@"
' test-python313 "$@"
