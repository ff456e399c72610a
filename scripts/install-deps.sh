#!/usr/bin/env bash
# Installs what the hub needs on Debian, only what is missing.
#   scripts/install-deps.sh          system libraries to build and run the hub
#   scripts/install-deps.sh --test   plus what the test suite drives: Chromium, its driver, Python packages
set -euo pipefail

packages=(libsqlite3-dev libcurl4-openssl-dev)
python_packages=()
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium chromium-driver fonts-noto-cjk dovecot-imapd wrk openssl curl sqlite3)
  python_packages=(pytest requests websocket-client selenium openapi-spec-validator pyyaml
                   wechatpy cryptography xmltodict twilio standardwebhooks aiosmtpd pyotp chinese-calendar
                   axe-selenium-python prometheus-client)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "installing system packages: ${missing[*]}"
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if ((${#python_packages[@]})); then
  need=()
  for package in "${python_packages[@]}"; do
    python3 -m pip show -q "$package" >/dev/null 2>&1 || need+=("$package")
  done
  if ((${#need[@]})); then
    echo "installing Python packages: ${need[*]}"
    python3 -m pip install -q "${need[@]}"
  fi
fi
