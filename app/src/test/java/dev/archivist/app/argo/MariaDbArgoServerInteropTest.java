package dev.archivist.app.argo;

import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ArgoServerInteropContract} over MariaDB (or MySQL). */
@ExtendWith(MySqlExtension.class)
class MariaDbArgoServerInteropTest extends ArgoServerInteropContract {}
