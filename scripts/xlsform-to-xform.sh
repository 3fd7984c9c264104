#!/usr/bin/env bash
# Converts XLSForms (.xlsx or pyxform's markdown .md) to XForms with pyxform,
# run from a source checkout, as the ODK differential's XForms in
# testdata/oracle/xform were made (pyxform v4.5.0, commit 51e5bfec).
#
#   scripts/xlsform-to-xform.sh PYXFORM_CHECKOUT OUT_DIR FORM...
#
# PYXFORM_CHECKOUT is a directory holding pyxform's source tree (the folder
# with pyxform/ in it). pyxform needs openpyxl, xlrd, defusedxml and lark;
# Debian's python3-openpyxl, python3-xlrd, python3-defusedxml and
# python3-lark packages are enough for these forms (set PYTHON to the
# interpreter they are installed for, e.g. the system python3). Nothing of
# pyxform is kept in this repository. ODK Validate is not run (--skip_validate): the
# differential runs ODK's engine itself (testdata/oracle/README.md).
set -euo pipefail
if [ $# -lt 3 ]; then
  echo "usage: $0 PYXFORM_CHECKOUT OUT_DIR FORM..." >&2
  exit 2
fi
src=$1 out=$2
shift 2
mkdir -p "$out"
for form in "$@"; do
  name=$(basename "$form")
  PYTHONPATH="$src" "${PYTHON:-python3}" -m pyxform.xls2xform --skip_validate --pretty_print \
    "$form" "$out/${name%.*}.xml" >/dev/null
  echo "$out/${name%.*}.xml"
done
