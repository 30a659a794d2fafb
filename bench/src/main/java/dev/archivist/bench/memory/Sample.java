package dev.archivist.bench.memory;

/**
 * One second of one mode.
 *
 * @param seconds since the generator was started
 * @param heapAfterGc old-generation bytes right after a full collection (the live heap)
 * @param backlog completed minus archived workflows
 * @param archived rows in the archive table
 * @param completed workflows the generator has completed
 * @param pendingEvents informer notifications waiting for the handler (naive mode), else -1
 */
record Sample(double seconds, long heapAfterGc, long backlog, long archived, long completed,
    long pendingEvents) {}
