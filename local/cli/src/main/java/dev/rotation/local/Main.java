package dev.rotation.local;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Command-line entry point of {@code rotation-local.jar}: one command class per subcommand, parsed by
 * picocli. {@code --help} (or {@code -h}) on any command prints its usage to stdout and exits 0. A usage
 * error is one line on stderr naming the problem, exit status 2; so is an input file or template that
 * cannot be read. A failure to do the work (a busy port, a rotation that failed) exits 1. Never a stack
 * trace.
 */
@Command(name = "java -jar rotation-local.jar", synopsisSubcommandLabel = "COMMAND",
        description = "Runs the rotation functions locally: a Secrets Manager, the Lambda Java runtime and "
                + "throwaway databases, no AWS account and no Docker needed.",
        subcommands = {DemoCommand.class, ServeCommand.class, InvokeCommand.class, PreflightCommand.class,
                AuditCommand.class, HistoryCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Callable<Integer> {
    static final int USAGE = 2;
    static final int FAILED = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("serve")) {
            ServeJvm.relaunchIfUnbounded(args).ifPresent(System::exit);
            ServeJvm.exitWithParent();
        }
        CommandLine cli = commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        int code = cli.execute(args);
        // serve returns (0) only once the JVM is shutting down on SIGTERM or Ctrl-C, where System.exit
        // would wait forever. Everything else ends with System.exit: database servers and warm function
        // JVMs must not keep the process alive.
        if (code == 0 && ran(cli, ServeCommand.class)) {
            return;
        }
        cli.getOut().flush();
        cli.getErr().flush();
        System.exit(code);
    }

    /** The command line with its error handling, writing to {@code out} and {@code err} (tests pass their own). */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                // As before picocli: a repeated single-valued option takes the last value.
                .setOverwrittenOptionsAllowed(true)
                .setParameterExceptionHandler(Main::usageError)
                .setExecutionExceptionHandler(Main::failure);
    }

    /** No command: a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().getErr().println(
                "missing command: demo, serve, invoke, preflight, audit, history or help (see --help)");
        return USAGE;
    }

    private static boolean ran(CommandLine cli, Class<?> command) {
        ParseResult result = cli.getParseResult();
        ParseResult sub = result == null ? null : result.subcommand();
        return sub != null && command.isInstance(sub.commandSpec().userObject());
    }

    /** One line: which command, what is wrong, where the usage is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().userObject() instanceof Main ? null : command.getCommandName();
        String problem;
        if (e instanceof UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            List<String> extra = unmatched.getUnmatched();
            String first = extra.get(0);
            if (first.startsWith("-")) {
                problem = "unknown option " + first;
            } else if (name == null) {
                problem = "unknown command " + first;
            } else {
                problem = "unexpected argument " + first;
            }
        } else {
            problem = firstLine(e.getMessage());
            problem = problem.isEmpty() ? problem : Character.toLowerCase(problem.charAt(0)) + problem.substring(1);
        }
        String help = name == null ? "--help" : name + " --help";
        command.getErr().println((name == null ? "" : name + ": ") + problem + " (see " + help + ")");
        command.getErr().flush();
        return USAGE;
    }

    /** An exception no command turned into its own message: one line, exit 1. */
    private static int failure(Exception e, CommandLine command, ParseResult parseResult) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage());
        command.getErr().println(command.getCommandName() + ": " + message);
        command.getErr().flush();
        return FAILED;
    }

    /** One line of {@code text}: messages from libraries may carry more. */
    static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
