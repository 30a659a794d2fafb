package dev.archivist.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archivist.testing.PostgresExtension;
import dev.archivist.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The archive browser over 100,000 archived workflows: lists, filters (namespace, label selector,
 * phase, name contains) and pages, printing how long each step took in the browser, and saving
 * {@code big-list.png}, {@code big-filtered.png}, {@code big-filtered-page6.png} and
 * {@code big-name-contains.png} under {@code server/target/ui-screenshots/}.
 *
 * <p>Not in the default suite (it takes over a minute): run it with
 * {@code ./mvnw -o -pl server test -Dtest=BigArchiveBrowserTest -Darchivist.ui.big=true}.
 * Timings are printed, never asserted.
 *
 * <p>Seeding: 1,000 generated workflows go through the store; SQL then copies them 99 times
 * with new uids, names and start times (Argo's table layout is a fixed contract, see
 * docs/schema.md), which takes seconds instead of minutes.
 */
@ExtendWith(PostgresExtension.class)
class BigArchiveBrowserTest {
  private static final int BASE = 1_000;
  private static final int COPIES = 99;
  private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void archiveBrowser_filtersAndPagesOneHundredThousandWorkflows(TestDatabase db)
      throws SQLException {
    assumeTrue(Boolean.getBoolean("archivist.ui.big"),
        "the 100k-row browser test runs only with -Darchivist.ui.big=true"
            + " (it takes over a minute)");
    Path node = BrowserScript.assumeToolsPresent();
    try (ArchiveFixture archive = new ArchiveFixture(db)) {
      long t0 = System.nanoTime();
      archive.archive(new SampleWorkflows(100, ArchiveFixture.NEWEST)
          .generate(BASE, Duration.ofMinutes(7), 3), 500);
      long t1 = System.nanoTime();
      long rows = copy(db);
      long t2 = System.nanoTime();
      System.out.printf("seeded %d workflows: %d through the store in %d ms, copies in %d ms%n",
          rows, BASE, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
      assertThat(rows).isEqualTo((long) BASE * (COPIES + 1));
      archive.countArchived(rows - BASE);
      String baseUrl = archive.start(false);

      BrowserScript.Result result = BrowserScript.run(node, "browser-test.mjs", baseUrl,
          BrowserScript.screenshotDir(""), SCRIPT_TIMEOUT, "--mode=big");

      assertThat(result.timedOut()).as("timed out:\n%s", result.output()).isFalse();
      assertThat(result.lines()).as("output:\n%s", result.output())
          .noneMatch(line -> line.startsWith("FAIL "))
          .anyMatch(line -> line.startsWith("SUMMARY checks=6 failed=0"));
      assertThat(result.exitCode()).as("exit code; output:\n%s", result.output()).isZero();
    }
  }

  /** Copies every archived row {@value #COPIES} times, each copy older; returns the row count. */
  private static long copy(TestDatabase db) throws SQLException {
    String suffix = "'-' || lpad(g::text, 4, '0')";
    String shift = "(g * " + BASE * 7 + ") * interval '1 minute'";
    String iso = "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'";
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO argo_archived_workflows (clustername, uid, name, phase, namespace,"
          + " workflow, startedat, finishedat, instanceid, creationtimestamp)"
          + " SELECT w.clustername, w.uid || " + suffix + ", w.name || " + suffix + ", w.phase,"
          + " w.namespace,"
          + " jsonb_set(jsonb_set(jsonb_set(jsonb_set(w.workflow,"
          + "   '{metadata,uid}', to_jsonb(w.uid || " + suffix + ")),"
          + "   '{metadata,name}', to_jsonb(w.name || " + suffix + ")),"
          + "   '{status,startedAt}', to_jsonb(to_char(w.startedat - " + shift + ", " + iso + "))),"
          + "   '{status,finishedAt}',"
          + " to_jsonb(to_char(w.finishedat - " + shift + ", " + iso + "))),"
          + " w.startedat - " + shift + ", w.finishedat - " + shift + ", w.instanceid,"
          + " w.creationtimestamp - " + shift
          + " FROM argo_archived_workflows w, generate_series(1, " + COPIES + ") g");
      s.execute("INSERT INTO argo_archived_workflows_labels (clustername, uid, name, value)"
          + " SELECT l.clustername, l.uid || " + suffix + ", l.name, l.value"
          + " FROM argo_archived_workflows_labels l, generate_series(1, " + COPIES + ") g");
      s.execute("ANALYZE argo_archived_workflows");
      s.execute("ANALYZE argo_archived_workflows_labels");
      try (var rs = s.executeQuery("SELECT count(*) FROM argo_archived_workflows")) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
