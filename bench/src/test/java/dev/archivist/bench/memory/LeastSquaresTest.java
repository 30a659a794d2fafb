package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LeastSquaresTest {

  private static Sample at(long backlog, long heap) {
    return new Sample(0, heap, backlog, 0, 0, -1);
  }

  /** Points, and the line and r2 that fit them, computed by hand. */
  static Stream<Arguments> lines() {
    return Stream.of(
        arguments("exact line",
            List.of(at(0, 1000), at(10, 1650), at(20, 2300), at(40, 3600)), 65.0, 1000.0, 1.0),
        // Points off any single line: mean x = 1.5, mean y = 1.5, sxy = 5, sxx = 5, syy = 9:
        // slope 1, intercept 1.5 - 1.5 = 0, r2 = 5 * 5 / (5 * 9).
        arguments("noisy points",
            List.of(at(0, 1), at(1, 0), at(2, 1), at(3, 4)), 1.0, 0.0, 5.0 / 9));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("lines")
  void fit_givesTheLeastSquaresLine(String what, List<Sample> points, double slope,
      double intercept, double r2) {
    LeastSquares fit = LeastSquares.fit(points, Sample::backlog, Sample::heapAfterGc);

    assertThat(fit.slope()).isCloseTo(slope, within(1e-12));
    assertThat(fit.intercept()).isCloseTo(intercept, within(1e-12));
    assertThat(fit.r2()).isBetween(0.0, 1.0).isCloseTo(r2, within(1e-12));
    assertThat(fit.n()).isEqualTo(points.size());
  }

  @Test
  void fit_constantBacklog_hasNoSlope() {
    LeastSquares fit = LeastSquares.fit(List.of(at(5, 10), at(5, 30)), Sample::backlog,
        Sample::heapAfterGc);

    assertThat(fit.slope()).isNaN();
    assertThat(fit.intercept()).isEqualTo(20.0);
  }

  @Test
  void fit_noPoints_isEmpty() {
    LeastSquares fit = LeastSquares.fit(List.<Sample>of(), Sample::backlog, Sample::heapAfterGc);

    assertThat(fit.n()).isZero();
    assertThat(fit.slope()).isNaN();
  }
}
