package dev.archivist.app;

import dev.archivist.core.Redaction;
import dev.archivist.store.StoreConfig;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code --db}, {@code --db-user}, {@code --db-password-file} and the two database timeouts: how
 * to reach the archive.
 */
final class DatabaseOptions {
  static final String PASSWORD_VARIABLE = "ARCHIVIST_DB_PASSWORD";

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  @Option(names = "--db", paramLabel = "JDBC_URL",
      description = "The archive database: a jdbc:postgresql:, jdbc:mariadb: or jdbc:mysql: URL"
          + " (no password in it; see --db-password-file).")
  String url;

  @Option(names = "--db-user", paramLabel = "USER",
      description = "The database user (default: the URL's, else the driver's).")
  String user;

  @Option(names = "--db-password-file", paramLabel = "FILE",
      description = "A file holding the database password (trailing newline ignored). The"
          + " variable " + PASSWORD_VARIABLE + " gives the password itself.")
  Path passwordFile;

  @Option(names = "--db-connect-timeout", paramLabel = "DURATION", defaultValue = "10s",
      description = "How long to wait for a database connection, from the pool or the server"
          + " (default: ${DEFAULT-VALUE}).")
  Duration connectTimeout;

  @Option(names = "--db-statement-timeout", paramLabel = "DURATION", defaultValue = "60s",
      description = "How long one archive read or write may run; migrations are not bounded"
          + " (default: ${DEFAULT-VALUE}).")
  Duration statementTimeout;

  /** {@code config} with this command's timeouts. */
  StoreConfig withTimeouts(StoreConfig config) {
    return config.withTimeouts(connectTimeout, statementTimeout);
  }

  /** The archive of {@code --db}, as this command reaches it; {@link #validate()} first. */
  StoreConfig storeConfig(EnvironmentDefaults env) {
    return storeConfig(url, env);
  }

  /** The database at {@code jdbcUrl}, with this command's user, password and timeouts. */
  StoreConfig storeConfig(String jdbcUrl, EnvironmentDefaults env) {
    return withTimeouts(StoreConfig.of(jdbcUrl.strip(), user, password(env)));
  }

  boolean isSet() {
    return url != null && !url.isBlank();
  }

  /** Checks the URL's scheme and the timeouts; call before using {@link #url}. */
  void validate() {
    Flags.positive(spec, "--db-connect-timeout", connectTimeout);
    Flags.positive(spec, "--db-statement-timeout", statementTimeout);
    if (!isSet()) {
      return;
    }
    String u = url.strip();
    requireSupportedUrl(spec, "--db", u);
    if (!Redaction.url(u).equals(u) && spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption("--db")) {
      // Accepted, as drivers accept it, but a command line is visible to every local user.
      spec.commandLine().getErr().println("archivist: warning: the --db URL on the command line"
          + " carries a password, which other users of this machine can read in the process"
          + " list; use --db-password-file or ARCHIVIST_DB_PASSWORD instead");
    }
  }

  /**
   * Refuses {@code url}, the value of {@code flag}, unless it is a jdbc:postgresql:, jdbc:mariadb:
   * or jdbc:mysql: URL; the message shows it without its password.
   */
  static void requireSupportedUrl(CommandSpec spec, String flag, String url) {
    if (!(url.startsWith("jdbc:postgresql:") || url.startsWith("jdbc:mariadb:")
        || url.startsWith("jdbc:mysql:"))) {
      throw Flags.invalid(spec, flag, "must be a jdbc:postgresql:, jdbc:mariadb: or"
          + " jdbc:mysql: URL, got '" + Redaction.url(url) + "'");
    }
  }

  /** The password from {@code --db-password-file}, else the environment, else null. */
  String password(EnvironmentDefaults env) {
    if (passwordFile != null) {
      return Flags.readSecret(spec, "--db-password-file", passwordFile);
    }
    String fromEnv = env.get(PASSWORD_VARIABLE);
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }
}
