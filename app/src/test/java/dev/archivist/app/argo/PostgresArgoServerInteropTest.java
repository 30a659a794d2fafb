package dev.archivist.app.argo;

import dev.archivist.testing.PostgresExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ArgoServerInteropContract} over PostgreSQL. */
@ExtendWith(PostgresExtension.class)
class PostgresArgoServerInteropTest extends ArgoServerInteropContract {}
