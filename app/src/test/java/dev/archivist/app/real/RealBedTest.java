package dev.archivist.app.real;

import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import dev.archivist.testing.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The shape every test of {@code archivist run} on the real API server shares: a fresh
 * {@link RealBed} per test (its namespace, schema and processes, named after the test method),
 * closed after it.
 */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
abstract class RealBedTest {
  RealBed bed;

  @BeforeEach
  void setUpBed(TestNamespace ns, TestDatabase db, TestInfo info) {
    bed = new RealBed(ns, db, info.getTestMethod().orElseThrow().getName());
  }

  @AfterEach
  void closeBed() {
    bed.close();
  }
}
