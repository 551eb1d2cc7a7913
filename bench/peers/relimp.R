# Exact LMG (Shapley) shares in base R, the peer of bench/bench_relimp.c.
#
# Reads the CSV bench_relimp --csv writes (drivers q01..qK, outcome last),
# then times, each the median of RUNS runs (elapsed time, proc.time):
#   corr  cor() of the (n, k+1) matrix;
#   lmg   R^2 of all 2^k - 1 subsets from the correlation matrix, the way
#         relaimpo's calc.relimp does it for type "lmg": subset by subset
#         size (combn), each R^2 = r_yS' solve(R_SS, r_yS); then the
#         Shapley weighting over the subset masks, vectorised by driver.
# Reading the CSV is not timed. Prints the figures and the shares.
# Usage: Rscript relimp.R FILE.csv [RUNS]

args <- commandArgs(trailingOnly = TRUE)
path <- args[1]
runs <- if (length(args) > 1) as.integer(args[2]) else 3L

hdr <- strsplit(readLines(path, n = 1L), ",")[[1]]
p <- length(hdr)
k <- p - 1L
data <- matrix(scan(path, what = numeric(), sep = ",", skip = 1L,
                    quiet = TRUE), ncol = p, byrow = TRUE)
n <- nrow(data)

# v[mask + 1] = R^2 of the outcome on the drivers in mask (bit j-1 for
# driver j)
r2_all <- function(r, k) {
    v <- numeric(2^k)
    ry <- r[1:k, k + 1L]
    for (m in 1:k) {
        idx <- combn(k, m)
        masks <- colSums(matrix(2^(idx - 1L), nrow = m))
        v[masks + 1] <- apply(idx, 2L, function(s) {
            b <- ry[s]
            sum(b * solve(r[s, s, drop = FALSE], b))
        })
    }
    v
}

lmg_weigh <- function(v, k) {
    s <- 0:(2^k - 1)
    pc <- integer(length(s))
    for (j in 0:(k - 1L)) pc <- pc + bitwAnd(bitwShiftR(s, j), 1L)
    m <- 0:(k - 1L)
    w <- factorial(m) * factorial(k - m - 1L) / factorial(k)
    vapply(0:(k - 1L), function(j) {
        bit <- bitwShiftL(1L, j)
        without <- s[bitwAnd(s, bit) == 0L]
        sum(w[pc[without + 1L] + 1L] * (v[without + bit + 1L] - v[without + 1L]))
    }, numeric(1))
}

tc <- numeric(runs)
tl <- numeric(runs)
for (i in seq_len(runs)) {
    t0 <- proc.time()[["elapsed"]]
    r <- cor(data)
    t1 <- proc.time()[["elapsed"]]
    share <- lmg_weigh(r2_all(r, k), k)
    t2 <- proc.time()[["elapsed"]]
    tc[i] <- (t1 - t0) * 1000
    tl[i] <- (t2 - t1) * 1000
}
cat(sprintf(paste("R k=%d n=%d corr %.2f ms lmg %.2f ms total %.2f ms",
                  "(median of %d; %s)\n"),
            k, n, median(tc), median(tl), median(tc + tl), runs,
            R.version.string))
cat(sprintf("shares R k=%d n=%d %s\n", k, n,
            paste(sprintf("%.12f", share), collapse = " ")))
cat(sprintf("r2 R k=%d n=%d %.10f\n", k, n, sum(share)))
