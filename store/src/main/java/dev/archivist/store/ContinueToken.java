package dev.archivist.store;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The {@code continue} of a list: either our opaque keyset cursor (the last item's startedat and
 * uid, base64url-encoded with a version prefix) or, as Argo's clients send, a plain integer
 * offset. Keyset pages stay correct and fast however deep they go and while rows are inserted;
 * offsets are accepted so that Argo's UI and CLI keep working.
 */
sealed interface ContinueToken {
  /** Rows strictly after ({@code startedAt}, {@code uid}) in (startedat desc, uid desc) order. */
  record Keyset(Instant startedAt, String uid) implements ContinueToken {}

  /** Skip this many rows. */
  record Offset(int offset) implements ContinueToken {}

  String VERSION = "k1";
  int MAX_OFFSET = 100_000_000;

  /** The next page's token after an item with this startedat and uid. */
  static String keyset(Instant startedAt, String uid) {
    String raw = VERSION + "|" + startedAt.getEpochSecond() + "|" + startedAt.getNano() + "|" + uid;
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads a token; null or blank is the first page.
   *
   * @throws IllegalArgumentException naming what is wrong with the token
   */
  static ContinueToken parse(String token) {
    if (token == null || token.isBlank()) {
      return null;
    }
    String t = token.trim();
    if (t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      if (t.length() > 9 || Integer.parseInt(t) > MAX_OFFSET) {
        throw new IllegalArgumentException("continue offset " + t + " is larger than "
            + MAX_OFFSET);
      }
      return new Offset(Integer.parseInt(t));
    }
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(t), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw invalid(token);
    }
    String[] parts = raw.split("\\|", 4);
    if (parts.length != 4 || !parts[0].equals(VERSION) || parts[3].isEmpty()) {
      throw invalid(token);
    }
    try {
      long seconds = Long.parseLong(parts[1]);
      int nanos = Integer.parseInt(parts[2]);
      if (nanos < 0 || nanos > 999_999_999) {
        throw invalid(token);
      }
      return new Keyset(Instant.ofEpochSecond(seconds, nanos), parts[3]);
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw invalid(token);
    }
  }

  private static IllegalArgumentException invalid(String token) {
    String shown = token.length() > 80 ? token.substring(0, 80) + "..." : token;
    return new IllegalArgumentException("invalid continue token \"" + shown + "\": expected the"
        + " continue of a previous page, or an integer offset");
  }
}
