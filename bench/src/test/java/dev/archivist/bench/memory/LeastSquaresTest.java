package dev.archivist.bench.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {

  private static Sample at(long backlog, long heap) {
    return new Sample(0, heap, backlog, 0, 0, -1);
  }

  @Test
  void fit_exactLine_recoversSlopeAndIntercept() {
    List<Sample> points = List.of(at(0, 1000), at(10, 1650), at(20, 2300), at(40, 3600));

    LeastSquares fit = LeastSquares.fit(points, Sample::backlog, Sample::heapAfterGc);

    assertThat(fit.slope()).isCloseTo(65.0, within(1e-9));
    assertThat(fit.intercept()).isCloseTo(1000.0, within(1e-9));
    assertThat(fit.r2()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.n()).isEqualTo(4);
  }

  @Test
  void fit_noisyPoints_givesTheLeastSquaresSlope() {
    // Points off any single line; the answer is computed by hand below.
    List<Sample> points = List.of(at(0, 1), at(1, 0), at(2, 1), at(3, 4));

    LeastSquares fit = LeastSquares.fit(points, Sample::backlog, Sample::heapAfterGc);

    // mean x = 1.5, mean y = 1.5, sxy = 5, sxx = 5: slope 1, intercept 1.5 - 1.5 = 0.
    assertThat(fit.slope()).isCloseTo(1.0, within(1e-12));
    assertThat(fit.intercept()).isCloseTo(0.0, within(1e-12));
    assertThat(fit.r2()).isBetween(0.0, 1.0);
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
