#!/usr/bin/python3
"""Prints per-file statistics of a generated demo workspace, to check the drift the generator promises.

    /usr/bin/python3 resources/demo/summarize.py BUILD_DIR/demo-workspace

Needs pandas (Debian: python3-pandas). Reads the manifest, then training.csv and every batch, and prints
one line per file: rows, churn rate, mean monthly charges, missing rates, category shares, support calls.
Exits non-zero if a file does not parse with the expected column types.
"""

import json
import sys
from pathlib import Path

import pandas as pd

EXPECTED_DTYPES = {
    "customer_id": "object",
    "tenure_months": "int64",
    "monthly_charges": "float64",
    "total_charges": "float64",
    "data_usage_gb": "float64",
    "support_calls": "int64",
    "satisfaction": "float64",
    "paperless_billing": "bool",
}


def load(path):
    frame = pd.read_csv(path, parse_dates=["snapshot_time"])
    wrong = {c: str(frame[c].dtype) for c, t in EXPECTED_DTYPES.items() if str(frame[c].dtype) != t}
    if wrong or not pd.api.types.is_datetime64_any_dtype(frame["snapshot_time"]):
        sys.exit(f"{path}: unexpected column types {wrong}")
    if not frame["customer_id"].is_unique:
        sys.exit(f"{path}: customer_id is not unique")
    return frame


def summary(label, frame):
    payment = frame["payment_method"].value_counts(normalize=True)
    region = frame["region"].value_counts(normalize=True)
    return {
        "file": label,
        "rows": len(frame),
        "first": frame["snapshot_time"].min().strftime("%Y-%m-%d"),
        "last": frame["snapshot_time"].max().strftime("%Y-%m-%d"),
        "churn": (frame["churned"] == "yes").mean(),
        "charges": frame["monthly_charges"].mean(),
        "calls": frame["support_calls"].mean(),
        "sat_na": frame["satisfaction"].isna().mean(),
        "usage_na": frame["data_usage_gb"].isna().mean(),
        "total_na": frame["total_charges"].isna().mean(),
        "region_na": frame["region"].isna().mean(),
        "west": region.get("West", 0.0),
        "wallet": payment.get("Digital wallet", 0.0),
        "card": payment.get("Credit card, automatic", 0.0),
        "paperless": frame["paperless_billing"].mean(),
    }


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = Path(sys.argv[1])
    manifest = json.loads((root / "plumb-workspace.json").read_text())
    files = [("training", manifest["training"]["path"])]
    files += [(b["label"], b["path"]) for b in manifest["batches"]]
    training = load(root / manifest["training"]["path"])
    print("training dtypes:", ", ".join(f"{c}={t}" for c, t in training.dtypes.astype(str).items()))
    rows = [summary(label, training if label == "training" else load(root / path)) for label, path in files]
    pd.set_option("display.width", 200)
    print(pd.DataFrame(rows).set_index("file").round(3).to_string())


if __name__ == "__main__":
    main()
