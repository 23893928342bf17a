package io.capxai.cli;

import io.capxai.data.IdxFile;
import io.capxai.data.MissingDataException;
import io.capxai.kernels.BackendUnavailableException;
import io.capxai.kernels.KernelException;
import io.capxai.training.TrainingException;
import io.capxai.weights.WeightsException;
import io.capxai.wordnet.WordNetException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * How {@code capxai} reports failures. A user error (bad input, missing file or data, a machine
 * that lacks something) is one line {@code capxai: ...} on stderr and exit code 2; a defect
 * (any other exception) prints its stack trace and exits with 1. {@code --debug} or the
 * environment variable {@code CAPXAI_DEBUG=1} adds the trace to user errors too.
 */
final class UserErrors implements IExecutionExceptionHandler, IParameterExceptionHandler {
    static final int USER_ERROR = 2;
    static final int DEFECT = 1;

    private final BooleanSupplier debug;

    UserErrors(BooleanSupplier debug) {
        this.debug = debug;
    }

    /**
     * The one-line message if {@code t} is the user's to fix, else empty. The engine signals bad
     * input with IllegalArgumentException and its own types; IllegalStateException and the rest
     * mean a defect.
     */
    static Optional<String> userMessage(Throwable t) {
        if (t instanceof UncheckedIOException || t instanceof CompletionException || t instanceof ExecutionException) {
            return t.getCause() != null ? userMessage(t.getCause()) : Optional.empty();
        }
        if (t instanceof NoSuchFileException e) {
            return Optional.of("file not found: " + e.getFile() + (e.getReason() != null ? " (" + e.getReason() + ")" : ""));
        }
        if (t instanceof AccessDeniedException e) {
            return Optional.of("permission denied: " + e.getFile());
        }
        if (t instanceof FileSystemException e) {
            return Optional.of(e.getMessage());
        }
        boolean user = t instanceof UserError || t instanceof IllegalArgumentException || t instanceof IOException
                || t instanceof MissingDataException || t instanceof WeightsException || t instanceof TrainingException
                || t instanceof BackendUnavailableException || t instanceof WordNetException
                || t instanceof IdxFile.IdxFormatException
                || (t instanceof KernelException k && k.status() == KernelException.NONFINITE);
        if (!user) {
            return Optional.empty();
        }
        String message = t.getMessage() != null && !t.getMessage().isBlank() ? t.getMessage() : t.getClass().getSimpleName();
        return Optional.of(oneLine(message));
    }

    static String oneLine(String message) {
        return message.strip().replaceAll("\\s*\\R\\s*", " / ");
    }

    @Override
    public int handleExecutionException(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        Optional<String> message = userMessage(e);
        if (message.isPresent()) {
            err.println("capxai: " + message.get());
            if (debug.getAsBoolean()) {
                e.printStackTrace(err);
            }
            err.flush();
            return USER_ERROR;
        }
        err.println("capxai: internal error (a defect; please report it with this trace):");
        e.printStackTrace(err);
        err.flush();
        return DEFECT;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("capxai: " + oneLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (debug.getAsBoolean()) {
            e.printStackTrace(err);
        }
        err.flush();
        return USER_ERROR;
    }
}
