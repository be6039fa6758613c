# Writes the R-produced CSV files read by tests/data/tst_rformats.cpp, exactly as R writes them:
#   Rscript tests/data/golden/rformats/make_files.R   (from the repository root)
# then regenerate the expected values with make_expected.py.
here <- "tests/data/golden/rformats"
write.csv2(mtcars, file.path(here, "mtcars_csv2.csv"))   # ';' separated, ',' decimal mark, row names
write.csv(mtcars, file.path(here, "mtcars_csv.csv"))     # ',' separated, row names under an empty header
library(MASS)
write.csv(survey, file.path(here, "survey.csv"))         # Exer is Freq/Some/None; R's missing values are NA
