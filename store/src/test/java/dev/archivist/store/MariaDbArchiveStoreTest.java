package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.MySqlExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(MySqlExtension.class)
class MariaDbArchiveStoreTest extends ArchiveStoreContract {

  /**
   * A workflow larger than the server's max_allowed_packet is refused before any SQL, with the
   * server's limit in the reason, and the rest of its batch commits.
   */
  @Test
  void archive_workflowOverMaxAllowedPacketFailsAloneWithTheLimit() throws SQLException {
    long packet;
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT @@max_allowed_packet")) {
      rs.next();
      packet = rs.getLong(1);
    }
    WorkflowDocument small = TestWorkflows.document("fits", t(1));
    WorkflowDocument huge = TestWorkflows.document("too-big", "ns", "big", Map.of(), t(2),
        Math.toIntExact(packet + 1024));
    assertThat(BatchWriter.utf8Length(huge.json())).isGreaterThan(packet);

    BatchResult r = store.archive(List.of(small, huge));

    assertThat(r.outcomes().get(0)).isInstanceOf(BatchResult.Written.class);
    BatchResult.Rejected rejected = (BatchResult.Rejected) r.outcomes().get(1);
    assertThat(rejected.uid()).isEqualTo("too-big");
    assertThat(rejected.reason()).contains("max_allowed_packet of " + packet + " bytes");
    assertThat(store.exists("fits")).isTrue();
    assertThat(store.exists("too-big")).isFalse();
  }
}
