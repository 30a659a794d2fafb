package dev.archivist.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The build registers AwaitDefaults by auto-detection: a bare await() has its bound. */
class AwaitDefaultsTest {

  @Test
  void bareAwait_hasTheOneMinuteBound() throws Exception {
    ConditionFactory bare = Awaitility.await();
    java.lang.reflect.Field f = ConditionFactory.class.getDeclaredField("timeoutConstraint");
    f.setAccessible(true);
    Object constraint = f.get(bare);
    java.lang.reflect.Method max = constraint.getClass().getMethod("getMaxWaitTime");
    max.setAccessible(true);
    assertThat(max.invoke(constraint)).isEqualTo(AwaitDefaults.TIMEOUT);
  }
}
