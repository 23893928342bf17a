package io.capxai.cli;

import io.capxai.tensors.Device;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --device cpu|cuda|cuda:N|auto}, shared by every command that runs models
 * ({@code @Mixin DeviceOption device;}). The value is parsed and checked against this machine while
 * the command line is read, so a request that cannot be met stops before any work with one line,
 * e.g. "cuda:0 requested, but this build's libtorch has no CUDA support: build with -Pgpu".
 * Commands that can split their images over several devices take {@link DevicesOption} instead.
 */
public class DeviceOption {
    @Option(names = "--device", defaultValue = "auto", paramLabel = "cpu|cuda|cuda:N|auto",
            converter = Resolver.class,
            description = "Where weights, batches and activations live: cpu, cuda (= cuda:0), cuda:N, or auto"
                    + " (CUDA when libtorch has CUDA support, the -Pgpu build, and a GPU is present; else cpu)."
                    + " Default: ${DEFAULT-VALUE}.")
    Choice device;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    /** The resolved device (never auto). */
    public Device get() {
        return device.resolved();
    }

    /** libtorch's device object of {@link #get()}. */
    public org.bytedeco.pytorch.Device torch() {
        return device.resolved().torch();
    }

    /**
     * What was asked for and what it is on this machine. "auto" never fails, so it is decided when the
     * command first asks ({@code checked} null), not while parsing: --help then needs no libtorch.
     */
    record Choice(Device requested, Device checked) {
        Device resolved() {
            return checked != null ? checked : requested.resolve();
        }
    }

    /** Parses and resolves; picocli prints the message after "Invalid value for option '--device': ". */
    static final class Resolver implements CommandLine.ITypeConverter<Choice> {
        @Override
        public Choice convert(String value) {
            try {
                Device requested = Device.parse(value);
                return new Choice(requested, Device.AUTO.equals(requested) ? null : requested.resolve());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
