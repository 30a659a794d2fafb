package dev.archivist.app;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/**
 * Durations as people and Go write them: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h30m},
 * {@code 7d}; ISO-8601 ({@code PT5M}) also works. Also humanizes durations for tables the way
 * kubectl does: the two most significant units, less precision as the value grows.
 */
final class Durations {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private Durations() {}

  /**
   * Parses {@code text}.
   *
   * @throws IllegalArgumentException saying what a duration looks like
   */
  static Duration parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    if (t.startsWith("p")) {
      try {
        return Duration.parse(t.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw bad(text);
      }
    }
    if (t.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(t);
    int at = 0;
    double millis = 0;
    while (at < t.length() && m.find(at) && m.start() == at) {
      double n = Double.parseDouble(m.group(1));
      millis += n * switch (m.group(2)) {
        case "ms" -> 1;
        case "s" -> 1_000;
        case "m" -> 60_000;
        case "h" -> 3_600_000;
        default -> 86_400_000;
      };
      at = m.end();
    }
    if (at == 0 || at != t.length()) {
      throw bad(text);
    }
    return Duration.ofMillis(Math.round(millis));
  }

  private static IllegalArgumentException bad(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration (write it like 500ms,"
        + " 30s, 5m, 1h30m or 7d)");
  }

  /**
   * A unit of {@link #humanize} above seconds: how many of the unit before make one, below which
   * value it is shown with the unit before beside it ({@code 3h5m}), and below which alone
   * ({@code 30h}); past that, the next unit takes over.
   */
  private record Unit(String suffix, long ofSmaller, long pairedBelow, long aloneBelow) {}

  private static final List<Unit> UNITS = List.of(
      new Unit("m", 60, 10, 180),
      new Unit("h", 60, 8, 48),
      new Unit("d", 24, 8, 730),
      new Unit("y", 365, 8, Long.MAX_VALUE));

  /** kubectl's style: {@code 45s}, {@code 5m10s}, {@code 47m}, {@code 3h5m}, {@code 30h}, ... */
  static String humanize(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 0) {
      return "0s";
    }
    if (seconds < 120) {
      return seconds + "s";
    }
    long smaller = seconds;
    String smallerSuffix = "s";
    for (Unit unit : UNITS) {
      long value = smaller / unit.ofSmaller();
      if (value < unit.pairedBelow()) {
        long rest = smaller % unit.ofSmaller();
        return rest == 0 ? value + unit.suffix() : value + unit.suffix() + rest + smallerSuffix;
      }
      if (value < unit.aloneBelow()) {
        return value + unit.suffix();
      }
      smaller = value;
      smallerSuffix = unit.suffix();
    }
    throw new AssertionError("the last unit has no upper bound");
  }

  /** The instant {@code text} means: RFC 3339, or a duration before {@code now}. */
  static Instant sinceInstant(String text, Instant now) {
    try {
      return Instant.parse(text.strip());
    } catch (DateTimeParseException notAnInstant) {
      try {
        return java.time.OffsetDateTime.parse(text.strip()).toInstant();
      } catch (DateTimeParseException notAnOffsetTime) {
        return now.minus(parse(text));
      }
    }
  }

  /**
   * picocli's converter for a {@link Duration} option that can be turned off: {@code off} gives
   * null, anything else is a duration, 0 included.
   */
  static final class OffOrDuration implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      if (value != null && value.strip().equalsIgnoreCase("off")) {
        return null;
      }
      return Flags.converted(Durations::parse, value, ", or off");
    }
  }

  /**
   * picocli's converter for {@link Duration} options: {@link Main#commandLine} registers it for
   * the type, so that no option needs to name it.
   */
  static final class Converter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Flags.converted(Durations::parse, value, "");
    }
  }
}
