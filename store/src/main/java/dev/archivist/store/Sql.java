package dev.archivist.store;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * SQL text with its parameters, built together so that every value is bound, never spliced:
 * names, label keys and values, and cursors only ever reach the database as parameters.
 * Not thread-safe; build and use on one thread.
 */
final class Sql {
  private final StringBuilder text = new StringBuilder();
  private final List<Object> params = new ArrayList<>();

  /** Appends SQL text; it must contain no data, only constants and placeholders. */
  Sql append(String constantSql) {
    text.append(constantSql);
    return this;
  }

  /** Appends SQL text containing one {@code ?} per value and binds the values. */
  Sql append(String constantSql, Object... values) {
    text.append(constantSql);
    for (Object v : values) {
      params.add(v);
    }
    return this;
  }

  String text() {
    return text.toString();
  }

  void bind(PreparedStatement ps) throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      bind(ps, i + 1, params.get(i));
    }
  }

  /** Binds one value; an {@link Instant} becomes a UTC {@code timestamp} (columns have no zone). */
  static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof Instant instant) {
      ps.setObject(index, LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    } else if (value instanceof String s) {
      ps.setString(index, s);
    } else if (value instanceof Integer n) {
      ps.setInt(index, n);
    } else if (value instanceof Long n) {
      ps.setLong(index, n);
    } else {
      ps.setObject(index, value);
    }
  }

  /** {@code ?, ?, ?} for n values. */
  static String placeholders(int n) {
    StringBuilder sb = new StringBuilder(n * 3);
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "?" : ", ?");
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
