package dev.archivist.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archivist.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The quarantine log (migration V10) against each real database; subclasses bring one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QuarantineLogContract {
  private static final Instant T0 = Instant.parse("2026-11-28T01:02:03.456Z");

  private ArchiveStore store;
  private ArchiveStore otherCluster;

  @BeforeAll
  void open(TestDatabase db) {
    store = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null).withScope("c1", ""));
    store.migrate();
    otherCluster = ArchiveStore.open(StoreConfig.of(db.jdbcUrl(), null, null)
        .withScope("c2", ""));
  }

  @AfterAll
  void close() {
    store.close();
    otherCluster.close();
  }

  @Test
  void record_list_clear_roundTripsEveryField() {
    QuarantineLog log = store.quarantine();
    QuarantineEntry e = new QuarantineEntry("uid-rt", "ns", "wf", 10,
        "rejected: label value too long \u00e9", T0, T0.plusSeconds(3600));

    log.record(e);

    assertThat(log.list()).containsExactly(e);
    assertThat(log.clear("uid-rt")).isTrue();
    assertThat(log.clear("uid-rt")).isFalse();
    assertThat(log.list()).isEmpty();
  }

  @Test
  void record_again_replacesTheRow() {
    QuarantineLog log = store.quarantine();
    log.record(new QuarantineEntry("uid-up", "ns", "wf", 3, "first", T0, T0));
    QuarantineEntry later = new QuarantineEntry("uid-up", "ns", "wf", 4, "second", T0,
        T0.plusSeconds(60));

    log.record(later);

    assertThat(log.list()).containsExactly(later);
    log.clear("uid-up");
  }

  @Test
  void list_isScopedToTheClusterName() {
    store.quarantine().record(new QuarantineEntry("uid-scope", "ns", "wf", 3, "x", T0, T0));

    assertThat(otherCluster.quarantine().list()).isEmpty();
    assertThat(otherCluster.quarantine().clear("uid-scope")).isFalse();
    assertThat(store.quarantine().list()).hasSize(1);
    store.quarantine().clear("uid-scope");
  }

  @Test
  void record_longErrorAndNul_areKeptShortAndStorable() {
    QuarantineEntry e = new QuarantineEntry("uid-long", "ns", "wf", 3,
        "a\u0000b" + "x".repeat(5000), T0, T0);
    assertThat(e.lastError()).hasSize(QuarantineEntry.MAX_ERROR_LENGTH);

    store.quarantine().record(e);

    assertThat(store.quarantine().list().get(0).lastError()).startsWith("abx").endsWith("...");
    store.quarantine().clear("uid-long");
  }
}
