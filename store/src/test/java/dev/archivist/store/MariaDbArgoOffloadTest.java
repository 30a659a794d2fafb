package dev.archivist.store;

import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class MariaDbArgoOffloadTest extends ArgoOffloadContract {}
