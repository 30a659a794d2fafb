package dev.archivist.bench.memory;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * An ordinary least-squares line {@code y = intercept + slope * x}.
 *
 * @param slope change of y per unit of x; NaN when x never varies
 * @param intercept y at x = 0
 * @param r2 the coefficient of determination; NaN when undefined
 * @param n how many points
 */
record LeastSquares(double slope, double intercept, double r2, int n) {

  static <T> LeastSquares fit(List<T> points, ToDoubleFunction<T> x, ToDoubleFunction<T> y) {
    int n = points.size();
    if (n == 0) {
      return new LeastSquares(Double.NaN, Double.NaN, Double.NaN, 0);
    }
    double mx = 0;
    double my = 0;
    for (T p : points) {
      mx += x.applyAsDouble(p);
      my += y.applyAsDouble(p);
    }
    mx /= n;
    my /= n;
    double sxx = 0;
    double sxy = 0;
    double syy = 0;
    for (T p : points) {
      double dx = x.applyAsDouble(p) - mx;
      double dy = y.applyAsDouble(p) - my;
      sxx += dx * dx;
      sxy += dx * dy;
      syy += dy * dy;
    }
    if (sxx == 0) {
      return new LeastSquares(Double.NaN, my, Double.NaN, n);
    }
    double slope = sxy / sxx;
    double r2 = syy == 0 ? Double.NaN : (sxy * sxy) / (sxx * syy);
    return new LeastSquares(slope, my - slope * mx, r2, n);
  }
}
