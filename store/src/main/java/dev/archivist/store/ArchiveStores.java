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
    hc.setJdbcUrl(driverUrl(dialect, config.jdbcUrl()));
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
    if (dialect == Dialect.POSTGRESQL) {
      hc.addDataSourceProperty("connectTimeout", Long.toString(ceilSeconds(config.connectTimeout())));
      hc.addDataSourceProperty("ApplicationName", "archivist");
      hc.addDataSourceProperty("tcpKeepAlive", "true");
    } else {
      hc.addDataSourceProperty("connectTimeout", Long.toString(connectMs));
    }
    return new JdbcArchiveStore(new HikariDataSource(hc), dialect, config, System::nanoTime);
  }

  /** The MariaDB driver (the one we ship) accepts jdbc:mysql: only when asked to. */
  static String driverUrl(Dialect dialect, String url) {
    if (dialect == Dialect.MYSQL && url.regionMatches(true, 0, "jdbc:mysql:", 0, 11)
        && !url.contains("permitMysqlScheme")) {
      return url + (url.indexOf('?') < 0 ? "?" : "&") + "permitMysqlScheme";
    }
    return url;
  }

  static int ceilSeconds(Duration d) {
    long s = (d.toMillis() + 999) / 1000;
    return (int) Math.max(1, Math.min(Integer.MAX_VALUE, s));
  }
}
