package dev.archivist.controller;

import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The core path on MariaDB/MySQL; skipped, saying why, when no server is configured. */
@ExtendWith(MySqlExtension.class)
class MariaDbArchiveControllerTest extends ArchiveControllerContract {}
