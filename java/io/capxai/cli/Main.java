package io.capxai.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code capxai} command line: thin commands over the Java API. */
@Command(name = "capxai",
        mixinStandardHelpOptions = true,
        version = "capxai 0.1.0",
        description = "Audits image classifiers for hidden bias by grafting them into CLIP, and explains CLIP.",
        subcommands = {
                DemoCommand.class,
                AuditCommand.class,
                MatchCommand.class,
                TrainCommand.class,
                ExplainCommand.class,
                ConceptCommand.class,
                KernelsCommand.class,
                DataCommand.class,
                TokenizeCommand.class,
                WeightsCommand.class,
                TapsCommand.class,
                ForwardCommand.class,
                EncodeTextCommand.class,
                BenchCommand.class,
                ReportCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Print the stack trace of errors too (or set CAPXAI_DEBUG=1).")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM; returns the exit code (2: a user error, see {@link UserErrors}). */
    public static int run(String... args) {
        io.capxai.tensors.NativeThreads.configure();
        return commandLine().execute(args);
    }

    /** The {@code capxai} command line with its error reporting. */
    static CommandLine commandLine() {
        Main main = new Main();
        UserErrors errors = new UserErrors(() -> main.debug || "1".equals(System.getenv("CAPXAI_DEBUG")));
        return new CommandLine(main).setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
