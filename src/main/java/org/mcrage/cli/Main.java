package org.mcrage.cli;

import java.io.PrintWriter;
import org.mcrage.config.McrageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code mcrage} command line: {@code rebalance}, {@code profile}, {@code demo}, {@code
 * evaluate}, {@code settings} and {@code bench}.
 *
 * <p>Exit status: 0 on success, 2 for a mistake the user can fix (the message says what and how), 1
 * for anything else.
 */
@Command(
    name = "mcrage",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Fair rebalancing of EHR tables with a conditional diffusion model (MCRAGE).",
    subcommands = {
      RebalanceCommand.class,
      ProfileCommand.class,
      DemoCommand.class,
      EvaluateCommand.class,
      SettingsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  /**
   * Runs the command line.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Runs the command line and returns its exit status instead of exiting.
   *
   * @param args the arguments
   * @return the exit status
   */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setExecutionExceptionHandler(
        (exception, line, parsed) -> {
          if (exception instanceof McrageException) {
            PrintWriter err = line.getErr();
            err.println("mcrage: error: " + exception.getMessage());
            err.flush();
            return 2;
          }
          throw exception;
        });
    return commandLine.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** Reports the version recorded in the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"mcrage " + (version == null ? "dev" : version)};
    }
  }
}
