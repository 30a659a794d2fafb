package dev.archivist.store;

import dev.archivist.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresArgoOffloadTest extends ArgoOffloadContract {}
