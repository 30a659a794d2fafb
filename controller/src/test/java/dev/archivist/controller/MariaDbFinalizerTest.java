package dev.archivist.controller;

import dev.archivist.testing.KubeExtension;
import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code --finalizer} on the real API server and MariaDB/MySQL; skipped, saying why, without one.
 */
@ExtendWith({MySqlExtension.class, KubeExtension.class})
class MariaDbFinalizerTest extends FinalizerContract {}
