package dev.archivist.server;

import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link InjectionSweepContract} over MariaDB/MySQL; skipped, saying so, when
 * {@code ARCHIVIST_TEST_MYSQL_URL} is unset.
 */
@ExtendWith(MySqlExtension.class)
class MariaDbInjectionSweepTest extends InjectionSweepContract {}
