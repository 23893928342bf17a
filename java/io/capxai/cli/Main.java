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

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line without exiting the JVM; returns the exit code. */
    public static int run(String... args) {
        io.capxai.tensors.Libtorch.configure();
        return new CommandLine(new Main()).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
