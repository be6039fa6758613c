#!/usr/bin/python3
"""Writes expected.json for tests/data/tst_rformats.cpp: what pandas.read_csv reads from the R files
next to this script (made by make_files.R) with the options each test row gives Plumb.

    /usr/bin/python3 tests/data/golden/rformats/make_expected.py

pandas added 'None' to its default missing-value tokens in 2.0; Plumb's defaults follow pandas 2.
With an older pandas (Debian 12 has 1.5.3) the cases that keep the defaults add 'None' through
na_values, so that expected.json is what pandas 2 reads.

Each case lists every column: its name, "number" (pandas read it as int64/float64) or "text"
(object), and every value — numbers as float.hex() (float_precision='round_trip', Python's own
correctly rounded conversion), text as the string, missing as null.
"""

import json
import math
import os

import pandas

HERE = os.path.dirname(os.path.abspath(__file__))

# name -> (file, read_csv keyword arguments); the same names as the test's rows.
CASES = {
    "write-csv2-decimal-comma": ("mtcars_csv2.csv", dict(sep=";", decimal=",")),
    "decimal-override": ("mtcars_csv2.csv", dict(sep=";", decimal=".")),
    "write-csv-row-names": ("mtcars_csv.csv", dict()),
    "survey-default-na": ("survey.csv", dict()),
    "na-token-none-kept-with-no-default-na": ("survey.csv", dict(keep_default_na=False, na_values=["NA"])),
    "na-values-added": ("survey.csv", dict(na_values=["Never"])),
}


def pandas2_defaults(kwargs):
    if int(pandas.__version__.split(".")[0]) >= 2 or not kwargs.get("keep_default_na", True):
        return kwargs
    return dict(kwargs, na_values=list(kwargs.get("na_values", [])) + ["None"])


def column(series):
    number = series.dtype.kind in "iuf"
    values = []
    for v in series.tolist():
        if v is None or (isinstance(v, float) and math.isnan(v)):
            values.append(None)
        elif number:
            values.append(float(v).hex())
        else:
            values.append(str(v))
    return {"name": series.name, "kind": "number" if number else "text", "values": values}


def main():
    out = {"pandas": pandas.__version__, "cases": {}}
    for name, (path, kwargs) in CASES.items():
        frame = pandas.read_csv(os.path.join(HERE, path), float_precision="round_trip", **pandas2_defaults(kwargs))
        out["cases"][name] = {"file": path, "columns": [column(frame[c]) for c in frame.columns]}
    # One line per column, so that a change shows as the columns it touches.
    lines = ['{"pandas": %s, "cases": {' % json.dumps(out["pandas"])]
    for i, (name, case) in enumerate(out["cases"].items()):
        columns = ",\n  ".join(json.dumps(c) for c in case["columns"])
        comma = "," if i + 1 < len(out["cases"]) else ""
        lines.append(' %s: {"file": %s, "columns": [\n  %s]}%s' % (json.dumps(name), json.dumps(case["file"]), columns, comma))
    lines.append("}}")
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        f.write("\n".join(lines) + "\n")


main()
