package dev.archivist.bench.memory;

import java.util.List;

/**
 * What one mode did.
 *
 * @param mode the mode
 * @param outcome {@code drained}, {@code oom}, {@code hung}, {@code timeout} or {@code failed}
 * @param detail what ended it, for people (the OOM line, the exit code, the stall)
 * @param samples one per second, from the generator's start to the end
 * @param fit heap after GC against backlog, over {@code samples}
 * @param drainFit heap after GC against backlog over the samples taken after the generator
 *     finished, when the backlog only falls: free of the warm-up drift of the first minute
 * @param eventFit heap after GC against pending informer notifications, where the mode reports
 *     them (naive); no points otherwise
 * @param peakHeapAfterGc the largest heap after GC seen
 * @param oomSeconds when it ran out of memory, or NaN
 * @param oomBacklog the backlog at its last sample before running out of memory, or -1
 * @param archived rows in its archive table at the end
 * @param distinctUids distinct uids in its archive table at the end
 * @param expected workflows the generator completed (what should be archived)
 * @param generateSeconds how long the generator took to complete its workflows, or NaN
 * @param drainSeconds from the generator's start until every completed workflow was archived,
 *     or NaN when that never happened
 * @param maxBacklog the largest backlog seen
 */
record ModeResult(
    Mode mode,
    String outcome,
    String detail,
    List<Sample> samples,
    LeastSquares fit,
    LeastSquares drainFit,
    LeastSquares eventFit,
    long peakHeapAfterGc,
    double oomSeconds,
    long oomBacklog,
    long archived,
    long distinctUids,
    long expected,
    double generateSeconds,
    double drainSeconds,
    long maxBacklog) {

  ModeResult {
    samples = List.copyOf(samples);
  }

  boolean oom() {
    return outcome.equals("oom");
  }

  /** Every workflow archived exactly once. */
  boolean complete() {
    return archived == expected && distinctUids == expected;
  }
}
