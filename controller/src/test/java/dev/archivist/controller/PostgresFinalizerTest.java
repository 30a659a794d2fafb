package dev.archivist.controller;

import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code --finalizer} on the real API server and PostgreSQL. */
@ExtendWith({PostgresExtension.class, KubeExtension.class})
class PostgresFinalizerTest extends FinalizerContract {}
