#!/usr/bin/env bash
# Fetch the vendored front-end files from the npm registry (government intranets
# block CDNs, so we serve every file ourselves) and rewrite each VERSIONS file.
# Usage: bash scripts/vendor.sh   (then review and commit the diff)
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# package version file-in-package vendor-directory path-under-it licence
# Each vendor directory has one VERSIONS file listing the paths under it, which is
# where tests/townadmin/test_vendor.py looks for them.
assets=(
  "axe-core 4.14.1 axe.min.js tests/e2e/vendor axe.min.js MPL-2.0"
  "echarts 5.6.0 dist/echarts.min.js static/vendor echarts/echarts.min.js Apache-2.0"
)

declare -A versions_files=()
for line in "${assets[@]}"; do
  read -r package version file directory path licence <<<"$line"
  destination="$directory/$path"
  (cd "$work" && npm pack --silent "$package@$version" >/dev/null)
  mkdir -p "$work/$package" "$(dirname "$destination")"
  tar -xzf "$work/${package}-${version}.tgz" -C "$work/$package"
  cp "$work/$package/package/$file" "$destination"
  versions_file="$directory/VERSIONS"
  if [[ -z "${versions_files[$versions_file]:-}" ]]; then
    # Keep the header and the notes (the # lines, e.g. why htmx is not here); only the
    # entries are rewritten.
    grep '^#' "$versions_file" >"$work/VERSIONS.head" 2>/dev/null \
      || printf '# name\tversion\tlicence\tsha256\tfile\n' >"$work/VERSIONS.head"
    cp "$work/VERSIONS.head" "$versions_file"
    versions_files[$versions_file]=1
  fi
  checksum=$(sha256sum "$destination" | cut -d' ' -f1)
  printf '%s\t%s\t%s\t%s\t%s\n' "$package" "$version" "$licence" "$checksum" "$path" >>"$versions_file"
done
echo "Vendored ${#assets[@]} file(s)."
