package dev.archivist.app;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;

/** Byte sizes as people write them: {@code 2048}, {@code 4k}, {@code 64KiB}, {@code 1MiB}. */
final class Sizes {
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|k|kb|kib|m|mb|mib)?", Pattern.CASE_INSENSITIVE);

  private Sizes() {}

  static int parse(String text) {
    Matcher m = SIZE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a size (write it like 2048,"
          + " 16KiB or 1MiB)");
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long bytes = switch (unit) {
      case "b" -> n;
      case "k", "kb", "kib" -> n * 1024;
      default -> n * 1024 * 1024;
    };
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + text + "' is too large");
    }
    return (int) bytes;
  }

  static String format(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + "MiB";
    }
    if (bytes >= 1024 && bytes % 1024 == 0) {
      return (bytes >> 10) + "KiB";
    }
    return bytes + "B";
  }

  /** picocli's converter for size options. */
  static final class Converter implements ITypeConverter<Integer> {
    @Override
    public Integer convert(String value) {
      return Flags.converted(Sizes::parse, value, "");
    }
  }
}
