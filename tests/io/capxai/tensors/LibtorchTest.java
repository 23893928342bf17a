package io.capxai.tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.bytedeco.pytorch.global.torch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LibtorchTest {
    @AfterEach
    void clear() {
        System.clearProperty(Libtorch.THREADS_PROPERTY);
    }

    @Test
    void setsTheOpenBlasSpinTimeoutWithoutOverridingTheUser() {
        String before = System.getenv("OPENBLAS_THREAD_TIMEOUT"); // Java's snapshot at start-up
        Libtorch.configure();
        assertEquals(before != null ? before : Libtorch.OPENBLAS_TIMEOUT, Libtorch.environmentValue());
    }

    @Test
    void libtorchRunsOnTheProcessorsThisJvmMayUse() {
        Libtorch.configure();
        int expected = System.getenv(Libtorch.THREADS_ENV) != null || System.getenv("OMP_NUM_THREADS") != null
                ? torch.get_num_threads() : Runtime.getRuntime().availableProcessors();
        assertEquals(expected, torch.get_num_threads());
    }

    @Test
    void theThreadCountCanBeChosenAndIsChecked() {
        System.setProperty(Libtorch.THREADS_PROPERTY, "3");
        assertEquals(3, Libtorch.threads());
        System.setProperty(Libtorch.THREADS_PROPERTY, "many");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Libtorch::threads);
        assertEquals("CAPXAI_THREADS/capxai.threads must be a whole number >= 1, got 'many'", e.getMessage());
    }
}
