package dev.archivist.app.argo;

import dev.archivist.testing.MySqlExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ArgoServerInteropContract} over MariaDB. Argo Server v4 cannot list an archive on
 * MariaDB (its list query uses MySQL's {@code ->} JSON operator), so here the list comparisons
 * check that Argo fails that way and Archivist answers; get by uid and by name, and label keys and
 * values, are compared as on PostgreSQL.
 */
@ExtendWith(MySqlExtension.class)
class MariaDbArgoServerInteropTest extends ArgoServerInteropContract {
  @Override
  boolean argoListsTheArchive() {
    return false;
  }
}
