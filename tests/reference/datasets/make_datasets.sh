#!/bin/sh
# Public datasets the training tests read, written as plain CSV (missing values as empty fields).
# R's datasets and MASS packages and scikit-learn's bundled diabetes data; needs Rscript and
# Debian's /usr/bin/python3 with python3-sklearn. Rerun from this folder to rewrite them.
set -e
Rscript -e 'write.csv(mtcars, "mtcars.csv", row.names=FALSE)' \
        -e 'write.csv(iris, "iris.csv", row.names=FALSE)' \
        -e 'write.csv(airquality, "airquality.csv", row.names=FALSE, na="")' \
        -e 'library(MASS); write.csv(birthwt, "birthwt.csv", row.names=FALSE)'
/usr/bin/python3 -c '
from sklearn.datasets import load_diabetes
d = load_diabetes(as_frame=True, scaled=False).frame
d.to_csv("diabetes.csv", index=False)
'
