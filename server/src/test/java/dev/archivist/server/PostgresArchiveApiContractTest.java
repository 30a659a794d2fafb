package dev.archivist.server;

import dev.archivist.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ArchiveApiContract} over PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresArchiveApiContractTest extends ArchiveApiContract {}
