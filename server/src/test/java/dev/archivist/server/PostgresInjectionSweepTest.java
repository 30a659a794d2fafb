package dev.archivist.server;

import dev.archivist.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link InjectionSweepContract} over PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresInjectionSweepTest extends InjectionSweepContract {}
