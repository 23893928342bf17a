package io.capxai.cli;

import io.capxai.tensors.Device;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@link DeviceOption}'s {@code --device} and, for the commands that split their images over
 * several devices (audit, match, demo), {@code --devices cuda:0,cuda:1,...}: one worker per device.
 * The list is parsed and checked against this machine while the command line is read; the two
 * options together are refused with one line when the command asks for its {@link #list()}.
 */
public final class DevicesOption extends DeviceOption {
    @Option(names = "--devices", paramLabel = "DEVICE,DEVICE,...", converter = ListResolver.class,
            description = "One worker per device, the images split over them and the results merged exactly, e.g."
                    + " cuda:0,cuda:1 (a GPU may be named once; cpu,cpu runs two CPU workers). Instead of --device.")
    Choices devices;

    /** The resolved devices, one worker each: those of --devices, or the one of --device. */
    public List<Device> list() {
        if (devices == null) {
            return List.of(get());
        }
        if (command.commandLine().getParseResult().hasMatchedOption("--device")) {
            throw new CommandLine.ParameterException(command.commandLine(), "--device and --devices together: give one"
                    + " of them (--devices " + String.join(",", devices.requested().stream().map(Device::toString).toList())
                    + " already names every device)");
        }
        return devices.resolved();
    }

    /** What was asked for and what it is on this machine. */
    record Choices(List<Device> requested, List<Device> resolved) {}

    /** Parses and resolves; picocli prints the message after "Invalid value for option '--devices': ". */
    static final class ListResolver implements CommandLine.ITypeConverter<Choices> {
        @Override
        public Choices convert(String value) {
            try {
                List<Device> requested = Device.parseList(value);
                return new Choices(requested, Device.resolveAll(requested));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
