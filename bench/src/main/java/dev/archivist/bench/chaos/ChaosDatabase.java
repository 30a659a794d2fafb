package dev.archivist.bench.chaos;

import java.net.InetSocketAddress;

/**
 * The archive database under the campaign, and how it is taken away and given back. Archivist
 * reaches it through the campaign's delay relay at {@link #address()}; the account reads it
 * directly at {@link #url()}.
 */
public interface ChaosDatabase extends AutoCloseable {
  /** The archive's JDBC URL, for the account and for {@code archivist quarantine}. */
  String url();

  /** Where the server answers, the relay's target. */
  InetSocketAddress address();

  /** True for MariaDB or MySQL. */
  boolean mysql();

  /** Takes the database away: every connection ends, new ones are refused. */
  void stop();

  /** Gives it back; returns once it accepts connections. */
  void start();

  /** How {@link #stop()} takes it away, for the report. */
  String outageKind();

  @Override
  void close();
}
