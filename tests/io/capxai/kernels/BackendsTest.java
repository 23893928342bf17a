package io.capxai.kernels;

import org.bytedeco.pytorch.Device;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The backend is chosen by the tensors' device, never by a caller's preference. */
class BackendsTest {
    @Test
    void eachDeviceGetsItsOwnBackend() {
        List<Integer> asked = new ArrayList<>();
        RecordingCudaBackend fake = new RecordingCudaBackend(1);
        Backends backends = Backends.of(Kernels::cpu, i -> {
            asked.add(i);
            return fake;
        });
        assertSame(Kernels.cpu(), backends.forDevice(new Device("cpu")));
        assertSame(Kernels.cpu(), backends.forTensor(org.bytedeco.pytorch.global.torch.zeros(2)));
        assertTrue(asked.isEmpty(), "CPU tensors never ask for a CUDA backend");
        assertSame(fake, backends.forDevice(new Device("cuda:1")));
        assertSame(fake, backends.forDevice(new Device("cuda")));
        assertEquals(List.of(1, 0), asked, "the CUDA backend is asked for the tensors' device index");
        assertThrows(IllegalArgumentException.class, () -> backends.forDevice(new Device("meta")));
    }

    @Test
    void aPreferredCudaBackendNeverServesCpuTensors() {
        RecordingCudaBackend fake = new RecordingCudaBackend(0);
        Backends backends = Backends.preferring(fake);
        assertSame(Kernels.cpu(), backends.forDevice(new Device("cpu")));
        assertSame(fake, backends.forDevice(new Device("cuda:0")));
        assertSame(Kernels.cpu(), Backends.preferring(Kernels.cpu()).forDevice(new Device("cpu")));
        assertTrue(fake.calls().isEmpty());
    }
}
