# Reference vectors for raking, bounded calibration, trimming and the calibration-aware
# standard errors (testdata/raking.json), from R's `survey` package (Lumley), the reference
# whose standard errors account for the calibration:
#   - raked weights: calibrate(calfun = "raking") to a tight epsilon (rake() agrees; both are
#     the raking estimator of Deville and Särndal 1992); bounded: the same with bounds = …;
#   - trimmed weights: trimWeights(strict = TRUE) on the raked design, their standard errors
#     with the trimmed ratios to the base weights, as calibrate(trim = …) records them;
#   - standard errors: svymean on the calibrated design (linearization on the calibration
#     residuals), and svymean on a design that takes the raked weights as fixed.
# Data: seeded surveys (drawn here, shipped in the JSON) and `apistrat`, the stratified sample
# of California schools in `survey`, raked to the school-type and school-wide-target margins of
# the population file `apipop` (public records of the California Department of Education).
#
# Run from the repository root, with R and r-cran-survey (Debian's packages) installed:
#   Rscript testdata/generate_raking.R > testdata/raking.json
suppressPackageStartupMessages(library(survey))

num <- function(x) {
  ifelse(is.na(x), "null", sprintf("%.17g", x))
}
json <- function(x, indent = "") {
  inner <- paste0(indent, " ")
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (!is.null(names(x))) {
      items <- mapply(function(k, v) paste0(inner, "\"", k, "\": ", json(v, inner)), names(x), x)
      return(paste0("{\n", paste(items, collapse = ",\n"), "\n", indent, "}"))
    }
    return(paste0("[\n", paste0(inner, sapply(x, json, indent = inner), collapse = ",\n"), "\n", indent, "]"))
  }
  if (is.character(x)) return(if (length(x) == 1) paste0("\"", x, "\"") else
    paste0("[", paste0("\"", x, "\"", collapse = ", "), "]"))
  if (is.logical(x) && length(x) == 1) return(tolower(as.character(x)))
  if (length(x) == 1 && is.null(attr(x, "array"))) return(num(x))
  paste0("[", paste(num(x), collapse = ", "), "]")
}
vec <- function(x) structure(as.numeric(x), array = TRUE)

# The population totals of calibrate's model matrix (intercept, then every category but the
# first of each margin) from per-category targets.
totals <- function(targets) {
  t <- c(`(Intercept)` = sum(targets[[1]]))
  for (name in names(targets)) {
    rest <- targets[[name]][-1]
    names(rest) <- paste0(name, seq_along(rest))
    t <- c(t, rest)
  }
  t
}

reference <- function(name, data, margins, targets, base = NULL, bounds = NULL, trim = NULL) {
  total <- sum(targets[[1]])
  n <- nrow(data)
  data$d <- if (is.null(base)) rep(total / n, n) else base * total / sum(base)
  for (m in margins) data[[m]] <- factor(data[[m]], levels = seq_along(targets[[m]]) - 1)
  design <- svydesign(ids = ~1, weights = ~d, data = data)
  formula <- as.formula(paste("~", paste(margins, collapse = "+")))
  cal <- calibrate(design, formula, population = totals(targets), calfun = "raking",
                   bounds = if (is.null(bounds)) c(-Inf, Inf) else bounds, epsilon = 1e-13, maxit = 500)
  w <- weights(cal)
  if (!is.null(trim)) {
    cal <- trimWeights(cal, lower = trim[1] * mean(w), upper = trim[2] * mean(w), strict = TRUE)
    w <- weights(cal)
    # trimWeights keeps the untrimmed ratios w/d in the design's calibration record, which the
    # variance reads; calibrate(trim = …) records the trimmed ones. Record them as it does.
    last <- length(cal$postStrata)
    cal$postStrata[[last]]$w <- (w / data$d) * sqrt(data$d)
  }
  data$w <- w
  fixed <- svydesign(ids = ~1, weights = ~w, data = data)
  data$nps <- ifelse(data$score >= 9, 100, ifelse(data$score >= 7, 0, -100))
  data$favourable <- as.numeric(data$answer >= 4)
  cal <- update(cal, nps = data$nps, favourable = data$favourable)
  fixed <- update(fixed, nps = data$nps, favourable = data$favourable)
  estimate <- function(variable) {
    f <- as.formula(paste("~", variable))
    calibrated <- svymean(f, cal, na.rm = TRUE)
    plain <- svymean(f, fixed, na.rm = TRUE)
    list(estimate = unname(coef(calibrated)), standard_error = unname(SE(calibrated)),
         fixed_weights_standard_error = unname(SE(plain)))
  }
  case <- list(name = name)
  case$margins <- lapply(margins, function(m) list(name = m, codes = vec(as.integer(data[[m]]) - 1),
                                                    targets = vec(targets[[m]])))
  case$base_weights <- if (is.null(base)) NULL else vec(base)
  case$bounds <- if (is.null(bounds)) NULL else vec(bounds)
  case$trim <- if (is.null(trim)) NULL else vec(trim)
  case$scores <- vec(data$score)
  case$answers <- vec(data$answer)
  case$expected <- list(weights = vec(w), nps = estimate("nps"), share = estimate("favourable"))
  case
}

set.seed(20261204)
survey_data <- function(n) {
  region <- sample(0:3, n, replace = TRUE, prob = c(0.4, 0.3, 0.2, 0.1))
  age <- sapply(region, function(r) sample(0:2, 1, prob = c(0.5 - 0.1 * r, 0.3, 0.2 + 0.1 * r)))
  plan <- rbinom(n, 1, 0.3 + 0.1 * (age == 2))
  score <- pmin(10, pmax(0, round(rnorm(n, 6 + 0.8 * region - 0.7 * age + plan, 2.5))))
  answer <- pmin(5, pmax(1, round(rnorm(n, 3 + 0.3 * region - 0.2 * age, 1))))
  data.frame(region, age, plan, score, answer)
}
targets <- list(region = c(2500, 2500, 2500, 2500), age = c(3000, 4000, 3000), plan = c(6000, 4000))
margins <- c("region", "age", "plan")
data <- survey_data(600)
base <- exp(rnorm(600, 0, 0.4))
gaps <- data
gaps$score[sample(600, 30)] <- NA

data(api)
api <- apistrat
api$stype <- match(api$stype, c("E", "H", "M")) - 1
api$sch.wide <- match(api$sch.wide, c("No", "Yes")) - 1
api$score <- pmin(10, pmax(0, floor((api$api00 - 400) / 45)))
api$answer <- as.numeric(cut(api$api99, c(-Inf, 500, 600, 700, 800, Inf)))
api_targets <- list(stype = as.numeric(table(apipop$stype)), sch.wide = as.numeric(table(apipop$sch.wide)))

cases <- list(
  reference("unweighted", data, margins, targets),
  reference("weighted", data, margins, targets, base = base),
  reference("bounded", data, margins, targets, base = base, bounds = c(0.5, 3)),
  reference("trimmed", data, margins, targets, trim = c(0.3, 2)),
  reference("missing scores", gaps, margins, targets),
  reference("apistrat", api, c("stype", "sch.wide"), api_targets, base = api$pw)
)
cat(json(list(
  source = paste("testdata/generate_raking.R: R survey", packageVersion("survey"),
                 "(calibrate, trimWeights, svymean)"),
  level = 0.95,
  weight_tolerance = 1e-9,
  se_tolerance = 1e-9,
  cases = cases
)), "\n")
