#!/bin/sh
# Re-extract every tr() string, fill the Chinese from the *.tsv word lists, compile the .qm.
#   resources/translations/update.sh        (from anywhere; needs the project's virtualenv)
# Fails (exit 1) and lists the strings that still have no Chinese translation.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root"
ts="$here/crm_zh_CN.ts"
# sorted: the same sources always give the same .ts
pyside6-lupdate $(find crm_desktop/ui crm_desktop/printing/ui crm_desktop/app.py -name '*.py' | LC_ALL=C sort) \
    -source-language en -target-language zh_CN -no-obsolete -locations none -ts "$ts"
python "$here/fill_ts.py" "$ts"
pyside6-lrelease -silent "$ts" -qm "$here/crm_zh_CN.qm"
echo "translations: $ts and crm_zh_CN.qm are up to date"
