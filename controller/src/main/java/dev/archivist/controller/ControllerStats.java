package dev.archivist.controller;

/**
 * A snapshot of the controller's counters, cheap enough to read for every progress line.
 * Counters are totals since the controller was created.
 *
 * @param archived workflows taken all the way: row committed, then labelled Archived (or found
 *     gone); a workflow archived twice (at least once delivery) counts twice
 * @param failures failed attempts, of every reason (see {@code archivist_archive_failures_total})
 * @param skipped keys that needed nothing: the workflow was gone, not completed, already
 *     Archived, or not selected
 * @param quarantined workflows in quarantine now (given up on after {@code --max-retries} and
 *     retried every {@code --quarantine-retry-period})
 * @param deleted workflows deleted after {@code --delete-after}
 * @param queueDepth keys ready in the archive queue now
 * @param pending workflows the informers hold now: completed and not yet labelled Archived
 * @param synced whether every informer has listed at least once
 */
public record ControllerStats(
    long archived,
    long failures,
    long skipped,
    long quarantined,
    long deleted,
    int queueDepth,
    int pending,
    boolean synced) {}
