package io.capxai.cli;

import io.capxai.tensors.Libtorch;
import io.capxai.tensors.OneDnn;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
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
                MergeCommand.class,
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

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print the stack trace of errors too (or set CAPXAI_DEBUG=1).")
    boolean debug;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM; returns the exit code (2: a user error, see {@link UserErrors}). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The {@code capxai} command line with its error reporting ({@link UserErrors}). */
    static CommandLine commandLine() {
        Main main = new Main();
        UserErrors errors = new UserErrors(() -> main.debug || "1".equals(System.getenv("CAPXAI_DEBUG")));
        CommandLine commandLine = new CommandLine(main).setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(errors).setParameterExceptionHandler(errors);
        // libtorch is set up after the options are read (they may choose its threads and oneDNN), before any command runs
        commandLine.setExecutionStrategy(parsed -> {
            if (CommandLine.printHelpIfRequested(parsed)) {
                return 0; // --help and --version need no libtorch (and no probe of this machine)
            }
            Libtorch.configure();
            return new CommandLine.RunLast().execute(parsed);
        });
        return commandLine;
    }

    @Option(names = "--threads", scope = ScopeType.INHERIT, paramLabel = "N",
            description = "libtorch intra-op threads (default: the processors this process may use; env CAPXAI_THREADS)")
    void threads(int n) {
        if (n < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be >= 1, got " + n);
        }
        System.setProperty(Libtorch.THREADS_PROPERTY, Integer.toString(n));
    }

    @Option(names = "--onednn", scope = ScopeType.INHERIT, paramLabel = "MODE",
            description = "libtorch's oneDNN: auto (probe this machine once, default), on, forward (forward passes only), off; "
                    + "env CAPXAI_ONEDNN")
    void oneDnn(OneDnn.Mode mode) {
        System.setProperty(OneDnn.PROPERTY, mode.name().toLowerCase(java.util.Locale.ROOT));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
