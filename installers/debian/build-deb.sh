#!/usr/bin/env bash
# Build the .deb from a frozen bundle (pyinstaller installers/crm-desktop.spec → dist/crm-desktop):
#
#   installers/debian/build-deb.sh [BUNDLE [OUT_DIR]]      default dist/crm-desktop and dist/
#   DEB_COMPRESSION="gzip -z1" installers/debian/build-deb.sh …   faster, larger (the test uses it)
#
# Needs dpkg-deb only (the dpkg package; --root-owner-group, so no fakeroot). Installs to
# /opt/crm-desktop with crm-desktop and crm-admin on PATH (/usr/bin links), the menu entry and its
# icons, and two systemd units that are installed but not enabled (the office server, the agent).
# Removing the package leaves every data folder alone: users' ~/.local/share/crm-desktop and the
# service's /var/lib/crm-desktop, even on purge.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
bundle="$(cd "${1:-$repo/dist/crm-desktop}" && pwd)"
out="${2:-$repo/dist}"
read -r -a compression <<<"${DEB_COMPRESSION:-xz -z6}"
[ -x "$bundle/crm-desktop" ] && [ -x "$bundle/crm-admin" ] || {
  echo "build-deb.sh: $bundle is not a frozen bundle (pyinstaller installers/crm-desktop.spec first)" >&2; exit 1; }

version=$(sed -n 's/^version *= *"\(.*\)"/\1/p' "$repo/pyproject.toml" | head -1)
arch=$(dpkg --print-architecture)
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root="$stage/crm-desktop_${version}_$arch"

install -d "$root/opt" "$root/usr/bin" "$root/usr/share/applications" "$root/lib/systemd/system" \
  "$root/usr/share/doc/crm-desktop" "$root/DEBIAN"
# hard links where the bundle is on the same file system (the staging copy is read once by dpkg-deb)
cp -al "$bundle" "$root/opt/crm-desktop" 2>/dev/null || { rm -rf "$root/opt/crm-desktop"; cp -a "$bundle" "$root/opt/crm-desktop"; }
cp "$repo/installers/README.md" "$root/opt/crm-desktop/README.md"
ln -s /opt/crm-desktop/crm-desktop "$root/usr/bin/crm-desktop"
ln -s /opt/crm-desktop/crm-admin "$root/usr/bin/crm-admin"
install -m 644 "$repo/installers/crm-desktop.desktop" "$root/usr/share/applications/crm-desktop.desktop"
for png in "$repo"/resources/icons/crm-desktop-*.png; do
  size=${png##*-}; size=${size%.png}
  install -D -m 644 "$png" "$root/usr/share/icons/hicolor/${size}x${size}/apps/crm-desktop.png"
done
install -D -m 644 "$repo/resources/icons/crm-desktop.svg" "$root/usr/share/icons/hicolor/scalable/apps/crm-desktop.svg"
install -m 644 "$here"/crm-desktop-server.service "$here"/crm-desktop-agent.service "$root/lib/systemd/system/"
install -m 644 "$here/agent.env.example" "$root/usr/share/doc/crm-desktop/agent.env.example"
install -m 755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"
chmod -R u+rwX,go+rX,go-w "$root"

# the libraries Qt's display plugins load from the system: the `run` lines of debian-packages.txt
# (Debian 13 and Ubuntu 24.04 renamed some of them …t64: either will do)
depends=$(awk '$1 !~ /^#/ && $2 == "run" && $1 != "python3-venv" {printf "%s%s | %st64", sep, $1, $1; sep=", "}' \
  "$repo/installers/debian-packages.txt")
cat >"$root/DEBIAN/control" <<CONTROL
Package: crm-desktop
Version: $version
Architecture: $arch
Maintainer: CRM desktop <crm-desktop@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends
Section: misc
Priority: optional
Homepage: https://localhost/crm-desktop
Description: customer relationship management for Chinese offices
 A PySide6 desktop client with its own embedded PostgreSQL for a single PC,
 or connecting to one shared PostgreSQL on the office LAN, which enforces every
 permission. Includes crm-admin (server, migrations, accounts, demo data) and
 optional systemd units for the office server and the agent.
CONTROL

mkdir -p "$out"
deb="$out/crm-desktop_${version}_$arch.deb"
dpkg-deb --root-owner-group -Z"${compression[0]}" "${compression[@]:1}" --build "$root" "$deb" >/dev/null
echo "$deb"
