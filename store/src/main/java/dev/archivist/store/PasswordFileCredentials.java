package dev.archivist.store;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pool's credentials, with the password read from a file each time HikariCP opens a
 * connection. HikariCP asks its {@link HikariCredentialsProvider} on every new physical
 * connection (at start, to refill the pool, and when a connection reaches its maximum lifetime),
 * so a password rotated in the file (a Kubernetes Secret volume is updated in place) is used
 * from the next connection on, without a restart; connections already open stay as they were.
 *
 * <p>HikariCP passes the credentials to the driver only when the user name is not null, so the
 * user is required: {@code --db-user}, else the URL's {@code user=} parameter.
 *
 * <p>Thread-safe: it holds no mutable state. A read failure names the file and never its
 * contents.
 */
final class PasswordFileCredentials implements HikariCredentialsProvider {
  private static final Pattern URL_USER = Pattern.compile("[?&;]user=([^&;]+)");

  private final String user;
  private final Path file;

  private PasswordFileCredentials(String user, Path file) {
    this.user = user;
    this.file = file;
  }

  /**
   * @throws IllegalArgumentException when neither {@code user} nor the URL names a user
   */
  static PasswordFileCredentials of(String jdbcUrl, String user, Path file) {
    String u = user;
    if (u == null || u.isEmpty()) {
      Matcher m = URL_USER.matcher(jdbcUrl);
      u = m.find() ? m.group(1) : null;
    }
    if (u == null) {
      throw new IllegalArgumentException("--db-password-file needs a user name: give --db-user"
          + " or user= in the --db URL");
    }
    return new PasswordFileCredentials(u, file);
  }

  @Override
  public Credentials getCredentials() {
    return Credentials.of(user, read(file));
  }

  /** The file's contents with surrounding whitespace (a trailing newline) stripped. */
  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the database password file " + file + " ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }
}
