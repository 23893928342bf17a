package io.capxai.tensors;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parsing, resolution and every refusal of the run's device; machines stated with fake availabilities. */
class DeviceTest {
    private static final Device.CudaAvailability CPU_BUILD = Device.CudaAvailability.of(false, 0);
    private static final Device.CudaAvailability GPU_BUILD_NO_GPU = Device.CudaAvailability.of(true, 0);
    private static final Device.CudaAvailability TWO_GPUS = Device.CudaAvailability.of(true, 2);

    @Test
    void parsesEveryForm() {
        assertEquals(Device.CPU, Device.parse("cpu"));
        assertEquals(Device.CPU, Device.parse(" CPU "));
        assertEquals(Device.AUTO, Device.parse("auto"));
        assertEquals(Device.cuda(0), Device.parse("cuda"));
        assertEquals(Device.cuda(3), Device.parse("cuda:3"));
        assertEquals("cuda:3", Device.parse("cuda:3").toString());
        assertEquals(List.of(Device.cuda(0), Device.cuda(1)), Device.parseList("cuda:0,cuda:1"));
        assertEquals(List.of(Device.CPU, Device.CPU), Device.parseList("cpu,cpu"));
    }

    @Test
    void rejectsMalformedValuesNamingThem() {
        for (String bad : new String[] {"gpu", "cuda:", "cuda:-1", "cuda:x", "cuda:0:1", "", "cpu:0"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Device.parse(bad), bad);
            assertEquals("device: expected cpu, cuda, cuda:N or auto, got '" + bad + "'", e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Device.parseList("cuda:0,cuda:0"))
                .getMessage().contains("cuda:0 is listed twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Device.parseList("auto,cpu"))
                .getMessage().contains("'auto' cannot be part of a list"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Device.parseList("cpu,,cpu"))
                .getMessage().contains("got ''"));
    }

    @Test
    void autoIsCudaOnlyWithSupportAndADevice() {
        assertEquals(Device.CPU, Device.AUTO.resolve(CPU_BUILD));
        assertEquals(Device.CPU, Device.AUTO.resolve(GPU_BUILD_NO_GPU));
        assertEquals(Device.cuda(0), Device.AUTO.resolve(TWO_GPUS));
        assertEquals(Device.CPU, Device.CPU.resolve(TWO_GPUS));
        assertEquals(Device.cuda(1), Device.cuda(1).resolve(TWO_GPUS));
    }

    @Test
    void aListResolvesEachDeviceAndRefusesAGpuTwice() {
        assertEquals(List.of(Device.cuda(1), Device.cuda(0)), Device.resolveAll(List.of(Device.cuda(1), Device.cuda(0)), TWO_GPUS));
        assertEquals(List.of(Device.CPU, Device.CPU, Device.CPU), Device.resolveAll(Device.parseList("cpu,cpu,cpu"), CPU_BUILD));
        // auto is decided first: on a GPU machine it is cuda:0, which the list names again.
        assertEquals("devices: cuda:0 is listed twice", assertThrows(IllegalArgumentException.class,
                () -> Device.resolveAll(List.of(Device.AUTO, Device.cuda(0)), TWO_GPUS)).getMessage());
        assertEquals(List.of(Device.CPU, Device.CPU), Device.resolveAll(List.of(Device.AUTO, Device.CPU), CPU_BUILD));
        assertEquals("devices: the list is empty; name at least one device", assertThrows(IllegalArgumentException.class,
                () -> Device.resolveAll(List.of(), TWO_GPUS)).getMessage());
        assertEquals("cuda:3 requested, 2 devices present (cuda:0 to cuda:1)", assertThrows(DeviceUnavailableException.class,
                () -> Device.resolveAll(List.of(Device.cuda(0), Device.cuda(3)), TWO_GPUS)).getMessage());
    }

    @Test
    void everyUnmetRequestFailsWithOneLine() {
        assertEquals("cuda:0 requested, but this build's libtorch has no CUDA support: build with -Pgpu",
                refusal(Device.cuda(0), CPU_BUILD));
        assertEquals("cuda:0 requested, but no CUDA device is present (libtorch has CUDA support and sees 0 devices:"
                + " is the NVIDIA driver installed?)", refusal(Device.cuda(0), GPU_BUILD_NO_GPU));
        assertEquals("cuda:3 requested, 2 devices present (cuda:0 to cuda:1)", refusal(Device.cuda(3), TWO_GPUS));
        assertEquals("cuda:1 requested, 1 device present (cuda:0)",
                refusal(Device.cuda(1), Device.CudaAvailability.of(true, 1)));
    }

    @Test
    void thisProcessResolvesAgainstItsLibtorch() {
        Device auto = Device.AUTO.resolve();
        boolean cuda = Device.CudaAvailability.LIBTORCH.libtorchHasCuda() && Device.CudaAvailability.LIBTORCH.deviceCount() > 0;
        assertEquals(cuda ? Device.cuda(0) : Device.CPU, auto);
        Assumptions.assumeFalse(Device.CudaAvailability.LIBTORCH.libtorchHasCuda(), "this libtorch has CUDA support (-Pgpu)");
        assertEquals("cuda:0 requested, but this build's libtorch has no CUDA support: build with -Pgpu",
                assertThrows(DeviceUnavailableException.class, () -> Device.parse("cuda").resolve()).getMessage());
    }

    private static String refusal(Device d, Device.CudaAvailability machine) {
        String message = assertThrows(DeviceUnavailableException.class, () -> d.resolve(machine)).getMessage();
        assertTrue(!message.contains("\n"), "one line: " + message);
        return message;
    }
}
