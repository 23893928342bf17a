package io.capxai.tensors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(before != null ? before : Libtorch.OPENBLAS_TIMEOUT, Libtorch.environmentValue("OPENBLAS_THREAD_TIMEOUT"));
    }

    @Test
    void setsTheNativeEnvironmentUnlessTheUserDid() {
        String name = "CAPXAI_TEST_ENVIRONMENT_" + ProcessHandle.current().pid();
        assertTrue(Libtorch.setEnvironment(name, "first"));
        assertEquals("first", Libtorch.environmentValue(name));
        assertTrue(Libtorch.setEnvironment(name, "second"));
        assertEquals("first", Libtorch.environmentValue(name), "a value already set is kept");
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
