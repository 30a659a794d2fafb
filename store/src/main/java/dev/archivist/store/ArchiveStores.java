package dev.archivist.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/** Builds the JDBC store: a HikariCP pool configured for the URL's dialect. */
final class ArchiveStores {
  private ArchiveStores() {}

  static ArchiveStore open(StoreConfig config) {
    Dialect dialect = Dialect.fromJdbcUrl(config.jdbcUrl());
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("archivist-store");
    hc.setJdbcUrl(dialect.driverUrl(config.jdbcUrl()));
    if (config.user() != null) {
      hc.setUsername(config.user());
    }
    if (config.passwordFile() != null) {
      hc.setCredentialsProvider(PasswordFileCredentials.of(config.jdbcUrl(), config.user(),
          config.passwordFile()));
    } else if (config.password() != null) {
      hc.setPassword(config.password());
    }
    hc.setMaximumPoolSize(config.maxPoolSize());
    hc.setMinimumIdle(Math.min(2, config.maxPoolSize()));
    long connectMs = Math.max(250, config.connectTimeout().toMillis());
    hc.setConnectionTimeout(connectMs);
    hc.setValidationTimeout(Math.max(250, Math.min(connectMs, 5000)));
    // Start even when the database is down: readiness reports it, and every call fails with a
    // diagnosable ArchiveStoreException until it is back.
    hc.setInitializationFailTimeout(-1);
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hc.setConnectionInitSql(dialect.connectionInitSql());
    dialect.configureDriver(hc, config.connectTimeout());
    return new JdbcArchiveStore(new HikariDataSource(hc), dialect, config, System::nanoTime);
  }

  /** {@code d} in whole seconds, at least 1. */
  static int ceilSeconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
  }
}
