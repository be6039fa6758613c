#!/usr/bin/env bash
# Trains the demo workspace's models with the plumb CLI, the way a user would, and signs one:
#
#   make-demo-models.sh PLUMB WORKSPACE_DIR
#
# writes WORKSPACE_DIR/models/churn-logistic.plumb (signed: .minisig beside it) and
# churn-boosting.plumb, the signing key pair WORKSPACE_DIR/keys/demo-signer.{key,pub} (the secret
# key is not password-protected: it is a demo), and WORKSPACE_DIR/trusted-keys/demo-signer.pub, a
# keyring that trusts it (point PLUMB_KEYRING there to see the signature as trusted).
# Run by the build (resources/CMakeLists.txt) after the demo data is generated.
set -euo pipefail
plumb=$1
workspace=$2
mkdir -p "$workspace/models" "$workspace/keys" "$workspace/trusted-keys"
export PLUMB_AUTHOR="Northwind Mobile analytics"
roles=(--role customer_id=id --role snapshot_time=timestamp)

"$plumb" train "$workspace/training.csv" "${roles[@]}" --target churned --model logistic_regression \
    --validation kfold:5 --seed 42 --name churn-logistic --tag demo --tag baseline \
    --description "Monthly churn risk per customer: scaled logistic regression on the 2025 snapshots." \
    --force -o "$workspace/models/churn-logistic.plumb" > /dev/null
"$plumb" train "$workspace/training.csv" "${roles[@]}" --target churned --model gradient_boosting \
    --validation holdout:0.2 --seed 42 --name churn-boosting --tag demo --tag candidate \
    --description "Monthly churn risk per customer: histogram gradient boosting, native missing values and categories." \
    --force -o "$workspace/models/churn-boosting.plumb" > /dev/null

"$plumb" keygen -o "$workspace/keys/demo-signer" --force > /dev/null 2>&1
cp "$workspace/keys/demo-signer.pub" "$workspace/trusted-keys/demo-signer.pub"
"$plumb" sign "$workspace/models/churn-logistic.plumb" --key "$workspace/keys/demo-signer.key" > /dev/null
