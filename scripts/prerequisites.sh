#!/usr/bin/env bash
# Installs what ReportPoc needs beyond the .NET SDK on a Debian/Ubuntu machine without a container runtime:
# PostgreSQL's server binaries (local infrastructure mode), Chromium with a Korean font (the browser test), and the
# Aspire CLI (the repository's only local dotnet tool), which the AppHost build runs through .NET 10's `dnx` to get DCP
# and the dashboard. Tools only some tasks need (dotnet-trace, dotnet-ef) run through `dotnet dnx` at a pinned version
# instead of sitting in the manifest: docs/design.md §8 says why.
# With --with-load-tools also `hey`, the HTTP load tool the benchmark's accept mode measures with (scripts/evidence.sh).
# Idempotent and quiet when everything is present; says what it does when it installs.
# Usage: scripts/prerequisites.sh [--with-browser] [--with-load-tools]
set -euo pipefail
cd "$(dirname "$0")/.."

with_browser=0 with_load_tools=0
for argument in "$@"; do
  case "$argument" in
    --with-browser) with_browser=1 ;;
    --with-load-tools) with_load_tools=1 ;;
    *) echo "Unknown argument '$argument'. Usage: scripts/prerequisites.sh [--with-browser] [--with-load-tools]" >&2; exit 2 ;;
  esac
done

# Standard .NET installs put dnx on PATH beside dotnet; an install that linked only `dotnet` into /usr/bin does not.
if ! command -v dnx >/dev/null; then
  dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
  if [ -x "$dotnet_root/dnx" ] && [ -w /usr/local/bin ]; then
    ln -s "$dotnet_root/dnx" /usr/local/bin/dnx
  else
    echo "ReportPoc needs .NET 10's dnx on PATH (it is in $dotnet_root): add that directory to PATH." >&2
    exit 1
  fi
fi
[ -d "${NUGET_PACKAGES:-$HOME/.nuget/packages}/aspire.cli" ] || echo "Restoring the Aspire CLI (the local tool in .config/dotnet-tools.json)…"
if ! restored=$(dotnet tool restore 2>&1); then
  echo "$restored" >&2
  echo "dotnet tool restore failed (.config/dotnet-tools.json)." >&2
  exit 1
fi

packages=()
compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || packages+=(postgresql)
if [ $with_browser = 1 ]; then
  command -v chromium >/dev/null || packages+=(chromium)
  # The page speaks Korean too: without a Korean font its screenshots show boxes instead of Hangul.
  fc-list :lang=ko 2>/dev/null | grep -q . || packages+=(fonts-nanum)
fi
[ $with_load_tools = 0 ] || command -v hey >/dev/null || packages+=(hey)

# The OpenAPI linter the tests run (Redocly CLI), pinned, in the repository's .tools folder.
if [ $with_browser = 1 ] && [ ! -x .tools/node_modules/.bin/redocly ]; then
  echo "Installing the OpenAPI linter (Redocly CLI, npm) into .tools…"
  npm install --prefix .tools --no-audit --no-fund --loglevel=error @redocly/cli@2.77.0 >/dev/null
fi

if [ ${#packages[@]} -eq 0 ]; then
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then sudo=(sudo); else
    echo "ReportPoc needs: ${packages[*]}. Install them as root: apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

echo "Installing prerequisites with apt-get: ${packages[*]} (a minute or two)…"
export DEBIAN_FRONTEND=noninteractive
echo "  updating the package lists…"
"${sudo[@]}" apt-get update -qq
echo "  downloading and installing…"
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
# The Debian package starts a system cluster on 5432; ReportPoc runs its own server and does not need it.
if command -v pg_ctlcluster >/dev/null; then
  "${sudo[@]}" service postgresql stop >/dev/null 2>&1 || true
fi
echo "Prerequisites installed."
