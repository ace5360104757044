#!/usr/bin/env bash
# The system pieces WeasyPrint needs: Pango, HarfBuzz's subsetter (fast font
# subsetting), and a CJK serif font for Chinese certificates. Installs them
# with apt where they are missing and we may; otherwise says what to install.
set -u
missing=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }
have_lib 'libpango-1.0.so' || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
have_lib 'libharfbuzz-subset.so' || missing+=(libharfbuzz-subset0)
fc-list 2>/dev/null | grep -qi 'Noto Serif CJK' || missing+=(fonts-noto-cjk)
command -v fc-list >/dev/null 2>&1 || missing+=(fontconfig)
"${PYTHON:-python3}" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
# The browser journeys (tests/e2e) drive Debian's Chromium; Playwright never
# downloads a browser of its own. Without it those tests skip, saying why.
optional=()
command -v chromium >/dev/null 2>&1 || [ -x "${CHROMIUM:-/usr/bin/chromium}" ] || optional+=(chromium)

if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
  exit 0
fi
required=${#missing[@]}
missing+=("${optional[@]}")
echo "Installing system packages (PDF rendering, browser tests): ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && SUDO="sudo -n"
if command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ -n "$SUDO" ]; }; then
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null && exit 0
fi
if [ "$required" -eq 0 ]; then
  echo "未安装 Chromium，浏览器测试将跳过 / Chromium is not installed: the browser tests (tests/e2e) will skip" >&2
  exit 0
fi
cat >&2 <<MSG
缺少生成 PDF 或浏览器测试所需的系统组件 / Missing system packages for PDF rendering or browser tests:
    ${missing[*]}
请以管理员身份安装 / Install them as an administrator, e.g. on Debian/Ubuntu:
    sudo apt-get install ${missing[*]}
MSG
exit 1
