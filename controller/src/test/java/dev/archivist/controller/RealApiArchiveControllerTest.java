package dev.archivist.controller;

import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.TestNamespace;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every test of {@link PostgresArchiveControllerTest} (the contract, the faults and the edge
 * cases) on the real API server instead of fabric8's mock.
 */
@ExtendWith(KubeExtension.class)
class RealApiArchiveControllerTest extends PostgresArchiveControllerTest {

  @BeforeEach
  void onTheRealServer(TestNamespace namespace) {
    useRealServer(namespace);
  }
}
