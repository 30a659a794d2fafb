package dev.archivist.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code archivist} command. Every subcommand's options also read from
 * {@code ARCHIVIST_<OPTION>} (see {@link EnvironmentDefaults}); bad input exits with 2 and a
 * message naming the flag, failures with 1, "not found" with 3 (see {@link ExitCodes}). No stack
 * trace reaches the user unless {@code ARCHIVIST_DEBUG} is set.
 */
@Command(
    name = "archivist",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = {
        "Moves completed Argo Workflows out of the cluster into a SQL archive, and serves it.",
        ""},
    commandListHeading = "%nCommands:%n",
    footer = {
        "",
        "Every option can also be set with an environment variable: ARCHIVIST_ and the option's"
            + " name in upper snake case (--http-port -> ARCHIVIST_HTTP_PORT).",
        "Exit codes: 0 ok, 1 error (database or server unreachable, ...), 2 bad input, 3 not"
            + " found.",
        "Run 'archivist COMMAND --help' for a command's options; see docs/cli.md."},
    subcommands = {
        RunCommand.class,
        ServeCommand.class,
        MigrateCommand.class,
        ListCommand.class,
        GetCommand.class,
        DeleteCommand.class,
        DemoCommand.class,
        QuarantineCommand.class,
        ReleaseFinalizersCommand.class,
        HelpCommand.class})
public final class Main implements Callable<Integer> {
  static final String DEBUG_VARIABLE = "ARCHIVIST_DEBUG";

  @Spec
  CommandSpec spec;

  private final EnvironmentDefaults env;
  private final Clock clock;

  Main(EnvironmentDefaults env, Clock clock) {
    this.env = env;
    this.clock = clock;
  }

  public static void main(String[] args) {
    System.exit(commandLine(System.getenv(), Clock.systemUTC()).execute(args));
  }

  /**
   * The command line with our environment mapping and error handling; callers may redirect its
   * output with {@code setOut}/{@code setErr} before {@code execute}.
   */
  public static CommandLine commandLine(Map<String, String> environment, Clock clock) {
    EnvironmentDefaults env = new EnvironmentDefaults(environment);
    CommandLine cl = new CommandLine(new Main(env, clock));
    // The constructor added the subcommands, so this reaches every Duration option of theirs.
    cl.registerConverter(Duration.class, new Durations.Converter());
    cl.setDefaultValueProvider(env);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler(Main::onBadInput);
    cl.setExecutionExceptionHandler(
        (e, line, parsed) -> onFailure(e, line, env.get(DEBUG_VARIABLE) != null));
    return cl;
  }

  EnvironmentDefaults env() {
    return env;
  }

  Clock clock() {
    return clock;
  }

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("archivist: give a command.");
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  private static int onBadInput(ParameterException e, String[] args) {
    CommandLine line = e.getCommandLine();
    PrintWriter err = line.getErr();
    err.println("error: " + e.getMessage());
    UnmatchedArgumentException.printSuggestions(e, err);
    err.println("See '" + line.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return ExitCodes.USAGE;
  }

  static int onFailure(Exception e, CommandLine line, boolean debug) {
    PrintWriter err = line.getErr();
    int code = e instanceof CommandFailedException f ? f.exitCode() : ExitCodes.ERROR;
    err.println("error: " + describe(e));
    if (debug) {
      e.printStackTrace(err);
    } else if (!(e instanceof CommandFailedException)) {
      err.println("(set " + DEBUG_VARIABLE + "=1 for the stack trace)");
    }
    err.flush();
    return code;
  }

  /** The message and its causes' messages, each once: what went wrong, then why. */
  static String describe(Throwable e) {
    StringBuilder sb = new StringBuilder(message(e));
    Throwable cause = e.getCause();
    int depth = 0;
    while (cause != null && depth++ < 5) {
      String m = message(cause);
      if (!sb.toString().contains(m)) {
        sb.append(": ").append(m);
      }
      cause = cause.getCause();
    }
    return sb.toString();
  }

  private static String message(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  /** The version from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"archivist " + version()};
    }

    static String version() {
      Properties p = new Properties();
      try (InputStream in = Main.class.getResourceAsStream("/archivist-version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        return "unknown (" + e.getMessage() + ")";
      }
      return p.getProperty("version", "unknown");
    }
  }

  /** The root command of a subcommand: where the environment and the clock come from. */
  static Main root(CommandSpec spec) {
    CommandSpec s = spec;
    while (s.parent() != null) {
      s = s.parent();
    }
    return (Main) s.userObject();
  }

  static ParseResult parsed(CommandSpec spec) {
    return spec.commandLine().getParseResult();
  }
}
