package dev.archivist.workqueue;

import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lincheck explores interleavings of concurrent calls on a few keys and checks that every outcome
 * is one some sequential order of the same calls would give (linearizability). The sequential
 * specification is the queue itself, used from one thread. {@code get} is left out because it
 * blocks; {@code tryGet} takes the same path once an item is queued.
 *
 * <p>Opt-in: it takes several minutes on two busy cores, which the default suite cannot afford.
 * Run it with
 * {@code ARCHIVIST_LINCHECK=1 ./mvnw -o -pl workqueue test -Dtest=WorkQueueLincheckTest}. The
 * always-on {@link WorkQueueStressTest} checks the same promises as properties.
 */
@Param(name = "key", gen = IntGen.class, conf = "1:3")
public class WorkQueueLincheckTest {
  private final WorkQueue<Integer> queue = WorkQueues.<Integer>builder()
      .ticker(() -> 0L).capacity(2).build();

  /** Lincheck makes fresh instances by reflection, for the runs and for the sequential model. */
  public WorkQueueLincheckTest() {}

  @Operation
  public boolean add(@Param(name = "key") int key) {
    return queue.add(key);
  }

  @Operation
  public Integer tryGet() {
    return queue.tryGet();
  }

  @Operation
  public void done(@Param(name = "key") int key) {
    queue.done(key);
  }

  @Operation
  public int len() {
    return queue.len();
  }

  @Operation
  public void shutDown() {
    queue.shutDown();
  }

  @BeforeEach
  void onlyWhenAskedFor() {
    Assumptions.assumeTrue("1".equals(System.getenv("ARCHIVIST_LINCHECK")),
        "Lincheck takes minutes on 2 cores; set ARCHIVIST_LINCHECK=1 to run it");
  }

  @Test
  void modelChecking_operationsAreLinearizable() {
    LinChecker.check(getClass(), new ModelCheckingOptions().iterations(10)
        .invocationsPerIteration(200).threads(2).actorsPerThread(3));
  }

  @Test
  void stress_operationsAreLinearizable() {
    LinChecker.check(getClass(), new StressOptions().iterations(10)
        .invocationsPerIteration(500).threads(2).actorsPerThread(3));
  }
}
