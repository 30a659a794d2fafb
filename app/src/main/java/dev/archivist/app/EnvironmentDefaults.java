package dev.archivist.app;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Reads every option's value from {@code ARCHIVIST_<OPTION_IN_UPPER_SNAKE>} when it is not given
 * on the command line ({@code --archive-qps} reads {@code ARCHIVIST_ARCHIVE_QPS}). An empty
 * variable counts as unset. When the variable is unset the option's own default applies.
 *
 * <p>Values from the environment go through the same conversion and validation as flags, so a
 * bad one fails at start-up naming the flag. Repeatable options split the value on commas.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  static final String PREFIX = "ARCHIVIST_";

  private final Map<String, String> env;

  EnvironmentDefaults(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (!(arg instanceof OptionSpec option) || option.usageHelp() || option.versionHelp()) {
      return null;
    }
    String value = env.get(variableFor(option.longestName()));
    return value == null || value.isEmpty() ? null : value;
  }

  /** {@code --archive-qps} -> {@code ARCHIVIST_ARCHIVE_QPS}. */
  static String variableFor(String optionName) {
    String bare = optionName.replaceFirst("^-+", "");
    return PREFIX + bare.replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** Whether the environment holds a value for this option. */
  boolean provides(String optionName) {
    String value = env.get(variableFor(optionName));
    return value != null && !value.isEmpty();
  }

  String get(String variable) {
    return env.get(variable);
  }
}
