package dev.archivist.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --db}, {@code --db-user}, {@code --db-password-file}: how to reach the archive. */
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

  boolean isSet() {
    return url != null && !url.isBlank();
  }

  /** Checks the URL's scheme; call before using {@link #url}. */
  void validate() {
    if (!isSet()) {
      return;
    }
    String u = url.strip();
    if (!(u.startsWith("jdbc:postgresql:") || u.startsWith("jdbc:mariadb:")
        || u.startsWith("jdbc:mysql:"))) {
      throw Flags.invalid(spec, "--db", "must be a jdbc:postgresql:, jdbc:mariadb: or"
          + " jdbc:mysql: URL, got '" + Redaction.url(u) + "'");
    }
  }

  /** The password from {@code --db-password-file}, else the environment, else null. */
  String password(EnvironmentDefaults env) {
    if (passwordFile != null) {
      try {
        return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw Flags.invalid(spec, "--db-password-file", "cannot be read: " + passwordFile
            + " (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
      }
    }
    String fromEnv = env.get(PASSWORD_VARIABLE);
    return fromEnv == null || fromEnv.isEmpty() ? null : fromEnv;
  }
}
