package dev.archivist.app;

import dev.archivist.core.InvalidSelectorException;
import dev.archivist.core.LabelSelector;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Start-up validation of flag values. Every failure is a {@link ParameterException} (exit code
 * 2) whose message names the flag and the value, and the environment variable when the value came
 * from one: {@code "--archive-qps must be >= 0, got -3"}.
 */
final class Flags {
  private Flags() {}

  static void atLeast(CommandSpec spec, String flag, double value, double min) {
    if (value < min || Double.isNaN(value)) {
      throw invalid(spec, flag, "must be >= " + number(min) + ", got " + number(value));
    }
  }

  static void inRange(CommandSpec spec, String flag, long value, long min, long max) {
    if (value < min || value > max) {
      throw invalid(spec, flag, "must be between " + min + " and " + max + ", got " + value);
    }
  }

  static void positive(CommandSpec spec, String flag, Duration value) {
    if (value.isZero() || value.isNegative()) {
      throw invalid(spec, flag, "must be a positive duration, got " + Durations.humanize(value));
    }
  }

  /** The Kubernetes label selector a flag gives; an invalid one is refused naming the flag. */
  static LabelSelector labelSelector(CommandSpec spec, String flag, String selector) {
    try {
      return LabelSelector.parse(selector);
    } catch (InvalidSelectorException e) {
      throw invalid(spec, flag, "is invalid: " + e.getMessage());
    }
  }

  /**
   * The text of the secret file a flag names, surrounding whitespace (a trailing newline)
   * stripped. The message of a file that cannot be read names the flag and the file, never
   * what is in it.
   */
  static String readSecret(CommandSpec spec, String flag, Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw invalid(spec, flag, "cannot be read: " + file + " ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
  }

  /**
   * What {@code parse} makes of a flag's text, for a picocli converter: its
   * {@link IllegalArgumentException} becomes picocli's {@link TypeConversionException} (exit code
   * 2), the message followed by {@code alsoAccepted} (what else the flag takes, or empty).
   */
  static <T> T converted(Function<String, T> parse, String value, String alsoAccepted) {
    try {
      return parse.apply(value);
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException(e.getMessage() + alsoAccepted);
    }
  }

  /**
   * The values of a repeatable flag such as {@code --namespace}: stripped, blanks dropped, each
   * once, in the order given; empty when the flag is absent.
   */
  static List<String> distinctValues(List<String> values) {
    return values == null ? List.of() : values.stream().map(String::strip)
        .filter(s -> !s.isEmpty()).distinct().toList();
  }

  static ParameterException invalid(CommandSpec spec, String flag, String problem) {
    return new ParameterException(spec.commandLine(), describe(spec, flag) + " " + problem);
  }

  /** {@code --flag}, or {@code --flag (from ARCHIVIST_FLAG)} when the environment gave it. */
  static String describe(CommandSpec spec, String flag) {
    boolean onCommandLine = spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption(flag);
    if (!onCommandLine && spec.commandLine().getDefaultValueProvider()
        instanceof EnvironmentDefaults env && env.provides(flag)) {
      return flag + " (from " + EnvironmentDefaults.variableFor(flag) + ")";
    }
    return flag;
  }

  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
